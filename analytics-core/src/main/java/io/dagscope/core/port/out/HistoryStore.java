package io.dagscope.core.port.out;

import java.nio.ByteBuffer;

/**
 * Where the engine keeps the history it has finished changing, so that the heap holds only what is still live: the
 * sealed days of every series, the archive of dropped runs, the failures of dropped runs. The engine writes and
 * frees under its write lock and reads under its read lock; an implementation need not lock anything itself.
 *
 * <p>Two kinds of storage:
 * <ul>
 * <li><b>blocks</b>: immutable byte strings, written once, read many times, released when superseded;</li>
 * <li><b>tables</b>: fixed-size zeroed regions the engine updates in place (an open-addressing hash table).</li>
 * </ul>
 * The in-heap store ({@code io.dagscope.core.history.HeapHistoryStore}) keeps both on the heap; the file store
 * ({@code io.dagscope.core.history.FileHistoryStore}) maps files into memory, so that history costs disk and page
 * cache (which the operating system may reclaim) instead of heap.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Stores a block.
     *
     * @param bytes the block's bytes (copied)
     * @param length how many of them
     * @return the block's handle, never 0
     */
    long put(byte[] bytes, int length);

    /**
     * A stored block.
     *
     * @param handle what {@link #put} returned, not released since
     * @return the block's bytes, read-only, from index 0 to its length (absolute reads only: the buffer may be
     *     shared by concurrent readers)
     */
    ByteBuffer get(long handle);

    /**
     * Says a block will not be read again; its space may be reused.
     *
     * @param handle what {@link #put} returned
     */
    void release(long handle);

    /**
     * A new table: a writable region of zeros.
     *
     * @param bytes its size, at most {@value #MAX_TABLE_BYTES}
     * @return the region, from index 0 to {@code bytes}
     */
    ByteBuffer allocate(int bytes);

    /**
     * Frees a table from {@link #allocate}; it is not used again.
     *
     * @param table the region
     */
    void free(ByteBuffer table);

    /** @return the bytes held now: blocks not released, and tables not freed */
    Usage usage();

    /** Frees everything; nothing is read afterwards. */
    @Override
    void close();

    /** The largest table {@link #allocate} gives. */
    int MAX_TABLE_BYTES = 1 << 30;

    /**
     * What a store holds.
     *
     * @param kind where it keeps history ({@code "heap"} or {@code "files"})
     * @param blockBytes bytes of the blocks not released
     * @param releasedBytes bytes of released blocks whose space is not reused yet (a file store's garbage)
     * @param tableBytes bytes of the tables not freed
     */
    record Usage(String kind, long blockBytes, long releasedBytes, long tableBytes) {
    }
}
