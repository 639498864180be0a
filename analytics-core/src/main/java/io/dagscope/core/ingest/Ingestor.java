package io.dagscope.core.ingest;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Connects event sources to an engine. Each source gets its own feed, so run inference happens per source; each
 * poll reads every source on a reader thread of its own while the polling thread alone folds what they deliver, so
 * the engine sees one writer.
 *
 * <p>When a source says that what it delivered before is no longer right ({@link EventSource#rebuildRequested()},
 * e.g. an object rewritten in a bucket), the ingestor rebuilds: it rewinds every source, reads them all into a fresh
 * engine, and only then swaps it in. Queries keep being answered by the previous engine until the swap, and nothing
 * is counted twice.
 */
public final class Ingestor implements SourceStatusQuery, AutoCloseable {

    private final Supplier<AnalyticsEngine> engines;
    /**
     * The sources, replaced (never changed) when one is added, under the poll lock: read without it, so that a status
     * or health check never waits for a poll or a snapshot.
     */
    private volatile List<EventSource> sources = List.of();
    private final Object pollLock = new Object();
    private volatile State state;
    private volatile Thread follower;
    private volatile boolean closed;

    /** The engine and the feeds into it, swapped as one on a rebuild. */
    private record State(AnalyticsEngine engine, List<SourceFeed> feeds, long generation) {
    }

    /**
     * An ingestor feeding one engine, which it can never rebuild.
     *
     * @param engine the engine to feed
     */
    public Ingestor(AnalyticsEngine engine) {
        this(singleUse(Objects.requireNonNull(engine, "engine")));
    }

    /**
     * An ingestor that makes its engines, so it can rebuild one from scratch when a source's past data changes.
     *
     * @param engines makes a fresh engine (with schedule definitions applied) each time it is called
     */
    public Ingestor(Supplier<AnalyticsEngine> engines) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.state = new State(engines.get(), List.of(), 0);
    }

    private static Supplier<AnalyticsEngine> singleUse(AnalyticsEngine engine) {
        boolean[] used = {false};
        return () -> {
            if (used[0]) {
                throw new IllegalStateException("this ingestor was given one engine and cannot rebuild it");
            }
            used[0] = true;
            return engine;
        };
    }

    /**
     * Adds a source; it is read on the next poll.
     *
     * @param source the source, named uniquely
     */
    public void add(EventSource source) {
        synchronized (pollLock) {
            State s = state;
            List<SourceFeed> feeds = new ArrayList<>(s.feeds());
            feeds.add(s.engine().feed(source.name()));
            List<EventSource> added = new ArrayList<>(sources);
            added.add(source);
            sources = List.copyOf(added);
            state = new State(s.engine(), List.copyOf(feeds), s.generation());
        }
    }

    /** @return the engine answering queries now (a rebuild replaces it) */
    public AnalyticsEngine engine() {
        return state.engine();
    }

    /** @return how many times the engine was rebuilt */
    public long generation() {
        return state.generation();
    }

    /** @return the sources, in the order they were added */
    public List<EventSource> sourcesAdded() {
        return sources;
    }

    /** @return events delivered by every source into the current engine so far */
    public long eventsDelivered() {
        long n = 0;
        for (SourceFeed f : state.feeds()) {
            n += f.accepted();
        }
        return n;
    }

    /**
     * A source's position between two polls, as {@link EventSource#position()} gave it, or why it has none.
     *
     * @param name the source's name
     * @param kind its kind ({@link SourceStatus#kind()})
     * @param location where it reads, secrets masked ({@link SourceStatus#location()})
     * @param position the position, if the source gave one
     * @param missing why it has none, if it has none
     */
    public record SourcePosition(String name, String kind, String location, Optional<byte[]> position,
            Optional<String> missing) {

        /**
         * A position, or why there is none.
         *
         * @param name the source's name
         * @param kind its kind
         * @param location where it reads, secrets masked
         * @param position the position, if the source gave one
         * @param missing why it has none, if it has none
         * @throws IllegalArgumentException unless exactly one of {@code position} and {@code missing} is present
         */
        public SourcePosition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(location, "location");
            if (position.isPresent() == missing.isPresent()) {
                throw new IllegalArgumentException("a source has a position or a reason why not, not both");
            }
        }
    }

    /**
     * Runs an action between two polls, with the engine and every source's position as of then: nothing is folded
     * while it runs (the next poll waits), and queries go on. What the engine holds is then exactly what the sources
     * delivered up to their positions, so the two make a consistent snapshot.
     *
     * @param action given the engine and the sources' positions, in the order the sources were added
     * @param <T> what it returns
     * @return what the action returned
     */
    public <T> T betweenPolls(BiFunction<AnalyticsEngine, List<SourcePosition>, T> action) {
        synchronized (pollLock) {
            List<SourcePosition> positions = new ArrayList<>();
            for (EventSource source : sources) {
                SourceStatus status = source.status();
                Optional<byte[]> position = Optional.empty();
                Optional<String> missing = Optional.empty();
                try {
                    position = Optional.of(source.position());
                } catch (UnsupportedOperationException e) {
                    missing = Optional.of(String.valueOf(e.getMessage()));
                } catch (RuntimeException e) {
                    // a source's failure to give its position costs only that: it is read again on the next start
                    missing = Optional.of(source.name() + " failed to give its position: " + e);
                }
                positions.add(new SourcePosition(source.name(), status.kind(), status.location(), position, missing));
            }
            return action.apply(state.engine(), positions);
        }
    }

    /**
     * Makes an engine as this ingestor makes them (with the schedule definitions applied), for a snapshot to be read
     * into before {@link #resume}.
     *
     * @return the engine; the caller closes it unless it is handed to {@link #resume}
     */
    public AnalyticsEngine newEngine() {
        return engines.get();
    }

    /**
     * Before the first poll: makes an engine read from a snapshot the one that is fed and answers, and each source
     * continue from its recorded position, so that nothing is read twice or skipped. Every source must have a position
     * and resume from it; if one cannot, the sources that resumed are rewound, nothing is changed, and the exception
     * says which source and why. The engine this ingestor had is closed.
     *
     * @param restored the engine, holding exactly what the sources delivered up to their positions
     * @param positions each source's position, by source name
     * @throws IllegalArgumentException naming the source and why it cannot resume
     * @throws IllegalStateException if a poll has happened already
     */
    public void resume(AnalyticsEngine restored, Map<String, byte[]> positions) {
        Objects.requireNonNull(restored, "restored");
        synchronized (pollLock) {
            State s = state;
            if (eventsDelivered() > 0 || s.engine().stats().eventsApplied() > 0) {
                throw new IllegalStateException("the sources have been read already");
            }
            List<EventSource> resumed = new ArrayList<>();
            try {
                for (EventSource source : sources) {
                    byte[] position = positions.get(source.name());
                    if (position == null) {
                        throw new IllegalArgumentException("source " + source.name() + " has no recorded position");
                    }
                    try {
                        source.resume(position);
                    } catch (UnsupportedOperationException | IllegalStateException e) {
                        throw new IllegalArgumentException("source " + source.name() + " cannot resume: "
                                + e.getMessage(), e);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("source " + source.name() + " cannot resume from its "
                                + "position: " + e.getMessage(), e);
                    }
                    resumed.add(source);
                }
            } catch (RuntimeException e) {
                for (EventSource source : resumed) {
                    source.rewind();
                }
                throw e;
            }
            List<SourceFeed> feeds = new ArrayList<>();
            for (EventSource source : sources) {
                feeds.add(restored.feed(source.name()));
            }
            state = new State(restored, List.copyOf(feeds), s.generation());
            s.engine().close();
        }
    }

    /**
     * Polls every source once, in order, and folds in what they deliver; rebuilds if a source asks for it.
     *
     * @return the number of events delivered
     */
    public long pollOnce() {
        synchronized (pollLock) {
            State s = state;
            long n = pollInto(s.feeds());
            if (sources.stream().anyMatch(EventSource::rebuildRequested)) {
                n += rebuild(s);
            }
            return n;
        }
    }

    /**
     * Polls every source on reader threads of their own while this thread folds what they deliver, so reading and
     * decoding overlap with folding, and one log's decoding with another's folding. Each source's events keep their
     * order (its batches pass through one FIFO queue in order); batches of different sources interleave, which the
     * engine's answers do not depend on.
     */
    private long pollInto(List<SourceFeed> feeds) {
        if (sources.isEmpty()) {
            return 0;
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(
                4 * sources.size());
        List<Future<Long>> readings = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            EventSource source = sources.get(i);
            SourceFeed feed = feeds.get(i);
            readings.add(readers.submit(() -> {
                Handoff handoff = new Handoff(queue, feed);
                try {
                    long n = source.poll(handoff);
                    handoff.flush();
                    return n;
                } finally {
                    put(queue, END);
                }
            }));
        }
        try {
            int ended = 0;
            while (ended < sources.size()) {
                Object item = queue.take();
                if (item == END) {
                    ended++;
                    continue;
                }
                Batch batch = (Batch) item;
                batch.feed().acceptAll(batch.events());
            }
            long n = 0;
            for (int i = 0; i < readings.size(); i++) {
                n += result(readings.get(i), sources.get(i));
            }
            return n;
        } catch (InterruptedException e) {
            readings.forEach(r -> r.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the sources", e);
        } catch (RuntimeException | Error e) {
            // the fold failed: stop the readers, which may be waiting for room in the queue
            readings.forEach(r -> r.cancel(true));
            queue.clear();
            throw e;
        }
    }

    private static long result(Future<Long> reading, EventSource source)
            throws InterruptedException {
        try {
            return reading.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("reading " + source.name() + " failed", cause);
        }
    }

    /** Batches handed from a reading thread to the folding one. */
    private static final int HANDOFF_BATCH = 8192;
    private static final Object END = new Object();

    /** One source's batch, on its way to that source's feed. */
    private record Batch(SourceFeed feed, List<Event> events) {
    }

    /** Collects a reader's events into batches and hands each full one to the folding thread. */
    private static final class Handoff implements EventSink {
        private final BlockingQueue<Object> queue;
        private final SourceFeed feed;
        private List<Event> batch = new ArrayList<>(HANDOFF_BATCH);

        Handoff(BlockingQueue<Object> queue, SourceFeed feed) {
            this.queue = queue;
            this.feed = feed;
        }

        @Override
        public void accept(Event event) {
            batch.add(event);
            if (batch.size() == HANDOFF_BATCH) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                put(queue, new Batch(feed, batch));
                batch = new ArrayList<>(HANDOFF_BATCH);
            }
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the fold stopped");
        }
    }

    /** Reader threads: daemons, so a forgotten ingestor never keeps a JVM alive. */
    private final ExecutorService readers = Executors.newCachedThreadPool(
            r -> {
                Thread t = new Thread(r, "dagscope-read");
                t.setDaemon(true);
                return t;
            });

    private long rebuild(State previous) {
        long n = 0;
        // a source may ask again while the rebuild reads it (another rewrite): read until all are content
        for (int round = 0; round < 10; round++) {
            AnalyticsEngine fresh = engines.get();
            List<SourceFeed> feeds = new ArrayList<>();
            for (EventSource source : sources) {
                source.rewind();
                feeds.add(fresh.feed(source.name()));
            }
            n = pollInto(feeds);
            if (sources.stream().noneMatch(EventSource::rebuildRequested)) {
                state = new State(fresh, List.copyOf(feeds), previous.generation() + 1);
                // the old engine's history store goes; a query still reading it finishes first (the engine's lock)
                previous.engine().close();
                return n;
            }
            fresh.close();
        }
        throw new IllegalStateException("the sources kept changing their past data during ten rebuilds in a row");
    }

    /**
     * Follows the sources on a background thread, polling every {@code interval} until {@link #close()}.
     *
     * @param interval the pause between polls that found nothing new
     * @param onError told of anything a poll threw (sources report their own read errors in their status)
     */
    public void startFollowing(Duration interval, Consumer<Throwable> onError) {
        startFollowing(interval, onError, status -> { });
    }

    /**
     * Follows the sources on a background thread, polling every {@code interval} until {@link #close()}, and tells
     * of each change of a source's health once: when a poll leaves a source unhealthy that was healthy before it (or
     * when following started), and healthy again that was not. A source that stays unhealthy poll after poll is told
     * of once.
     *
     * @param interval the pause between polls that found nothing new
     * @param onError told of anything a poll threw (sources report their own read errors in their status)
     * @param onHealthChange told of a source's status each time its health changed, on the following thread
     */
    public synchronized void startFollowing(Duration interval, Consumer<Throwable> onError,
            Consumer<SourceStatus> onHealthChange) {
        if (follower != null) {
            throw new IllegalStateException("already following");
        }
        Map<EventSource, Boolean> healthy = new IdentityHashMap<>();
        for (EventSource source : sourcesAdded()) {
            healthy.put(source, source.status().healthy());
        }
        Thread t = new Thread(() -> {
            while (!closed) {
                long n;
                try {
                    n = pollOnce();
                } catch (RuntimeException e) {
                    onError.accept(e);
                    n = 0;
                }
                for (EventSource source : sourcesAdded()) {
                    SourceStatus status = source.status();
                    Boolean before = healthy.put(source, status.healthy());
                    if (before == null ? !status.healthy() : before != status.healthy()) {
                        try {
                            onHealthChange.accept(status);
                        } catch (RuntimeException e) {
                            onError.accept(e);
                        }
                    }
                }
                if (n == 0) {
                    try {
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, "dagscope-follow");
        t.setDaemon(true);
        follower = t;
        t.start();
    }

    @Override
    public List<SourceStatus> sources() {
        List<SourceStatus> out = new ArrayList<>();
        for (EventSource s : sourcesAdded()) {
            out.add(s.status());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = follower;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (pollLock) {
            for (EventSource s : sources) {
                s.close();
            }
            state.engine().close();
        }
        readers.shutdownNow();
    }
}
