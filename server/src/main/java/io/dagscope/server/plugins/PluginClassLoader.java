package io.dagscope.server.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One plugin's class loader. The JDK comes first (a plugin cannot replace it), then the host's SPI and core packages
 * (so the plugin's factories implement the host's {@code EventSourceFactory} and deliver the host's events, even if
 * the plugin jar carries copies), then the plugin's own jars, and only then the host's classpath. So a plugin may
 * carry its own Jackson or AWS SDK of another version than the host's, and still use a host library it does not
 * carry.
 */
final class PluginClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** Packages always taken from the host: the SPI the plugin implements and the core it speaks. */
    static final List<String> HOST_PACKAGES = List.of("io.dagscope.spi.", "io.dagscope.core.");

    private final Path origin;
    private final ClassLoader host;
    private final ClassLoader jdk;

    /**
     * @param origin the plugin's jar or folder, for messages
     * @param classpath the plugin's jars and class folders
     * @param host the loader of the host's SPI, core and libraries
     */
    PluginClassLoader(Path origin, List<URL> classpath, ClassLoader host) {
        super("plugin:" + origin.getFileName(), classpath.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        this.origin = origin;
        this.host = host;
        this.jdk = ClassLoader.getPlatformClassLoader();
    }

    /** @return the plugin's jar or folder */
    Path origin() {
        return origin;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = loadFirstTime(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> loadFirstTime(String name) throws ClassNotFoundException {
        if (fromHost(name)) {
            return host.loadClass(name);
        }
        try {
            return jdk.loadClass(name);
        } catch (ClassNotFoundException notJdk) {
            // the plugin's own, or else the host's
        }
        try {
            return findClass(name);
        } catch (ClassNotFoundException notInPlugin) {
            return host.loadClass(name);
        }
    }

    @Override
    public URL getResource(String name) {
        if (fromHost(name.replace('/', '.'))) {
            return host.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : host.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (fromHost(name.replace('/', '.'))) {
            return host.getResources(name);
        }
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(host.getResources(name)));
        return Collections.enumeration(all);
    }

    private static boolean fromHost(String name) {
        for (String prefix : HOST_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + origin + "]";
    }
}
