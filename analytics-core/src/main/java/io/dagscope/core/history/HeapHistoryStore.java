package io.dagscope.core.history;

import io.dagscope.core.port.out.HistoryStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link HistoryStore} on the heap: blocks are byte arrays, tables heap buffers. For embedding the core where no
 * file may be written, and for small histories; history then costs heap.
 */
public final class HeapHistoryStore implements HistoryStore {

    private final List<byte[]> blocks = new ArrayList<>();
    /** Slots of released blocks, reused first. */
    private int[] free = new int[16];
    private int freeCount;
    private long blockBytes;
    private long tableBytes;

    @Override
    public long put(byte[] bytes, int length) {
        byte[] block = Arrays.copyOf(bytes, length);
        blockBytes += length;
        if (freeCount > 0) {
            int slot = free[--freeCount];
            blocks.set(slot, block);
            return slot + 1L;
        }
        blocks.add(block);
        return blocks.size();
    }

    @Override
    public ByteBuffer get(long handle) {
        return ByteBuffer.wrap(block(handle)).asReadOnlyBuffer();
    }

    @Override
    public void release(long handle) {
        byte[] block = block(handle);
        blockBytes -= block.length;
        int slot = (int) (handle - 1);
        blocks.set(slot, null);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = slot;
    }

    private byte[] block(long handle) {
        byte[] block = handle >= 1 && handle <= blocks.size() ? blocks.get((int) (handle - 1)) : null;
        if (block == null) {
            throw new IllegalArgumentException("no block " + handle);
        }
        return block;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        if (bytes < 0 || bytes > MAX_TABLE_BYTES) {
            throw new IllegalArgumentException("a table has 0 to " + MAX_TABLE_BYTES + " bytes, not " + bytes);
        }
        tableBytes += bytes;
        return ByteBuffer.allocate(bytes);
    }

    @Override
    public void free(ByteBuffer table) {
        tableBytes -= table.capacity();
    }

    @Override
    public Usage usage() {
        return new Usage("heap", blockBytes, 0, tableBytes);
    }

    /** Nothing to free: the blocks go with the store (a query still reading them finishes). */
    @Override
    public void close() {
    }
}
