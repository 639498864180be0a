package io.dagscope.source.s3;

/**
 * A request to the store failed. The message is fit for a status: it names what failed and why, and holds no
 * credential.
 */
final class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of failure it is, which decides what the source does next. */
    enum Kind {
        /** The object is not there (deleted since it was listed). */
        MISSING,
        /** The object is not the version asked for any more (rewritten since it was listed or partly read). */
        CHANGED,
        /** The store cannot be reached or refuses (down, wrong endpoint, credentials or bucket): try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    /**
     * @param kind what kind of failure
     * @param message what failed and why, without credentials
     * @param cause the SDK's exception
     */
    StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return what kind of failure it is */
    Kind kind() {
        return kind;
    }
}
