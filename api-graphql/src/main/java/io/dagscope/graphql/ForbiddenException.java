package io.dagscope.graphql;

/**
 * A field the caller's scope does not allow; it becomes a {@link ErrorCode#FORBIDDEN} error that says what the caller
 * would need.
 */
final class ForbiddenException extends RuntimeException {

    /**
     * @param message what is refused and what would be needed, in terms the client can act on
     */
    ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
