package io.dagscope.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the host tells a factory about the source it should create.
 *
 * @param name the source's name, unique in the configuration; inferred run ids are derived from it
 * @param target the location without its scheme and options (a path or glob, {@code bucket/prefix}, ...)
 * @param follow whether to follow growing logs (hold back an incomplete last line, keep positions between polls)
 * @param maxLineBytes lines longer than this are skipped as too long
 * @param clock the host's clock
 * @param timestamps which event timestamps to believe: a line stamped outside them is skipped (and counted) with the
 *     reason {@link TimestampLimits#check} gives
 */
public record SourceContext(String name, String target, boolean follow, int maxLineBytes, Clock clock,
        TimestampLimits timestamps) {

    /** The default line limit: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    public SourceContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timestamps, "timestamps");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
    }

    /**
     * A context whose timestamps are believed up to the default skew ahead of the clock.
     *
     * @param name the source's name
     * @param target the location without its scheme and options
     * @param follow whether to follow growing logs
     * @param maxLineBytes the line limit
     * @param clock the host's clock
     */
    public SourceContext(String name, String target, boolean follow, int maxLineBytes, Clock clock) {
        this(name, target, follow, maxLineBytes, clock, TimestampLimits.of(clock));
    }
}
