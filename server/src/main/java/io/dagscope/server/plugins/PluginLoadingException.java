package io.dagscope.server.plugins;

import io.dagscope.spi.SourceConfigurationException;

/**
 * A plugin cannot be used: its folder is missing, it provides no source factory, its factories cannot be loaded, or
 * one claims a name another class has. The message names the plugin's file and the classes. It is a
 * {@link SourceConfigurationException}, so the command line reports it as bad usage (exit status 2).
 */
public final class PluginLoadingException extends SourceConfigurationException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the plugin's file
     */
    public PluginLoadingException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the plugin's file
     * @param cause the underlying problem
     */
    public PluginLoadingException(String message, Throwable cause) {
        super(message, cause);
    }
}
