package io.dagscope.server.config;

import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One configured source.
 *
 * @param name the source's name, unique in the configuration (inferred run ids derive from it)
 * @param role {@code events} (the runner log) or {@code state} (the scheduler's), for display
 * @param location where it reads: a path or glob, or {@code scheme://target?options}
 * @param options further options (from a config file)
 * @param fromCommandLine whether it was given on the command line, where secrets would leak through {@code ps}
 * @param origin where it was configured, for messages: {@code --events}, {@code ORCH_EVENTS_PATH}, or
 *     {@code dagscope.yaml:12: sources[1]}
 */
public record SourceSpec(String name, String role, String location, Map<String, String> options,
        boolean fromCommandLine, String origin) {

    public SourceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(origin, "origin");
        options = Map.copyOf(options);
    }

    /**
     * A source whose origin is its flag ({@code --events}) when it came from the command line, else the config file.
     *
     * @param name the source's name
     * @param role {@code events} or {@code state}
     * @param location where it reads
     * @param options further options
     * @param fromCommandLine whether it was given on the command line
     */
    public SourceSpec(String name, String role, String location, Map<String, String> options,
            boolean fromCommandLine) {
        this(name, role, location, options, fromCommandLine, fromCommandLine ? "--" + role : "the config file");
    }

    /**
     * The location as it may be shown: the values of secret options masked. When the location's factory is not
     * known (so neither are its secrets) or the location does not parse, every option value is masked.
     *
     * @param factories the factories, which say which options are secret
     * @return e.g. {@code s3://bucket/prefix?region=eu-west-1&secret_key=****}
     */
    public String displayLocation(SourceFactories factories) {
        SourceLocation parsed;
        try {
            parsed = SourceLocation.parse(location);
        } catch (SourceConfigurationException e) {
            int sep = location.indexOf("://");
            int q = sep < 0 ? -1 : location.indexOf('?', sep);
            return q < 0 ? location : location.substring(0, q) + "?****";
        }
        Set<String> secrets;
        try {
            secrets = factories.forScheme(parsed.scheme()).secretOptionNames();
        } catch (SourceConfigurationException e) {
            secrets = parsed.options().keySet();
        }
        return parsed.display(secrets);
    }

    /**
     * Names the source for a message: its origin and its location, secrets masked.
     *
     * @param factories the factories, which say which options are secret
     * @return e.g. {@code dagscope.yaml:12: sources[1] s3://bucket/prefix?secret_key=****}
     */
    public String describe(SourceFactories factories) {
        return origin + " " + displayLocation(factories);
    }

    /** Shows the option names but none of their values, which may be secrets. */
    @Override
    public String toString() {
        Map<String, String> masked = new TreeMap<>();
        options.keySet().forEach(k -> masked.put(k, "****"));
        String shown = location;
        int sep = location.indexOf("://");
        int q = sep < 0 ? -1 : location.indexOf('?', sep);
        if (q >= 0) {
            shown = location.substring(0, q) + "?****";
        }
        return "SourceSpec[name=" + name + ", role=" + role + ", location=" + shown + ", options=" + masked
                + ", fromCommandLine=" + fromCommandLine + ", origin=" + origin + "]";
    }
}
