package io.dagscope.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a generated history growing in real time: it continues the same simulation (the runs in flight finish,
 * paused runs get approved or expire, new cron minutes are enqueued) and appends each line to its log once the wall
 * clock reaches the line's timestamp, so every line is stamped with the time it appears. Each line is written whole
 * with one write and flushed, so a reader following the files never sees half a line.
 *
 * <p>The pace is the generator's density ({@link GeneratorOptions#effectiveRatePerMinute()}, by default three lines
 * a second on average), with the bursts that cron minutes bring: most runs start in the first seconds of a minute,
 * as with the real scheduler, so lines come in waves (a higher rate smooths them). Lines whose time passed between the end of the history and
 * {@link #run()} are written at once, then the writer keeps time. It is meant for a history that ends now (the
 * default): after a history that ends in the future it waits until then.
 *
 * <p>Run it on a thread of its own with {@link #start()}, or call {@link #run()} on a thread you own; {@link #stop()}
 * asks it to finish (it wakes up at once, never in the middle of a line) and {@link #close()} stops it, waits for it
 * and closes the files. A failure to write ends the writer and is kept for {@link #failure()}.
 */
public final class LiveLogWriter implements Runnable, AutoCloseable {

    /** The longest the writer sleeps before it looks at the clock again. */
    private static final long MAX_SLEEP_MILLIS = 100;

    private final SimulatedOrchestrator simulation;
    private final Path runnerLog;
    private final Path stateLog;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private final AtomicLong linesWritten = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Throwable failure;
    private Thread thread;
    private boolean running;

    LiveLogWriter(SimulatedOrchestrator simulation, Path runnerLog, Path stateLog, Clock clock) {
        this.simulation = simulation;
        this.runnerLog = runnerLog;
        this.stateLog = stateLog;
        this.clock = clock;
    }

    /**
     * Starts writing on a new daemon thread named {@code dagscope-live-logs}.
     *
     * @return the thread
     * @throws IllegalStateException if it was started or run already
     */
    public synchronized Thread start() {
        claim();
        thread = new Thread(this::loop, "dagscope-live-logs");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Writes lines as they fall due until {@link #stop()} (or an interrupt of this thread, or a write failure).
     *
     * @throws IllegalStateException if it was started or run already
     */
    @Override
    public void run() {
        synchronized (this) {
            claim();
        }
        loop();
    }

    private void claim() {
        if (running) {
            throw new IllegalStateException("a live writer runs once");
        }
        running = true;
    }

    private void loop() {
        try (OutputStream runner = Files.newOutputStream(runnerLog, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
                OutputStream state = Files.newOutputStream(stateLog, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            while (!stopRequested) {
                Line line = simulation.peek();
                if (!awaitWallClock(line.micros())) {
                    break;
                }
                simulation.poll();
                OutputStream out = line.type().stateLog() ? state : runner;
                out.write(line.bytes());
                out.flush();
                linesWritten.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            finished.countDown();
        }
    }

    /** @return true once the clock has reached {@code micros}; false if asked to stop first */
    private boolean awaitWallClock(long micros) {
        while (!stopRequested) {
            long waitMicros = micros - LogGenerator.micros(clock.instant());
            if (waitMicros <= 0) {
                return true;
            }
            long millis = Math.max(1, Math.min(MAX_SLEEP_MILLIS, waitMicros / 1000));
            synchronized (wakeUp) {
                if (stopRequested) {
                    break;
                }
                try {
                    wakeUp.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
        }
        return false;
    }

    /**
     * Makes one schedule stop running, as when its definition breaks or the scheduler loses it: from the first
     * minute the simulation has not planned yet (at most about a minute ahead of the lines written), no slot of it
     * is enqueued, so a reader sees it miss every run from then on. The rest of the fleet goes on.
     *
     * @param scheduleId the schedule's id, as in the written {@code configs/schedules}
     * @throws IllegalArgumentException if there is no such schedule
     */
    public void stopSchedule(String scheduleId) {
        simulation.stopSchedule(scheduleId);
    }

    /** Asks the writer to stop after the line it is writing, if any; returns at once. */
    public void stop() {
        stopRequested = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /**
     * Waits for the writer to finish after {@link #stop()}.
     *
     * @param timeout how long to wait at most
     * @return whether it has finished
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return lines appended so far, over both logs */
    public long linesWritten() {
        return linesWritten.get();
    }

    /** @return what ended the writer, if a write failed */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops the writer and, when it runs on the thread {@link #start()} made, waits for that thread to end. */
    @Override
    public void close() {
        stop();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
