package io.dagscope.core.engine;

import io.dagscope.core.port.out.HistoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The runs whose detail retention dropped, by the hash of their id, with their tenant: a late event of such a run
 * counts under its tenant and does not start a new run. An open-addressing hash table of 12-byte slots (the hash and
 * the tenant) in the engine's {@link HistoryStore}, at most half full and doubled when it would be fuller, in pages
 * of {@value #PAGE_SLOTS} slots: off the heap with a file store, so that months of dropped runs cost no heap. Every
 * lookup is a probe or two.
 */
final class DroppedRuns {

    static final int PAGE_SLOTS = 1 << 20;
    private static final int SLOT_BYTES = 12;
    private static final int FIRST_CAPACITY = 1 << 12;
    /** The hash that marks an empty slot; a run hashed to it is stored under {@link #ZERO_STANDIN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STANDIN = 0x9E3779B97F4A7C15L;

    private final HistoryStore store;
    private ByteBuffer[] pages = new ByteBuffer[0];
    /** Slots, a power of two. */
    private long capacity;
    private int shift;
    private long size;
    private long dropped;
    /** Slots looked at by inserts so far (for tests of how the table fills). */
    long probes;

    DroppedRuns(HistoryStore store) {
        this.store = store;
    }

    /**
     * Grows the table, before many runs are added at once, to the size it would reach: runs read back in slot order
     * into a smaller table would cluster there (their homes keep their order), each insert then probing the whole
     * cluster, quadratic in the runs.
     */
    private void reserve(long runs) {
        while ((runs + 1) * 2 > capacity) {
            grow();
        }
    }

    /** Remembers a dropped run (the same run dropped again, its id reused: the newer tenant wins). */
    void put(long runHash, int tenant) {
        long hash = runHash == EMPTY ? ZERO_STANDIN : runHash;
        if ((size + 1) * 2 > capacity) {
            grow();
        }
        if (insert(pages, capacity, shift, hash, tenant)) {
            size++;
        }
        dropped++;
    }

    /** @return the tenant of a dropped run, or null */
    Integer get(long runHash) {
        if (size == 0) {
            return null;
        }
        long hash = runHash == EMPTY ? ZERO_STANDIN : runHash;
        long mask = capacity - 1;
        for (long slot = home(hash, shift); ; slot = (slot + 1) & mask) {
            ByteBuffer page = pages[(int) (slot / PAGE_SLOTS)];
            int at = (int) (slot % PAGE_SLOTS) * SLOT_BYTES;
            long h = page.getLong(at);
            if (h == hash) {
                return page.getInt(at + 8);
            }
            if (h == EMPTY) {
                return null;
            }
        }
    }

    /**
     * Adds another table's runs (of an engine being merged in), their tenants mapped to this engine's ids; its count
     * of runs dropped adds to this one's.
     */
    void mergeFrom(DroppedRuns other, java.util.function.IntUnaryOperator tenants) {
        reserve(size + other.size);
        long before = dropped;
        for (long slot = 0; slot < other.capacity; slot++) {
            ByteBuffer page = other.pages[(int) (slot / PAGE_SLOTS)];
            int at = (int) (slot % PAGE_SLOTS) * SLOT_BYTES;
            long h = page.getLong(at);
            if (h != EMPTY) {
                put(h, tenants.applyAsInt(page.getInt(at + 8)));
            }
        }
        dropped = before + other.dropped;
    }

    /** Writes the table's runs and the count of runs dropped, for a snapshot. */
    void write(StateOutput out) throws IOException {
        out.unsigned(dropped);
        out.unsigned(size);
        for (long slot = 0; slot < capacity; slot++) {
            ByteBuffer page = pages[(int) (slot / PAGE_SLOTS)];
            int at = (int) (slot % PAGE_SLOTS) * SLOT_BYTES;
            long h = page.getLong(at);
            if (h != EMPTY) {
                out.signed(h);
                out.signed(page.getInt(at + 8));
            }
        }
    }

    /** Reads into this empty table what {@link #write} wrote. */
    void read(StateInput in, int tenants) throws IOException {
        long total = in.unsigned();
        long n = in.unsigned();
        if (n > total) {
            throw StateInput.corrupt(n + " runs dropped of " + total);
        }
        reserve(n);
        for (long i = 0; i < n; i++) {
            long h = in.signed();
            if (h == EMPTY) {
                throw StateInput.corrupt("a dropped run without a hash");
            }
            put(h, in.intIn(Dictionaries.NO_TENANT, tenants - 1L, "a tenant"));
        }
        dropped = total;
    }

    /** @return runs dropped so far */
    long dropped() {
        return dropped;
    }

    /** @return distinct runs in the table */
    long size() {
        return size;
    }

    /** @return the table's bytes */
    long archivedBytes() {
        return capacity * SLOT_BYTES;
    }

    private static int home(long hash, int shift) {
        return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** @return whether the hash was new */
    private boolean insert(ByteBuffer[] pages, long capacity, int shift, long hash, int tenant) {
        long mask = capacity - 1;
        for (long slot = home(hash, shift); ; slot = (slot + 1) & mask) {
            probes++;
            ByteBuffer page = pages[(int) (slot / PAGE_SLOTS)];
            int at = (int) (slot % PAGE_SLOTS) * SLOT_BYTES;
            long h = page.getLong(at);
            if (h == EMPTY || h == hash) {
                page.putLong(at, hash);
                page.putInt(at + 8, tenant);
                return h == EMPTY;
            }
        }
    }

    private void grow() {
        long newCapacity = capacity == 0 ? FIRST_CAPACITY : capacity * 2;
        int newShift = 64 - Long.numberOfTrailingZeros(newCapacity);
        int pageSlots = (int) Math.min(newCapacity, PAGE_SLOTS);
        ByteBuffer[] newPages = new ByteBuffer[(int) (newCapacity / pageSlots)];
        try {
            for (int i = 0; i < newPages.length; i++) {
                newPages[i] = store.allocate(pageSlots * SLOT_BYTES);
            }
        } catch (RuntimeException e) {
            for (ByteBuffer page : newPages) {
                if (page != null) {
                    store.free(page);
                }
            }
            throw e;
        }
        for (long slot = 0; slot < capacity; slot++) {
            ByteBuffer page = pages[(int) (slot / PAGE_SLOTS)];
            int at = (int) (slot % PAGE_SLOTS) * SLOT_BYTES;
            long h = page.getLong(at);
            if (h != EMPTY) {
                insert(newPages, newCapacity, newShift, h, page.getInt(at + 8));
            }
        }
        for (ByteBuffer page : pages) {
            store.free(page);
        }
        pages = newPages;
        capacity = newCapacity;
        shift = newShift;
    }
}
