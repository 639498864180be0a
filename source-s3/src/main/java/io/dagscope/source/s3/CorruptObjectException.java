package io.dagscope.source.s3;

/** An object's content cannot be decoded (a damaged or truncated gzip): reading it again will not help. */
final class CorruptObjectException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which object and what is wrong
     * @param cause the decompressor's exception
     */
    CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
