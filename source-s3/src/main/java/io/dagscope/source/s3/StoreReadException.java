package io.dagscope.source.s3;

import java.io.IOException;

/**
 * Reading an object's body failed on the way from the store (a reset connection, a body cut short, a timeout), as
 * opposed to the body's content being bad. Reading it again later may well succeed.
 */
final class StoreReadException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause the underlying failure, or null
     */
    StoreReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
