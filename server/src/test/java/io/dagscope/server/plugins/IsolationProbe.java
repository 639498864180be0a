package io.dagscope.server.plugins;

/**
 * A class on the host's (test) classpath that a test plugin also carries, compiled to answer differently, to show
 * which copy a plugin's code gets.
 */
public final class IsolationProbe {

    private IsolationProbe() {
    }

    /** @return where this copy comes from: {@code host} (the plugin's copy says {@code plugin}) */
    public static String where() {
        return "host";
    }
}
