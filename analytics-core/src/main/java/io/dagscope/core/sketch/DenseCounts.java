package io.dagscope.core.sketch;

import java.util.Arrays;

/**
 * Counts for the positive keys of one side of a dense store: {@code counts[key - offset]}, over an array that grows
 * to the range of keys used, with some room on the side it grew so that a drifting range is not copied on every
 * new key.
 */
final class DenseCounts {

    /** Retained size of the object alone: header, an array reference, an int offset, a long and an int. */
    static final long SHALLOW_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4 + 8 + 4);

    private static final long[] NONE = new long[0];

    private long[] counts = NONE;
    private int offset;
    private long total;
    private int nonEmptyBuckets;

    long total() {
        return total;
    }

    int nonEmptyBuckets() {
        return nonEmptyBuckets;
    }

    /** The lowest key the array covers; with {@link #highestKey} bounds every non-empty bucket. */
    int lowestKey() {
        return offset;
    }

    /** The highest key the array covers; below {@link #lowestKey} when the array is empty. */
    int highestKey() {
        return offset + counts.length - 1;
    }

    long countAt(int key) {
        int i = key - offset;
        return i >= 0 && i < counts.length ? counts[i] : 0;
    }

    /**
     * Adds {@code n} to a bucket, leaving everything as it was when that would make the count negative.
     *
     * @param key at least 1
     */
    void add(int key, long n) {
        if (n < 0) {
            if (countAt(key) + n < 0) {
                throw new IllegalArgumentException("cannot take out a value that was not counted");
            }
        } else {
            cover(key, key);
        }
        int i = key - offset;
        long before = counts[i];
        long after = before + n;
        counts[i] = after;
        total += n;
        if (before == 0 && after != 0) {
            nonEmptyBuckets++;
        } else if (before != 0 && after == 0) {
            nonEmptyBuckets--;
        }
    }

    /**
     * Adds another side's counts, each multiplied by {@code sign}.
     *
     * @param sign 1, or -1 when {@link #covers} has said yes
     */
    void addAll(DenseCounts other, int sign) {
        int first = 0;
        int last = other.counts.length - 1;
        while (first <= last && other.counts[first] == 0) {
            first++;
        }
        while (last >= first && other.counts[last] == 0) {
            last--;
        }
        if (first > last) {
            return;
        }
        if (sign > 0) {
            cover(other.offset + first, other.offset + last);
        }
        for (int j = first; j <= last; j++) {
            long n = other.counts[j];
            if (n != 0) {
                add(other.offset + j, sign * n);
            }
        }
    }

    /** Whether every bucket of the other side holds no more than the same bucket here. */
    boolean covers(DenseCounts other) {
        for (int j = 0; j < other.counts.length; j++) {
            if (other.counts[j] > countAt(other.offset + j)) {
                return false;
            }
        }
        return true;
    }

    /** The key holding the value of an ascending rank in [1, total], walking from the nearer end. */
    int keyAtRank(long rank) {
        if (rank <= total / 2) {
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return offset + i;
                }
            }
        } else {
            long fromTop = total - rank + 1;
            long seen = 0;
            for (int i = counts.length - 1; i >= 0; i--) {
                seen += counts[i];
                if (seen >= fromTop) {
                    return offset + i;
                }
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond the " + total + " values counted");
    }

    /**
     * Makes the array cover keys {@code low..high}, sized exactly the first time.
     *
     * @param low at least 1
     * @param high at least {@code low}
     */
    void cover(int low, int high) {
        if (counts.length == 0) {
            counts = new long[high - low + 1];
            offset = low;
            return;
        }
        int currentHigh = highestKey();
        if (low >= offset && high <= currentHigh) {
            return;
        }
        int room = Math.max(8, counts.length / 4);
        long newLow = low < offset ? Math.max(1L, (long) low - room) : offset;
        long newHigh = high > currentHigh ? Math.min(Integer.MAX_VALUE - 1L, (long) high + room) : currentHigh;
        long[] grown = new long[(int) (newHigh - newLow + 1)];
        System.arraycopy(counts, 0, grown, (int) (offset - newLow), counts.length);
        counts = grown;
        offset = (int) newLow;
    }

    DenseCounts copy() {
        DenseCounts copy = new DenseCounts();
        copy.counts = counts.length == 0 ? NONE : Arrays.copyOf(counts, counts.length);
        copy.offset = offset;
        copy.total = total;
        copy.nonEmptyBuckets = nonEmptyBuckets;
        return copy;
    }

    long estimatedBytes() {
        return SHALLOW_BYTES + (counts.length == 0 ? 0 : MemoryLayout.longArray(counts.length));
    }
}
