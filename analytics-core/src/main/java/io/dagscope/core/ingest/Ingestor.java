package io.dagscope.core.ingest;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.out.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Connects event sources to an engine. Each source gets its own feed, so run inference happens per source; sources
 * are polled one after another by a single thread, so the engine sees one writer.
 */
public final class Ingestor implements SourceStatusQuery, AutoCloseable {

    private final AnalyticsEngine engine;
    private final List<Attached> attached = new CopyOnWriteArrayList<>();
    private final Object pollLock = new Object();
    private volatile Thread follower;
    private volatile boolean closed;

    private record Attached(EventSource source, SourceFeed feed) {
    }

    /**
     * @param engine the engine to feed
     */
    public Ingestor(AnalyticsEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Adds a source; it is read on the next poll.
     *
     * @param source the source, named uniquely
     */
    public void add(EventSource source) {
        attached.add(new Attached(source, engine.feed(source.name())));
    }

    /** @return events delivered by every source so far */
    public long eventsDelivered() {
        long n = 0;
        for (Attached a : attached) {
            n += a.feed().accepted();
        }
        return n;
    }

    /** @return the sources, in the order they were added */
    public List<EventSource> sourcesAdded() {
        List<EventSource> out = new ArrayList<>();
        attached.forEach(a -> out.add(a.source()));
        return out;
    }

    /**
     * Polls every source once, in order, and folds in what they deliver.
     *
     * @return the number of events delivered
     */
    public long pollOnce() {
        synchronized (pollLock) {
            long n = 0;
            for (Attached a : attached) {
                n += a.source().poll(a.feed());
                a.feed().flush();
            }
            return n;
        }
    }

    /**
     * Follows the sources on a background thread, polling every {@code interval} until {@link #close()}.
     *
     * @param interval the pause between polls that found nothing new
     * @param onError told of anything a poll threw (sources report their own read errors in their status)
     */
    public synchronized void startFollowing(Duration interval, Consumer<Throwable> onError) {
        if (follower != null) {
            throw new IllegalStateException("already following");
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
        for (Attached a : attached) {
            out.add(a.source().status());
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
            for (Attached a : attached) {
                a.source().close();
            }
        }
    }
}
