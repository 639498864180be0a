package io.dagscope.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Appends the rest of the generated logs to the two logs the server follows, in the order the orchestrator wrote them
 * ({@link MergedLines}), at a steady rate (a batch every 100 ms); and rotates both now and then
 * ({@link LogRotation}): the compressed files move up, the previous rotation is compressed, the logs are renamed away,
 * one more batch goes to the renamed files (a writer that has not reopened yet), then the logs are reopened.
 */
final class RotatingAppender implements Runnable {

    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MergedLines lines;
    private final List<Path> logs;
    private final double linesPerSecond;
    private final long rotateEveryNanos;
    private final long stopAt;
    private volatile long appended;
    private volatile int rotations;
    private volatile int compressed;
    private volatile boolean exhausted;
    private final List<String> failures = new ArrayList<>();

    /**
     * @param lines the lines to append, already appended up to the history the server reads first
     * @param events the runner log the server follows
     * @param state the state log it follows
     * @param linesPerSecond lines a second over both logs
     * @param rotateEvery how often both are rotated; zero for never
     * @param stopAt {@link System#nanoTime} when it stops
     */
    RotatingAppender(MergedLines lines, Path events, Path state, double linesPerSecond, Duration rotateEvery,
            long stopAt) {
        this.lines = lines;
        this.logs = List.of(events, state);
        this.linesPerSecond = linesPerSecond;
        this.rotateEveryNanos = rotateEvery.toNanos();
        this.stopAt = stopAt;
    }

    /**
     * What it did.
     *
     * @param linesAppended lines appended during the soak
     * @param rotations rotations of both logs
     * @param compressed rotated files compressed
     * @param exhausted whether the generated lines ran out before the end
     * @param failures what went wrong (an I/O error stops the appends)
     */
    record Result(long linesAppended, int rotations, int compressed, boolean exhausted, List<String> failures) {
    }

    synchronized Result result() {
        return new Result(appended, rotations, compressed, exhausted, List.copyOf(failures));
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long nextRotation = rotateEveryNanos > 0 ? start + rotateEveryNanos : Long.MAX_VALUE;
        long due = start;
        try {
            while (due < stopAt && System.nanoTime() < stopAt && !exhausted) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                due += BATCH_NANOS;
                append(start, due);
                if (System.nanoTime() >= nextRotation) {
                    rotate(start, due);
                    nextRotation += rotateEveryNanos;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failures.add("appending stopped: " + e);
            }
        }
    }

    private void append(long start, long upTo) throws IOException {
        long target = (long) ((upTo - start) / 1e9 * linesPerSecond);
        if (target > appended) {
            long n = lines.append(target - appended);
            appended += n;
            exhausted = lines.exhausted();
        }
    }

    private void rotate(long start, long due) throws IOException {
        for (Path log : logs) {
            if (LogRotation.shiftAndCompress(log)) {
                compressed++;
            }
        }
        for (Path log : logs) {
            LogRotation.renameAway(log);
        }
        // the writer has not reopened yet: these lines go to the renamed files, as a logger's would
        append(start, due + BATCH_NANOS);
        lines.reopen();
        rotations++;
    }
}
