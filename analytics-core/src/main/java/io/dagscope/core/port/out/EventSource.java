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

    /** @return what the source has read so far and whether it is healthy */
    SourceStatus status();

    /** Releases files, connections and threads. */
    @Override
    void close();
}
