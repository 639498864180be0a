package io.dagscope.graphql;

/**
 * A field argument the client got wrong; it becomes a {@link ErrorCode#BAD_USER_INPUT} error that names the argument.
 */
final class InvalidArgumentException extends RuntimeException {

    private final String argument;

    /**
     * @param argument the argument's path within the field, e.g. {@code first} or {@code window.hours}
     * @param message what is wrong, in terms the client can act on
     */
    InvalidArgumentException(String argument, String message) {
        super(message, null, false, false);
        this.argument = argument;
    }

    /** @return the argument's path within the field, e.g. {@code window.hours} */
    String argument() {
        return argument;
    }
}
