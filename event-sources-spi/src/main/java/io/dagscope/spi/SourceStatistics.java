package io.dagscope.spi;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.time.Timestamps;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The counters every source reports, kept so that the thread that reads and the threads that ask for a status can
 * share them. Sources use it to build {@link SourceStatus}.
 */
public final class SourceStatistics {

    private final String name;
    private final String kind;
    private final String location;
    private long eventsRead;
    private long ignored;
    private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private long firstEvent = Long.MAX_VALUE;
    private long lastEvent = Long.MIN_VALUE;
    private String error;
    private long lagBytes = -1;
    private long lagObjects = -1;

    /**
     * @param name the source's name
     * @param kind the factory's name
     * @param location the location, secrets masked
     */
    public SourceStatistics(String name, String kind, String location) {
        this.name = name;
        this.kind = kind;
        this.location = location;
    }

    /**
     * Counts an event (of a type the product uses or not).
     *
     * @param timestampMicros its instant
     */
    public synchronized void eventRead(long timestampMicros) {
        eventsRead++;
        if (timestampMicros < firstEvent) {
            firstEvent = timestampMicros;
        }
        if (timestampMicros > lastEvent) {
            lastEvent = timestampMicros;
        }
    }

    /**
     * Counts an event of a type the product does not use; it counts as read too.
     *
     * @param timestampMicros its instant
     */
    public synchronized void eventIgnored(long timestampMicros) {
        eventRead(timestampMicros);
        ignored++;
    }

    /**
     * Counts a skipped line.
     *
     * @param reason why
     */
    public synchronized void lineSkipped(SkipReason reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /** Marks the source healthy. */
    public synchronized void healthy() {
        error = null;
    }

    /**
     * Marks the source unhealthy.
     *
     * @param message what is wrong, with no secret in it
     */
    public synchronized void unhealthy(String message) {
        error = message;
    }

    /**
     * Sets the lag of a followed source.
     *
     * @param bytes bytes seen but not read yet, or -1 when unknown
     * @param objects objects seen but not read yet, or -1 when not applicable
     */
    public synchronized void lag(long bytes, long objects) {
        lagBytes = bytes;
        lagObjects = objects;
    }

    /** @return events read so far */
    public synchronized long eventsRead() {
        return eventsRead;
    }

    /**
     * The number of lines skipped for a reason.
     *
     * @param reason the reason
     * @return the count
     */
    public synchronized long skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /** @return the status as of now */
    public synchronized SourceStatus snapshot() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        skipped.forEach((reason, n) -> byReason.put(reason.key(), n));
        return new SourceStatus(name, kind, location, eventsRead, byReason, ignored,
                eventsRead == 0 ? Optional.empty() : Optional.of(Timestamps.toInstant(firstEvent)),
                eventsRead == 0 ? Optional.empty() : Optional.of(Timestamps.toInstant(lastEvent)),
                error == null, Optional.ofNullable(error),
                lagBytes < 0 ? OptionalLong.empty() : OptionalLong.of(lagBytes),
                lagObjects < 0 ? OptionalLong.empty() : OptionalLong.of(lagObjects));
    }
}
