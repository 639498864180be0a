package io.dagscope.core.sketch;

import java.util.Arrays;

/**
 * Operations on the sparse form of a sketch's buckets: one {@code long} per non-empty bucket, the key in the high
 * 32 bits and the count (unsigned, below 2^32) in the low 32, sorted by key, with no room to spare. Packing keeps a
 * bucket at 8 bytes and the whole form in one array, and sorting the longs sorts the keys. An operation that
 * changes the number of buckets returns a new array; one that changes a count writes in place, so an array belongs
 * to one sketch alone.
 */
final class SparseBuckets {

    /** The buckets of an empty sketch, shared. */
    static final long[] NONE = new long[0];

    /** The largest count a packed bucket holds. */
    static final long MAX_COUNT = 0xFFFF_FFFFL;

    private SparseBuckets() {
    }

    static long pack(int key, long count) {
        return ((long) key << 32) | count;
    }

    static int key(long bucket) {
        return (int) (bucket >> 32);
    }

    static long count(long bucket) {
        return bucket & MAX_COUNT;
    }

    /** The position of the bucket with this key, else {@code -(insertion point) - 1}. */
    static int find(long[] buckets, int key) {
        int low = 0;
        int high = buckets.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int middleKey = key(buckets[middle]);
            if (middleKey < key) {
                low = middle + 1;
            } else if (middleKey > key) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }

    static long countAt(long[] buckets, int key) {
        int position = find(buckets, key);
        return position >= 0 ? count(buckets[position]) : 0;
    }

    /**
     * Sets the count of one bucket.
     *
     * @param position what {@link #find} returned for the key
     * @param count the new count, in [0, {@link #MAX_COUNT}]; 0 drops the bucket
     * @return the buckets, in a new array when their number changed
     */
    static long[] withCount(long[] buckets, int position, int key, long count) {
        if (position >= 0) {
            if (count != 0) {
                buckets[position] = pack(key, count);
                return buckets;
            }
            if (buckets.length == 1) {
                return NONE;
            }
            long[] fewer = new long[buckets.length - 1];
            System.arraycopy(buckets, 0, fewer, 0, position);
            System.arraycopy(buckets, position + 1, fewer, position, buckets.length - position - 1);
            return fewer;
        }
        if (count == 0) {
            return buckets;
        }
        int insertion = -position - 1;
        long[] more = new long[buckets.length + 1];
        System.arraycopy(buckets, 0, more, 0, insertion);
        more[insertion] = pack(key, count);
        System.arraycopy(buckets, insertion, more, insertion + 1, buckets.length - insertion);
        return more;
    }

    /**
     * The bucket-wise sum of two sparse forms.
     *
     * @return the sum, or null when it would hold more than {@code limit} buckets or a count too large to pack
     */
    static long[] sum(long[] left, long[] right, int limit) {
        int distinct = 0;
        int i = 0;
        int j = 0;
        while (i < left.length || j < right.length) {
            int order = compareHeads(left, i, right, j);
            if (order <= 0) {
                i++;
            }
            if (order >= 0) {
                j++;
            }
            distinct++;
        }
        if (distinct > limit) {
            return null;
        }
        long[] merged = new long[distinct];
        i = 0;
        j = 0;
        for (int k = 0; k < distinct; k++) {
            int order = compareHeads(left, i, right, j);
            if (order < 0) {
                merged[k] = left[i++];
            } else if (order > 0) {
                merged[k] = right[j++];
            } else {
                long total = count(left[i]) + count(right[j]);
                if (total > MAX_COUNT) {
                    return null;
                }
                merged[k] = pack(key(left[i]), total);
                i++;
                j++;
            }
        }
        return merged;
    }

    /**
     * The bucket-wise difference of two sparse forms, dropping buckets that become empty.
     *
     * @param right buckets {@link #covers covered} by {@code left}
     */
    static long[] difference(long[] left, long[] right) {
        long[] result = new long[left.length];
        int size = 0;
        int j = 0;
        for (long bucket : left) {
            long remaining = count(bucket);
            if (j < right.length && key(right[j]) == key(bucket)) {
                remaining -= count(right[j++]);
            }
            if (remaining != 0) {
                result[size++] = pack(key(bucket), remaining);
            }
        }
        return size == 0 ? NONE : Arrays.copyOf(result, size);
    }

    /** Whether every bucket of {@code right} holds no more than the same bucket of {@code left}. */
    static boolean covers(long[] left, long[] right) {
        int i = 0;
        for (long bucket : right) {
            int key = key(bucket);
            while (i < left.length && key(left[i]) < key) {
                i++;
            }
            if (i == left.length || key(left[i]) != key || count(left[i]) < count(bucket)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key of the bucket holding the value of a rank, walking from whichever end is nearer.
     *
     * @param rank in [1, total]
     * @param total the sum of the counts
     */
    static int keyAtRank(long[] buckets, long rank, long total) {
        if (rank <= total / 2) {
            long seen = 0;
            for (long bucket : buckets) {
                seen += count(bucket);
                if (seen >= rank) {
                    return key(bucket);
                }
            }
        } else {
            long fromTop = total - rank + 1;
            long seen = 0;
            for (int i = buckets.length - 1; i >= 0; i--) {
                seen += count(buckets[i]);
                if (seen >= fromTop) {
                    return key(buckets[i]);
                }
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond the " + total + " values counted");
    }

    /** How many counts the dense form of these buckets would hold: the key range of each sign. */
    static long denseSlots(long[] buckets) {
        if (buckets.length == 0) {
            return 0;
        }
        int zero = find(buckets, 0);
        int firstNonNegative = zero >= 0 ? zero : -zero - 1;
        int firstPositive = zero >= 0 ? zero + 1 : firstNonNegative;
        long slots = 0;
        if (firstNonNegative > 0) {
            slots += (long) key(buckets[firstNonNegative - 1]) - key(buckets[0]) + 1;
        }
        if (firstPositive < buckets.length) {
            slots += (long) key(buckets[buckets.length - 1]) - key(buckets[firstPositive]) + 1;
        }
        return slots;
    }

    /** The retained size of an array of buckets; the shared empty one costs nothing. */
    static long estimatedBytes(long[] buckets) {
        return buckets.length == 0 ? 0 : MemoryLayout.longArray(buckets.length);
    }

    private static int compareHeads(long[] left, int i, long[] right, int j) {
        if (i == left.length) {
            return 1;
        }
        if (j == right.length) {
            return -1;
        }
        return Integer.compare(key(left[i]), key(right[j]));
    }
}
