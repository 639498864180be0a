package io.dagscope.server.plugins;

import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceFactories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads event source plugins from a folder into the host's factories, as Trino's {@code PluginManager} does.
 *
 * <ul>
 * <li>Each {@code *.jar} in the folder is one plugin, and so is each sub-folder: its {@code *.jar} files and its
 * {@code classes/} folder, if any. Other files, and names starting with {@code .}, are passed over. Plugins load in
 * order of name.</li>
 * <li>Each plugin gets its own class loader, which takes the JDK, {@code io.dagscope.spi.*} and
 * {@code io.dagscope.core.*} from the host and everything else from the plugin first, then from the host.</li>
 * <li>Its factories are found with {@link ServiceLoader} ({@code META-INF/services/io.dagscope.spi.EventSourceFactory}
 * in the plugin); only classes the plugin itself defines count. Each one registered is logged.</li>
 * <li>A plugin without a factory, a factory that cannot be loaded, and two different classes claiming one name are
 * errors ({@link PluginLoadingException}, exit status 2) naming the files and classes. The same class found twice
 * (a plugin that also carries the {@code jsonl} factory) is not: the first stays registered.</li>
 * </ul>
 *
 * <p>Class loaders stay open for the life of the process: the sources created from them keep using them.
 */
public final class PluginLoader {

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final String SERVICES_FILE = "META-INF/services/" + EventSourceFactory.class.getName();

    private PluginLoader() {
    }

    /**
     * Loads every plugin in a folder and registers its factories.
     *
     * @param dir the plugin folder
     * @param factories where to register the factories: the host's, usually those found on the classpath
     * @param log where each registration is logged (stderr):
     *     {@code dagscope: plugin <file>: registered source factory '<name>' (<class>)}
     * @return the plugins, in the order they were loaded
     * @throws PluginLoadingException if the folder does not exist, a plugin has no factory or cannot be loaded, or a
     *     factory claims a name another class has
     */
    public static List<LoadedPlugin> loadInto(Path dir, SourceFactories factories, PrintStream log) {
        if (!Files.isDirectory(dir)) {
            throw new PluginLoadingException("plugin folder " + dir + ": " + (Files.exists(dir) ? "not a directory"
                    : "no such directory"));
        }
        List<Path> plugins;
        try (Stream<Path> children = Files.list(dir)) {
            plugins = children.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || isJar(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new PluginLoadingException("plugin folder " + dir + ": cannot be listed: " + e.getMessage());
        }
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Path plugin : plugins) {
            loaded.add(load(plugin, factories, log));
        }
        return loaded;
    }

    private static LoadedPlugin load(Path plugin, SourceFactories factories, PrintStream log) {
        List<URL> classpath = classpath(plugin);
        if (classpath.isEmpty()) {
            throw problem(plugin, "holds no *.jar and no classes/ folder, so it cannot provide a source factory "
                    + "(docs/plugins.md)");
        }
        PluginClassLoader loader = new PluginClassLoader(plugin, classpath, EventSourceFactory.class.getClassLoader());
        try {
            List<EventSourceFactory> found = discover(plugin, loader);
            if (found.isEmpty()) {
                throw problem(plugin, "registers no source factory: it needs a " + SERVICES_FILE + " file naming a "
                        + "public class with a public no-argument constructor that implements "
                        + EventSourceFactory.class.getName() + " (docs/plugins.md)");
            }
            List<String> registered = new ArrayList<>();
            List<String> already = new ArrayList<>();
            for (EventSourceFactory raw : found) {
                PluginSourceFactory factory = new PluginSourceFactory(raw, loader);
                String className = raw.getClass().getName();
                Set<String> schemes = schemes(plugin, factory, className);
                String name = factory.name();
                EventSourceFactory existing = existing(factories, schemes, plugin, className);
                if (existing != null) {
                    already.add(name);
                    log.println("dagscope: plugin " + plugin + ": source factory '" + name + "' (" + className
                            + ") is already registered from " + originOf(existing) + "; using that one");
                    continue;
                }
                try {
                    factories.addAll(List.of(factory), f -> { });
                } catch (SourceConfigurationException e) {
                    throw problem(plugin, e.getMessage(), e);
                }
                registered.add(name);
                Set<String> aliases = new TreeSet<>(schemes);
                aliases.remove(name.toLowerCase(Locale.ROOT));
                log.println("dagscope: plugin " + plugin + ": registered source factory '" + name + "' (" + className
                        + ")" + (aliases.isEmpty() ? "" : "; aliases: " + String.join(", ", aliases)));
            }
            return new LoadedPlugin(plugin, loader, registered, already);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    /** The factories the plugin defines itself; those its loader sees on the host's classpath are not its own. */
    private static List<EventSourceFactory> discover(Path plugin, PluginClassLoader loader) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return ServiceLoader.load(EventSourceFactory.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader)
                    .map(ServiceLoader.Provider::get)
                    .collect(Collectors.toList());
        } catch (ServiceConfigurationError | LinkageError e) {
            Throwable cause = e.getCause() != null && !(e instanceof LinkageError) ? e.getCause() : null;
            throw problem(plugin, "its source factories cannot be loaded: " + e.getMessage()
                    + (cause == null ? "" : " (" + cause + ")"));
        } catch (RuntimeException e) {
            throw problem(plugin, "its source factories cannot be loaded: " + e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** The factory's name and aliases, lower case as locations are; each must be usable as a location's scheme. */
    private static Set<String> schemes(Path plugin, EventSourceFactory factory, String className) {
        String name;
        Set<String> aliases;
        try {
            name = factory.name();
            aliases = factory.aliases();
        } catch (RuntimeException e) {
            throw problem(plugin, "source factory " + className + " cannot tell its name: " + e.getMessage());
        }
        Set<String> schemes = new TreeSet<>();
        List<String> all = new ArrayList<>();
        all.add(name);
        if (aliases != null) {
            all.addAll(aliases);
        }
        for (String scheme : all) {
            if (scheme == null || !SCHEME.matcher(scheme).matches()) {
                throw problem(plugin, "source factory " + className + " has the name '" + scheme + "', which "
                        + "cannot be a location's scheme: use a letter, then letters, digits, '+', '-' and '.'");
            }
            schemes.add(scheme.toLowerCase(Locale.ROOT));
        }
        return schemes;
    }

    /**
     * The factory already registered under one of these names by the same class, or null when none is.
     *
     * @throws PluginLoadingException when a different class has one of the names
     */
    private static EventSourceFactory existing(SourceFactories factories, Set<String> schemes, Path plugin,
            String className) {
        Set<String> known = factories.schemes();
        EventSourceFactory same = null;
        for (String scheme : schemes) {
            if (!known.contains(scheme)) {
                continue;
            }
            EventSourceFactory existing = factories.forScheme(scheme);
            String existingClass = classNameOf(existing);
            if (!existingClass.equals(className)) {
                throw problem(plugin, "source factory " + className + " claims the name '" + scheme + "', which "
                        + existingClass + " from " + originOf(existing) + " already has; remove one of the two, or "
                        + "give one factory another name");
            }
            same = existing;
        }
        return same;
    }

    private static String classNameOf(EventSourceFactory factory) {
        return factory instanceof PluginSourceFactory p ? p.delegate().getClass().getName()
                : factory.getClass().getName();
    }

    private static String originOf(EventSourceFactory factory) {
        if (factory instanceof PluginSourceFactory p) {
            return "plugin " + p.loader().origin();
        }
        return factory.getClass().getClassLoader() instanceof PluginClassLoader l ? "plugin " + l.origin()
                : "the classpath";
    }

    /** A jar is its own classpath; a folder contributes its jars and its classes/ folder. */
    private static List<URL> classpath(Path plugin) {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(plugin)) {
            try (Stream<Path> children = Files.list(plugin)) {
                children.filter(PluginLoader::isJar).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .forEach(entries::add);
            } catch (IOException e) {
                throw problem(plugin, "cannot be listed: " + e.getMessage());
            }
            Path classes = plugin.resolve("classes");
            if (Files.isDirectory(classes)) {
                entries.add(classes);
            }
        } else {
            entries.add(plugin);
        }
        List<URL> urls = new ArrayList<>();
        for (Path entry : entries) {
            try {
                urls.add(entry.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }
        return urls;
    }

    private static boolean isJar(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    private static PluginLoadingException problem(Path plugin, String message) {
        return new PluginLoadingException("plugin " + plugin + ": " + message);
    }

    private static PluginLoadingException problem(Path plugin, String message, Throwable cause) {
        return new PluginLoadingException("plugin " + plugin + ": " + message, cause);
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // the error being reported matters more
        }
    }
}
