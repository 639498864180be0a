package io.dagscope.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The factories a host knows, by name and alias. Two different factory classes under one name are an error; the
 * same class found twice (on the classpath and in a plugin folder) is not.
 */
public final class SourceFactories {

    private final Map<String, EventSourceFactory> byScheme = new LinkedHashMap<>();
    private final List<EventSourceFactory> factories = new ArrayList<>();

    private SourceFactories() {
    }

    /**
     * Finds every factory visible to a class loader.
     *
     * @param loader the class loader to search
     * @return the factories
     * @throws SourceConfigurationException if two different classes claim one name
     */
    public static SourceFactories discover(ClassLoader loader) {
        SourceFactories f = new SourceFactories();
        f.addAll(ServiceLoader.load(EventSourceFactory.class, loader), ignored -> { });
        return f;
    }

    /**
     * A registry of the given factories.
     *
     * @param factories the factories
     * @return the registry
     * @throws SourceConfigurationException if two different classes claim one name
     */
    public static SourceFactories of(Collection<? extends EventSourceFactory> factories) {
        SourceFactories f = new SourceFactories();
        f.addAll(factories, ignored -> { });
        return f;
    }

    /**
     * Adds factories, e.g. those of a plugin folder.
     *
     * @param more the factories
     * @param registered told of each factory that was new
     * @throws SourceConfigurationException if one claims a name another class has
     */
    public void addAll(Iterable<? extends EventSourceFactory> more, Consumer<EventSourceFactory> registered) {
        for (EventSourceFactory factory : more) {
            if (register(factory)) {
                registered.accept(factory);
            }
        }
    }

    private boolean register(EventSourceFactory factory) {
        List<String> schemes = new ArrayList<>();
        schemes.add(factory.name());
        schemes.addAll(factory.aliases());
        boolean isNew = false;
        for (String scheme : schemes) {
            String key = scheme.toLowerCase(java.util.Locale.ROOT);
            EventSourceFactory existing = byScheme.get(key);
            if (existing == null) {
                continue;
            }
            if (!existing.getClass().getName().equals(factory.getClass().getName())) {
                throw new SourceConfigurationException("two event source factories claim the name '" + key + "': "
                        + existing.getClass().getName() + " and " + factory.getClass().getName());
            }
            return false;
        }
        for (String scheme : schemes) {
            byScheme.put(scheme.toLowerCase(java.util.Locale.ROOT), factory);
            isNew = true;
        }
        factories.add(factory);
        return isNew;
    }

    /**
     * Creates the source a location names.
     *
     * @param location the parsed location
     * @param moreOptions options given beside the location (a config file's), merged over the location's
     * @param context the context, whose target is replaced by the location's
     * @return the source, not yet read
     * @throws SourceConfigurationException if the scheme is unknown or an option is not the factory's
     */
    public io.dagscope.core.port.out.EventSource create(SourceLocation location, Map<String, String> moreOptions,
            SourceContext context) {
        EventSourceFactory factory = forScheme(location.scheme());
        Map<String, String> options = new LinkedHashMap<>(location.options());
        options.putAll(moreOptions);
        Set<String> known = factory.optionNames();
        if (!known.isEmpty()) {
            for (String key : options.keySet()) {
                if (!known.contains(key)) {
                    throw new SourceConfigurationException("unknown option '" + key + "' for a " + factory.name()
                            + " source; allowed: " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }
        SourceContext ctx = new SourceContext(context.name(), location.target(), context.follow(),
                context.maxLineBytes(), context.clock(), context.timestamps());
        return factory.create(Collections.unmodifiableMap(options), ctx);
    }

    /** @return the factories, in the order they were found */
    public List<EventSourceFactory> all() {
        return Collections.unmodifiableList(factories);
    }

    /** @return every name and alias, sorted */
    public Set<String> schemes() {
        return Collections.unmodifiableSet(new TreeSet<>(byScheme.keySet()));
    }

    /**
     * The factory for a scheme.
     *
     * @param scheme a name or alias
     * @return the factory
     * @throws SourceConfigurationException naming the available schemes, if none has that name
     */
    public EventSourceFactory forScheme(String scheme) {
        EventSourceFactory f = byScheme.get(scheme.toLowerCase(java.util.Locale.ROOT));
        if (f == null) {
            throw new SourceConfigurationException("no event source is named '" + scheme + "'; available: "
                    + (byScheme.isEmpty() ? "none" : String.join(", ", schemes())));
        }
        return f;
    }
}
