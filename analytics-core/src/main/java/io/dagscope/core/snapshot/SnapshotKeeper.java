package io.dagscope.core.snapshot;

import io.dagscope.core.ingest.Ingestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Keeps a folder of snapshots fresh while an ingestor follows its sources: on a thread of its own, a snapshot once
 * the data changed and either {@code every} has passed since the last or {@code everyEvents} more events were folded;
 * and one more on {@link #close()} (a clean stop). Each is written between two polls, so the fold waits while it is
 * written and queries do not. A snapshot that cannot be written (a full disk) leaves the previous ones as they were;
 * the failure is logged and counted ({@link #stats()}), and the next is tried as usual.
 */
public final class SnapshotKeeper implements AutoCloseable {

    /**
     * When to write.
     *
     * @param every at most this long between snapshots of changed data
     * @param everyEvents or sooner, once this many more events were folded
     * @param keep how many snapshots to keep in the folder (the newest), at least 1
     */
    public record Schedule(Duration every, long everyEvents, int keep) {

        /** Every 5 minutes or 5,000,000 events, keeping 2. */
        public static final Schedule DEFAULT = new Schedule(Duration.ofMinutes(5), 5_000_000, 2);

        /**
         * A schedule.
         *
         * @param every at most this long between snapshots of changed data, positive
         * @param everyEvents or sooner, once this many more events were folded, at least 1
         * @param keep how many snapshots to keep, at least 1
         * @throws IllegalArgumentException if a value is out of range
         */
        public Schedule {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("the interval between snapshots must be positive");
            }
            if (everyEvents < 1) {
                throw new IllegalArgumentException("the events between snapshots must be at least 1");
            }
            if (keep < 1) {
                throw new IllegalArgumentException("at least one snapshot must be kept");
            }
        }
    }

    /**
     * What the keeper has done.
     *
     * @param written snapshots written
     * @param failures snapshots that could not be written
     * @param lastFailure the last failure's message
     * @param lastWrittenAt when the last snapshot was written
     * @param lastBytes its size
     * @param lastMillis how long writing it took (the fold waited that long; queries did not)
     * @param lastEvents the events it holds
     */
    public record Stats(long written, long failures, Optional<String> lastFailure, Optional<Instant> lastWrittenAt,
            long lastBytes, long lastMillis, long lastEvents) {
    }

    private final Ingestor ingestor;
    private final SnapshotFolder folder;
    private final Schedule schedule;
    private final String writer;
    private final Clock clock;
    private final Consumer<String> info;
    private final BiConsumer<String, Throwable> error;
    private final Object lock = new Object();
    /** Where the thread waits between checks; a close wakes it (never an interrupt, which would break a write). */
    private final Object sleeper = new Object();
    private Thread thread;
    private volatile boolean closed;
    private long lastEvents = -1;
    private long lastGeneration;
    private Instant lastAt;
    /** Read without the lock, so that {@code /metrics} never waits for a snapshot being written. */
    private volatile Stats stats = new Stats(0, 0, Optional.empty(), Optional.empty(), 0, 0, 0);

    /**
     * @param ingestor what to snapshot
     * @param folder where
     * @param schedule when
     * @param writer what writes, for the header (e.g. {@code dagscope 1.4.0})
     * @param clock for the intervals and the files' names
     * @param info told of each snapshot written
     * @param error told of each that failed
     */
    public SnapshotKeeper(Ingestor ingestor, SnapshotFolder folder, Schedule schedule, String writer, Clock clock,
            Consumer<String> info, BiConsumer<String, Throwable> error) {
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.info = Objects.requireNonNull(info, "info");
        this.error = Objects.requireNonNull(error, "error");
        this.lastAt = clock.instant();
    }

    /**
     * Takes what the ingestor holds now as already snapshotted (it was just restored from one), so that the next
     * snapshot waits for a change.
     */
    public void alreadySaved() {
        synchronized (lock) {
            lastEvents = ingestor.eventsDelivered();
            lastGeneration = ingestor.generation();
            lastAt = clock.instant();
        }
    }

    /** Starts writing on schedule, on a daemon thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        long tick = Math.max(10, Math.min(250, schedule.every().toMillis() / 4));
        thread = new Thread(() -> {
            while (!closed) {
                synchronized (sleeper) {
                    try {
                        if (!closed) {
                            sleeper.wait(tick);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!closed && due()) {
                    writeNow();
                }
            }
        }, "dagscope-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean due() {
        synchronized (lock) {
            long events = ingestor.eventsDelivered();
            long generation = ingestor.generation();
            boolean changed = events != lastEvents || generation != lastGeneration;
            if (!changed) {
                return false;
            }
            return generation != lastGeneration || events - Math.max(0, lastEvents) >= schedule.everyEvents()
                    || !clock.instant().isBefore(lastAt.plus(schedule.every()));
        }
    }

    /**
     * Writes a snapshot now (between two polls), then deletes all but the newest {@code keep}.
     *
     * @return the file written, or empty if it failed (logged and counted)
     */
    public Optional<Path> writeNow() {
        synchronized (lock) {
            long started = System.nanoTime();
            Instant now = clock.instant();
            Path file = folder.next(now);
            try {
                SnapshotFile.Header header = SnapshotFile.write(file, ingestor, writer);
                long millis = (System.nanoTime() - started) / 1_000_000;
                long bytes = Files.size(file);
                lastEvents = ingestor.eventsDelivered();
                lastGeneration = ingestor.generation();
                lastAt = now;
                stats = new Stats(stats.written() + 1, stats.failures(), stats.lastFailure(), Optional.of(now), bytes,
                        millis, header.eventsApplied());
                folder.prune(schedule.keep());
                info.accept("snapshot " + file.getFileName() + ": " + header.eventsApplied() + " events, " + bytes
                        + " bytes, written in " + millis + " ms");
                return Optional.of(file);
            } catch (IOException | RuntimeException e) {
                lastAt = now; // try again after the interval, not in a tight loop
                stats = new Stats(stats.written(), stats.failures() + 1, Optional.of(String.valueOf(e.getMessage())),
                        stats.lastWrittenAt(), stats.lastBytes(), stats.lastMillis(), stats.lastEvents());
                error.accept("writing a snapshot into " + folder.dir() + " failed; the previous one is kept", e);
                return Optional.empty();
            }
        }
    }

    /** @return what it has done */
    public Stats stats() {
        return stats;
    }

    /** Stops the schedule, then writes a last snapshot if the data changed since the last one (a clean stop). */
    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            synchronized (sleeper) {
                sleeper.notifyAll();
            }
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean changed;
        synchronized (lock) {
            changed = ingestor.eventsDelivered() != lastEvents || ingestor.generation() != lastGeneration;
        }
        if (changed) {
            writeNow();
        }
    }
}
