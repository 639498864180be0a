package io.dagscope.spi;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.time.Timestamps;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The counters every source reports, kept so that the thread that reads and the threads that ask for a status can
 * share them. Sources use it to build {@link SourceStatus}.
 *
 * <p>On the ingest path, count with a {@link Tally}: it is owned by the reading thread and takes no lock, and
 * {@link #merge(Tally)} adds it here under one lock, once per poll or once per many lines. The per-line methods
 * ({@link #eventRead(long)}, {@link #eventIgnored(long)}, {@link #lineSkipped(SkipReason)}) take that lock on every
 * call and suit sources that read little. {@link #snapshot()} may be called from any thread at any time and always
 * sees whole merges.
 */
public final class SourceStatistics {

    private static final SkipReason[] REASONS = SkipReason.values();

    private final String name;
    private final String kind;
    private final String location;
    private final Tally totals = new Tally();
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
     * Counts of lines read by one thread, without locking, until they are {@linkplain SourceStatistics#merge(Tally)
     * merged} into the statistics. Not thread-safe: a tally belongs to the thread that reads.
     */
    public static final class Tally {

        private long eventsRead;
        private long ignored;
        private final long[] skipped = new long[REASONS.length];
        private long firstEvent = Long.MAX_VALUE;
        private long lastEvent = Long.MIN_VALUE;
        private long lines;

        /** An empty tally. */
        public Tally() {
        }

        /**
         * Counts an event (of a type the product uses or not).
         *
         * @param timestampMicros its instant
         */
        public void eventRead(long timestampMicros) {
            eventsRead++;
            lines++;
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
        public void eventIgnored(long timestampMicros) {
            eventRead(timestampMicros);
            ignored++;
        }

        /**
         * Counts a skipped line.
         *
         * @param reason why
         */
        public void lineSkipped(SkipReason reason) {
            skipped[reason.ordinal()]++;
            lines++;
        }

        /** @return the lines counted since the tally was created or last merged (events, ignored or skipped) */
        public long lines() {
            return lines;
        }

        private void add(Tally other) {
            eventsRead += other.eventsRead;
            ignored += other.ignored;
            for (int i = 0; i < skipped.length; i++) {
                skipped[i] += other.skipped[i];
            }
            firstEvent = Math.min(firstEvent, other.firstEvent);
            lastEvent = Math.max(lastEvent, other.lastEvent);
            lines += other.lines;
        }

        private void clear() {
            eventsRead = 0;
            ignored = 0;
            Arrays.fill(skipped, 0);
            firstEvent = Long.MAX_VALUE;
            lastEvent = Long.MIN_VALUE;
            lines = 0;
        }
    }

    /**
     * Adds a tally's counts, under one lock, and empties the tally so it can count on.
     *
     * @param tally counts kept by the reading thread
     */
    public void merge(Tally tally) {
        Objects.requireNonNull(tally, "tally");
        if (tally.lines == 0) {
            return;
        }
        synchronized (this) {
            totals.add(tally);
        }
        tally.clear();
    }

    /**
     * Counts an event (of a type the product uses or not). Takes a lock: on a hot path, count with a {@link Tally}.
     *
     * @param timestampMicros its instant
     */
    public synchronized void eventRead(long timestampMicros) {
        totals.eventRead(timestampMicros);
    }

    /**
     * Counts an event of a type the product does not use; it counts as read too. Takes a lock: on a hot path, count
     * with a {@link Tally}.
     *
     * @param timestampMicros its instant
     */
    public synchronized void eventIgnored(long timestampMicros) {
        totals.eventIgnored(timestampMicros);
    }

    /**
     * Counts a skipped line. Takes a lock: on a hot path, count with a {@link Tally}.
     *
     * @param reason why
     */
    public synchronized void lineSkipped(SkipReason reason) {
        totals.lineSkipped(reason);
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

    /** Starts again from nothing, as when a source is rewound: no counts, healthy, lag unknown. */
    public synchronized void reset() {
        totals.clear();
        error = null;
        lagBytes = -1;
        lagObjects = -1;
    }

    /**
     * Writes the counts (events read, ignored, skipped by reason, first and last event), for a source's
     * {@linkplain io.dagscope.core.port.out.EventSource#position() position}; health and lag are not written, the
     * next poll finds them.
     *
     * @param out where to write
     * @throws IOException if writing fails
     */
    public synchronized void writeCounts(DataOutput out) throws IOException {
        out.writeLong(totals.eventsRead);
        out.writeLong(totals.ignored);
        out.writeLong(totals.firstEvent);
        out.writeLong(totals.lastEvent);
        out.writeLong(totals.lines);
        int reasons = 0;
        for (long n : totals.skipped) {
            reasons += n > 0 ? 1 : 0;
        }
        out.writeInt(reasons);
        for (SkipReason reason : REASONS) {
            long n = totals.skipped[reason.ordinal()];
            if (n > 0) {
                out.writeUTF(reason.key());
                out.writeLong(n);
            }
        }
    }

    /**
     * Replaces the counts with what {@link #writeCounts} wrote, for a source that resumes from a position.
     *
     * @param in where to read
     * @throws IOException if the counts are damaged or name a reason this version does not know; nothing is changed
     */
    public void readCounts(DataInput in) throws IOException {
        Tally read = new Tally();
        read.eventsRead = in.readLong();
        read.ignored = in.readLong();
        read.firstEvent = in.readLong();
        read.lastEvent = in.readLong();
        read.lines = in.readLong();
        int reasons = in.readInt();
        if (reasons < 0 || reasons > REASONS.length) {
            throw new IOException("counts of " + reasons + " skip reasons");
        }
        for (int i = 0; i < reasons; i++) {
            String key = in.readUTF();
            SkipReason reason = null;
            for (SkipReason r : REASONS) {
                if (r.key().equals(key)) {
                    reason = r;
                }
            }
            if (reason == null) {
                throw new IOException("an unknown skip reason '" + key + "'");
            }
            read.skipped[reason.ordinal()] = in.readLong();
        }
        if (read.eventsRead < 0 || read.ignored < 0 || read.ignored > read.eventsRead || read.lines < 0) {
            throw new IOException("counts that cannot be");
        }
        synchronized (this) {
            totals.clear();
            totals.add(read);
        }
    }

    /** @return events read so far */
    public synchronized long eventsRead() {
        return totals.eventsRead;
    }

    /**
     * The number of lines skipped for a reason.
     *
     * @param reason the reason
     * @return the count
     */
    public synchronized long skipped(SkipReason reason) {
        return totals.skipped[reason.ordinal()];
    }

    /** @return the status as of now */
    public synchronized SourceStatus snapshot() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (SkipReason reason : REASONS) {
            long n = totals.skipped[reason.ordinal()];
            if (n > 0) {
                byReason.put(reason.key(), n);
            }
        }
        long events = totals.eventsRead;
        return new SourceStatus(name, kind, location, events, byReason, totals.ignored,
                events == 0 ? Optional.empty() : Optional.of(Timestamps.toInstant(totals.firstEvent)),
                events == 0 ? Optional.empty() : Optional.of(Timestamps.toInstant(totals.lastEvent)),
                error == null, Optional.ofNullable(error),
                lagBytes < 0 ? OptionalLong.empty() : OptionalLong.of(lagBytes),
                lagObjects < 0 ? OptionalLong.empty() : OptionalLong.of(lagObjects));
    }
}
