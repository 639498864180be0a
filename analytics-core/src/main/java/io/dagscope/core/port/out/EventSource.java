package io.dagscope.core.port.out;

import io.dagscope.core.model.SourceStatus;

/**
 * Where events come from: a log file, a glob of rotated files, objects in a bucket, or a plugin's own store.
 *
 * <p>A source is polled by one thread at a time. It never modifies, locks, moves or deletes what it reads. Lines
 * that are not events are counted and skipped; failures to read (a missing file, an unreachable store) make the
 * source unhealthy, reported by {@link #status()}, and never throw out of {@link #poll(EventSink)}.
 */
public interface EventSource extends AutoCloseable {

    /** @return the source's name, unique within a configuration and stable across restarts */
    String name();

    /**
     * Delivers every event that can be read now, in order, and returns. A source that follows a growing log keeps
     * its position, so the next call delivers only what was appended since; a final line without a newline is held
     * back until it is complete. A source that does not follow delivers everything on its first call.
     *
     * @param sink where to deliver
     * @return the number of events delivered by this call
     */
    long poll(EventSink sink);

    /**
     * Whether what this source delivered so far is no longer right, e.g. an object it read was rewritten under
     * the same key. The host then rebuilds: it {@linkplain #rewind() rewinds} every source and reads them all again
     * into a fresh engine, so nothing is counted twice.
     *
     * @return true once after such a change was seen, until the next rewind
     */
    default boolean rebuildRequested() {
        return false;
    }

    /**
     * Forgets every position, so the next poll delivers everything from the start again (for a rebuild). Statistics
     * start again too.
     *
     * @throws UnsupportedOperationException if the source cannot be read again
     */
    default void rewind() {
        throw new UnsupportedOperationException(name() + " cannot be read again from the start");
    }

    /**
     * Where this source is, so that a host that stops can continue later without reading anything twice or skipping
     * anything: bytes that {@link #resume(byte[])} of a source made alike (same kind, location and options) reads
     * back. They cover every event delivered so far and the source's counts ({@link #status()}), and nothing more;
     * the host asks between polls, never during one. Their format is the source's own (give it a version).
     *
     * <p>The default cannot give a position: a host that keeps snapshots then reads every source again from the
     * start on its next start, and says which source and why (this exception's message).
     *
     * @return the position
     * @throws UnsupportedOperationException if this source cannot give one, saying why
     */
    default byte[] position() {
        throw new UnsupportedOperationException(name() + " cannot give its position (its source does not "
                + "implement EventSource.position)");
    }

    /**
     * Continues from a position {@link #position()} gave, before the first poll: the next poll delivers exactly what
     * the poll after that position would have (what was appended or rotated since is judged by the source's usual
     * rules, as when it follows a log live), and the counts go on from the position's. A source that resumes must
     * also {@linkplain #rewind() rewind}, which forgets the position again.
     *
     * @param position what {@link #position()} returned
     * @throws UnsupportedOperationException if this source cannot resume (the default), saying why
     * @throws IllegalArgumentException if the position is not one this source can resume from (another kind or
     *     version, damaged), saying why; the source is then as it was
     * @throws IllegalStateException if the source has been polled already
     */
    default void resume(byte[] position) {
        throw new UnsupportedOperationException(name() + " cannot continue from a position (its source does not "
                + "implement EventSource.resume)");
    }

    /** @return what the source has read so far and whether it is healthy */
    SourceStatus status();

    /** Releases files, connections and threads. */
    @Override
    void close();
}
