package io.dagscope.server.config;

/** A command line that cannot be run as written: the message names the flag or value and what is allowed. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the flag and the allowed values
     */
    public UsageException(String message) {
        super(message);
    }
}
