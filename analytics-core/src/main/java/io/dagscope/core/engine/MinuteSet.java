package io.dagscope.core.engine;

import io.dagscope.core.port.out.HistoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A set of epoch minutes, as one bit per minute in day-sized blocks (184 bytes a day). Days before the sealing
 * horizon are {@link #sealBefore sealed} into the engine's {@link HistoryStore} (off the heap with a file store), so
 * the heap keeps 8 bytes a sealed day; adding a minute to a sealed day brings the day back until the next pass.
 */
final class MinuteSet {

    private static final int MINUTES_PER_DAY = 1440;
    private static final int WORDS_PER_DAY = (MINUTES_PER_DAY + 63) / 64;

    private final HistoryStore store;
    private final LongMap<long[]> days = new LongMap<>();
    private final DayHandles sealed = new DayHandles();

    MinuteSet(HistoryStore store) {
        this.store = store;
    }

    void add(long minute) {
        long day = Math.floorDiv(minute, MINUTES_PER_DAY);
        int bit = Math.floorMod(minute, MINUTES_PER_DAY);
        long[] words = liveWords(day);
        words[bit >>> 6] |= 1L << (bit & 63);
    }

    /** The day's bits on the heap, brought back from the store if it was sealed, made if it had none. */
    private long[] liveWords(long day) {
        long[] words = days.get(day);
        if (words == null) {
            words = new long[WORDS_PER_DAY];
            long handle = sealed.count() > 0 ? sealed.remove(day) : 0;
            if (handle != 0) {
                ByteBuffer block = store.get(handle);
                for (int i = 0; i < WORDS_PER_DAY; i++) {
                    words[i] = block.getLong(8 * i);
                }
                store.release(handle);
            }
            days.put(day, words);
        }
        return words;
    }

    /**
     * Adds another set's minutes (of an engine being merged in): a sealed day this set has nothing of is copied into
     * this set's store as it is; any other day is added to this set's day on the heap.
     */
    void mergeFrom(MinuteSet other) {
        other.days.forEach((day, words) -> or(liveWords(day), words));
        other.sealed.forEach((day, handle) -> {
            ByteBuffer block = other.store.get(handle);
            if (days.get(day) == null && sealed.get(day) == 0) {
                byte[] bytes = new byte[8 * WORDS_PER_DAY];
                block.get(0, bytes);
                sealed.put(day, store.put(bytes, bytes.length));
                return;
            }
            long[] words = liveWords(day);
            for (int i = 0; i < WORDS_PER_DAY; i++) {
                words[i] |= block.getLong(8 * i);
            }
        });
    }

    private static void or(long[] into, long[] words) {
        for (int i = 0; i < into.length; i++) {
            into[i] |= words[i];
        }
    }

    /** Writes the set, for a snapshot: its live days' bits, then its sealed days' blocks. */
    void write(StateOutput out) throws IOException {
        out.unsigned(days.size());
        IOException[] failed = {null};
        days.forEach((day, words) -> {
            try {
                out.signed(day);
                for (long w : words) {
                    out.signed(w);
                }
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        out.unsigned(sealed.count());
        sealed.forEach((day, handle) -> {
            try {
                ByteBuffer block = store.get(handle);
                out.signed(day);
                for (int i = 0; i < WORDS_PER_DAY; i++) {
                    out.signed(block.getLong(8 * i));
                }
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** Reads into this empty set what {@link #write} wrote. */
    void read(StateInput in) throws IOException {
        int live = in.count(Integer.MAX_VALUE, "days of minutes");
        for (int i = 0; i < live; i++) {
            long day = in.signed();
            long[] words = new long[WORDS_PER_DAY];
            for (int w = 0; w < WORDS_PER_DAY; w++) {
                words[w] = in.signed();
            }
            days.put(day, words);
        }
        int sealedDays = in.count(Integer.MAX_VALUE, "sealed days of minutes");
        byte[] bytes = new byte[8 * WORDS_PER_DAY];
        ByteBuffer block = ByteBuffer.wrap(bytes);
        for (int i = 0; i < sealedDays; i++) {
            long day = in.signed();
            for (int w = 0; w < WORDS_PER_DAY; w++) {
                block.putLong(8 * w, in.signed());
            }
            if (days.get(day) != null || sealed.get(day) != 0) {
                throw StateInput.corrupt("day " + day + " of minutes twice");
            }
            sealed.put(day, store.put(bytes, bytes.length));
        }
    }

    boolean contains(long minute) {
        long day = Math.floorDiv(minute, MINUTES_PER_DAY);
        int bit = Math.floorMod(minute, MINUTES_PER_DAY);
        long[] words = days.get(day);
        if (words != null) {
            return (words[bit >>> 6] & (1L << (bit & 63))) != 0;
        }
        long handle = sealed.get(day);
        return handle != 0 && (store.get(handle).getLong(8 * (bit >>> 6)) & (1L << (bit & 63))) != 0;
    }

    /** Moves the days before {@code beforeDay} into the store. */
    void sealBefore(long beforeDay) {
        long[] old = new long[days.size()];
        int[] n = {0};
        days.forEachKey(day -> {
            if (day < beforeDay) {
                old[n[0]++] = day;
            }
        });
        byte[] bytes = new byte[8 * WORDS_PER_DAY];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        for (int i = 0; i < n[0]; i++) {
            long[] words = days.get(old[i]);
            for (int w = 0; w < WORDS_PER_DAY; w++) {
                out.putLong(8 * w, words[w]);
            }
            sealed.put(old[i], store.put(bytes, bytes.length));
            days.remove(old[i]);
        }
    }

    /** @return the days kept live, on the heap */
    int liveDays() {
        return days.size();
    }
}
