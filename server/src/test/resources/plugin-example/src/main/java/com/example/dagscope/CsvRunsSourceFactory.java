package com.example.dagscope;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code example://} sources: runs listed in a CSV file, one run per line
 * ({@code dag,tenant,started_at,duration_seconds,status}). ServiceLoader needs it public with a public no-argument
 * constructor; the source itself stays package-private.
 */
public final class CsvRunsSourceFactory implements EventSourceFactory {

    /** Found by {@link java.util.ServiceLoader}. */
    public CsvRunsSourceFactory() {
    }

    @Override
    public String name() {
        return "example";
    }

    @Override
    public String description() {
        return "runs listed in a CSV file: dag,tenant,started_at,duration_seconds,status";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of("separator");
    }

    @Override
    public EventSource create(Map<String, String> options, SourceContext context) {
        String separator = options.getOrDefault("separator", ",");
        if (separator.length() != 1) {
            throw new SourceConfigurationException("option 'separator' must be one character, not '" + separator
                    + "'");
        }
        return new CsvRunsSource(context.name(), Path.of(context.target()), separator.charAt(0));
    }
}
