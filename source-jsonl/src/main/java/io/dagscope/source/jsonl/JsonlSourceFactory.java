package io.dagscope.source.jsonl;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.lines.LineSplitter;
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
 * <p>Options: {@value #MAX_LINE_BYTES}, the line limit in bytes (a positive integer), overriding the host's;
 * {@value #DECODE_THREADS}, how many threads decode a long stretch of a plain file (a first read of a large log),
 * by default {@link #defaultDecodeThreads(int)} ({@code 1}: every file is read on the polling thread).
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

    /** The option that sets how many threads decode one large file. */
    public static final String DECODE_THREADS = "decode_threads";

    /** The most decoding threads a source may have. */
    static final int MAX_DECODE_THREADS = 64;

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
        return Set.of(MAX_LINE_BYTES, DECODE_THREADS);
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
            maxLineBytes = positiveInt(limit.strip(), Integer.MAX_VALUE, MAX_LINE_BYTES, "number of bytes");
        }
        int threads = defaultDecodeThreads(Runtime.getRuntime().availableProcessors());
        String decodeThreads = options.get(DECODE_THREADS);
        if (decodeThreads != null) {
            threads = positiveInt(decodeThreads.strip(), MAX_DECODE_THREADS, DECODE_THREADS, "number of threads");
        }
        FileTarget target = FileTarget.parse(context.target());
        return new JsonlSource(context.name(), target, context.follow(), maxLineBytes,
                LineSplitter.DEFAULT_CHUNK_BYTES, SegmentedRead.Settings.threads(threads), context.timestamps());
    }

    /**
     * The decoding threads of a source by default: the processors but two, at least one. One thread folds every
     * source's events in order, and the JIT compiler and the collector need a core while a large log loads; on two
     * cores a second decoding thread made the whole ingest slower (docs/performance.md, "One large file").
     *
     * @param processors the processors available
     * @return the default
     */
    static int defaultDecodeThreads(int processors) {
        return Math.max(1, Math.min(MAX_DECODE_THREADS, processors - 2));
    }

    private static int positiveInt(String value, int max, String option, String what) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SourceConfigurationException("option '" + option + "' must be a positive " + what
                + " (at most " + max + "), not '" + value + "'");
    }
}
