package io.dagscope.server.config;

import java.util.Map;
import java.util.Objects;

/**
 * One configured source.
 *
 * @param name the source's name, unique in the configuration (inferred run ids derive from it)
 * @param role {@code events} (the runner log) or {@code state} (the scheduler's), for display
 * @param location where it reads: a path or glob, or {@code scheme://target?options}
 * @param options further options (from a config file)
 * @param fromCommandLine whether it was given on the command line, where secrets would leak through {@code ps}
 */
public record SourceSpec(String name, String role, String location, Map<String, String> options,
        boolean fromCommandLine) {
    public SourceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(location, "location");
        options = Map.copyOf(options);
    }
}
