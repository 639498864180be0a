package io.dagscope.source.jsonl;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@code jsonl} sources (alias {@code file}): the orchestrator's logs as local files, one path or a glob of
 * rotated files ({@code logs/orchestrator_events.jsonl*}), plain or gzip.
 *
 * <p>Option: {@value #MAX_LINE_BYTES}, the line limit in bytes (a positive integer), overriding the host's.
 *
 * <p>A followed source delivers appended lines on the next poll and keeps its guarantees through rename rotation,
 * copy-truncate, compression on rotate and re-created files ({@code docs/sources/jsonl.md} states them). Its sources
 * can be {@linkplain EventSource#rewind() rewound}.
 */
public final class JsonlSourceFactory implements EventSourceFactory {

    /** The factory's name, and the scheme of its locations. */
    public static final String NAME = "jsonl";

    /** The option that sets the line limit, in bytes. */
    public static final String MAX_LINE_BYTES = "max_line_bytes";

    /** Found by {@link java.util.ServiceLoader}. */
    public JsonlSourceFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("file");
    }

    @Override
    public String description() {
        return "local JSONL files: a path or a glob of rotated files, plain or gzip";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of(MAX_LINE_BYTES);
    }

    @Override
    public EventSource create(Map<String, String> options, SourceContext context) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(context, "context");
        for (String key : options.keySet()) {
            if (!optionNames().contains(key)) {
                throw new SourceConfigurationException("unknown option '" + key + "' for a " + NAME
                        + " source; allowed: " + String.join(", ", new TreeSet<>(optionNames())));
            }
        }
        int maxLineBytes = context.maxLineBytes();
        String limit = options.get(MAX_LINE_BYTES);
        if (limit != null) {
            maxLineBytes = positiveInt(limit.strip());
        }
        FileTarget target = FileTarget.parse(context.target());
        return new JsonlSource(context.name(), target, context.follow(), maxLineBytes,
                LineSplitter.DEFAULT_CHUNK_BYTES);
    }

    private static int positiveInt(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SourceConfigurationException("option '" + MAX_LINE_BYTES + "' must be a positive number of bytes"
                + " (at most " + Integer.MAX_VALUE + "), not '" + value + "'");
    }
}
