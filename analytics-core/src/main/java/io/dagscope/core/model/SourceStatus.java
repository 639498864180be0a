package io.dagscope.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a source has read and how healthy it is (METRICS.md, "Data quality").
 *
 * @param name the source's name, unique in a configuration
 * @param kind the kind of source (the factory's name, e.g. {@code jsonl})
 * @param location where it reads, with secrets masked
 * @param eventsRead lines that are events, of any type (ignored ones included)
 * @param skippedByReason lines skipped, by reason (blank lines are neither read nor skipped)
 * @param ignored events of types this product does not use
 * @param firstEventAt the earliest event timestamp read
 * @param lastEventAt the latest event timestamp read
 * @param healthy whether the source can currently read its location
 * @param error what is wrong when it is not healthy
 * @param lagBytes bytes seen but not yet read, for a followed source that knows
 * @param lagObjects objects seen but not yet read, for an object-store source
 */
public record SourceStatus(String name, String kind, String location, long eventsRead,
        Map<String, Long> skippedByReason, long ignored, Optional<Instant> firstEventAt,
        Optional<Instant> lastEventAt, boolean healthy, Optional<String> error, OptionalLong lagBytes,
        OptionalLong lagObjects) {

    /**
     * A status; the map of skipped lines is copied, so the record stays immutable.
     *
     * @param name the source's name, unique in a configuration
     * @param kind the kind of source (the factory's name, e.g. {@code jsonl})
     * @param location where it reads, with secrets masked
     * @param eventsRead lines that are events, of any type (ignored ones included)
     * @param skippedByReason lines skipped, by reason (blank lines are neither read nor skipped)
     * @param ignored events of types this product does not use
     * @param firstEventAt the earliest event timestamp read
     * @param lastEventAt the latest event timestamp read
     * @param healthy whether the source can currently read its location
     * @param error what is wrong when it is not healthy
     * @param lagBytes bytes seen but not yet read, for a followed source that knows
     * @param lagObjects objects seen but not yet read, for an object-store source
     */
    public SourceStatus {
        skippedByReason = Map.copyOf(skippedByReason);
    }

    /** @return the number of lines skipped, over every reason */
    public long linesSkipped() {
        long n = 0;
        for (long v : skippedByReason.values()) {
            n += v;
        }
        return n;
    }
}
