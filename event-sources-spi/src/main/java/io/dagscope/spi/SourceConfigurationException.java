package io.dagscope.spi;

/** A source's location or options cannot be used; the message says which and why. */
public class SourceConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the option or location
     */
    public SourceConfigurationException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying problem
     */
    public SourceConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
