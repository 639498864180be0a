package io.dagscope.core.engine;

import io.dagscope.core.event.Event;
import io.dagscope.core.port.out.EventSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one source's events enter the engine, in the source's order. Events are buffered and folded in batches
 * (each batch under the engine's write lock, so readers see whole batches); call {@link #flush()} when a poll is
 * done. One thread at a time may feed a feed.
 */
public final class SourceFeed implements EventSink {

    /** Events buffered before they are folded in together. */
    static final int BATCH = 4096;

    private final AnalyticsEngine engine;
    private final String name;
    private final int id;
    private final RunInference inference = new RunInference();
    private final List<Event> buffer = new ArrayList<>(BATCH);
    private long nextSeq;
    private volatile long accepted;
    /** Whether a source feeds it: false for a feed that came with a merged or restored state, until one claims it. */
    private boolean claimed;

    SourceFeed(AnalyticsEngine engine, String name, int id, boolean claimed) {
        this.engine = engine;
        this.name = name;
        this.id = id;
        this.claimed = claimed;
    }

    /** @return the source's name */
    public String name() {
        return name;
    }

    int id() {
        return id;
    }

    RunInference inference() {
        return inference;
    }

    /** Lets a source feed this feed; false if one does already. */
    boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    /**
     * Requires that every event received was folded in (before a merge or a snapshot).
     *
     * @throws IllegalStateException if events are buffered
     */
    void requireFlushed() {
        if (!buffer.isEmpty()) {
            throw new IllegalStateException("the feed of source '" + name + "' holds events not folded in yet: "
                    + "flush it first");
        }
    }

    /**
     * Takes on the counts of the same source's feed of an engine being merged in: its events are numbered after
     * both feeds' events so far.
     */
    void absorb(SourceFeed other) {
        nextSeq += other.nextSeq;
        accepted += other.accepted;
    }

    /** @return the sequence its next event gets */
    long nextSeq() {
        return nextSeq;
    }

    /** Sets its counts as a snapshot recorded them, before anything is fed. */
    void restoreCounts(long next, long acceptedBefore) {
        nextSeq = next;
        accepted = acceptedBefore;
    }

    @Override
    public void accept(Event event) {
        accepted++;
        buffer.add(event);
        if (buffer.size() >= BATCH) {
            flush();
        }
    }

    /** @return events received so far (folded in or buffered) */
    public long accepted() {
        return accepted;
    }

    /**
     * Folds in a batch of events that follow everything received so far, as one batch (for a reader on another
     * thread that hands over whole batches).
     *
     * @param batch the events, in the source's order; the list is not kept
     */
    public void acceptAll(List<Event> batch) {
        flush();
        if (batch.isEmpty()) {
            return;
        }
        accepted += batch.size();
        long first = nextSeq;
        nextSeq += batch.size();
        engine.apply(this, batch, first);
    }

    /** Folds in every buffered event. */
    public void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        long first = nextSeq;
        nextSeq += buffer.size();
        engine.apply(this, buffer, first);
        buffer.clear();
    }
}
