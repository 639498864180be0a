package io.dagscope.core.sketch;

/**
 * The dense form of a sketch's buckets, for sketches holding many distinct buckets: an array of counts for the
 * positive keys, one for the magnitudes of the negative keys, and the zero bucket's count. Keeping the sides apart
 * spares the array from spanning the keys between the smallest magnitude used and zero.
 */
final class DenseStore {

    /** Retained size of the store without its two sides: header, two references, a long. */
    private static final long SHALLOW_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 2 * MemoryLayout.REFERENCE + 8);

    private final DenseCounts positive;
    private final DenseCounts negative;
    private long zeroCount;

    DenseStore() {
        this(new DenseCounts(), new DenseCounts(), 0);
    }

    private DenseStore(DenseCounts positive, DenseCounts negative, long zeroCount) {
        this.positive = positive;
        this.negative = negative;
        this.zeroCount = zeroCount;
    }

    /** A dense store holding the buckets of a sparse form. */
    static DenseStore of(long[] buckets) {
        DenseStore store = new DenseStore();
        store.addSparse(buckets, 1);
        return store;
    }

    int nonEmptyBuckets() {
        return positive.nonEmptyBuckets() + negative.nonEmptyBuckets() + (zeroCount != 0 ? 1 : 0);
    }

    long countAt(int key) {
        if (key > 0) {
            return positive.countAt(key);
        }
        return key < 0 ? negative.countAt(-key) : zeroCount;
    }

    /** Adds {@code n} to a bucket, leaving everything as it was when that would make the count negative. */
    void add(int key, long n) {
        if (key > 0) {
            positive.add(key, n);
        } else if (key < 0) {
            negative.add(-key, n);
        } else {
            if (zeroCount + n < 0) {
                throw new IllegalArgumentException("cannot take out a value that was not counted");
            }
            zeroCount += n;
        }
    }

    /**
     * Adds the buckets of a sparse form, each count multiplied by {@code sign}, making room once per side.
     *
     * @param sign 1, or -1 when {@link #coversSparse} has said yes
     */
    void addSparse(long[] buckets, int sign) {
        if (buckets.length == 0) {
            return;
        }
        if (sign > 0) {
            // sorted by key: negative keys (largest magnitude first), then zero, then positive keys
            int zero = SparseBuckets.find(buckets, 0);
            int firstNonNegative = zero >= 0 ? zero : -zero - 1;
            int firstPositive = zero >= 0 ? zero + 1 : firstNonNegative;
            if (firstNonNegative > 0) {
                negative.cover(-SparseBuckets.key(buckets[firstNonNegative - 1]), -SparseBuckets.key(buckets[0]));
            }
            if (firstPositive < buckets.length) {
                positive.cover(SparseBuckets.key(buckets[firstPositive]), SparseBuckets.key(buckets[buckets.length - 1]));
            }
        }
        for (long bucket : buckets) {
            add(SparseBuckets.key(bucket), sign * SparseBuckets.count(bucket));
        }
    }

    /** Adds another dense store's buckets, each multiplied by {@code sign} (-1 only when {@link #covers} says yes). */
    void addAll(DenseStore other, int sign) {
        positive.addAll(other.positive, sign);
        negative.addAll(other.negative, sign);
        zeroCount += sign * other.zeroCount;
    }

    /** Whether every bucket of the other store holds no more than the same bucket here. */
    boolean covers(DenseStore other) {
        return other.zeroCount <= zeroCount && positive.covers(other.positive) && negative.covers(other.negative);
    }

    /** Whether every bucket of a sparse form holds no more than the same bucket here. */
    boolean coversSparse(long[] buckets) {
        for (long bucket : buckets) {
            if (SparseBuckets.count(bucket) > countAt(SparseBuckets.key(bucket))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every bucket here holds no more than the same bucket of a sparse form. */
    boolean isCoveredBy(long[] buckets) {
        if (nonEmptyBuckets() > buckets.length || zeroCount > SparseBuckets.countAt(buckets, 0)) {
            return false;
        }
        return isCoveredBy(positive, buckets, 1) && isCoveredBy(negative, buckets, -1);
    }

    /**
     * The key of the bucket holding the value of a rank, in value order: negative keys from the largest magnitude,
     * then zero, then positive keys.
     *
     * @param rank in [1, total count]
     */
    int keyAtRank(long rank) {
        long negatives = negative.total();
        if (rank <= negatives) {
            return -negative.keyAtRank(negatives - rank + 1);
        }
        long rest = rank - negatives;
        if (rest <= zeroCount) {
            return 0;
        }
        return positive.keyAtRank(rest - zeroCount);
    }

    /**
     * The sparse form of these buckets, or null when a count is too large to pack.
     */
    long[] toSparse() {
        long[] buckets = new long[nonEmptyBuckets()];
        int size = 0;
        for (int magnitude = negative.highestKey(); magnitude >= negative.lowestKey(); magnitude--) {
            long count = negative.countAt(magnitude);
            if (count > SparseBuckets.MAX_COUNT) {
                return null;
            }
            if (count != 0) {
                buckets[size++] = SparseBuckets.pack(-magnitude, count);
            }
        }
        if (zeroCount > SparseBuckets.MAX_COUNT) {
            return null;
        }
        if (zeroCount != 0) {
            buckets[size++] = SparseBuckets.pack(0, zeroCount);
        }
        for (int key = positive.lowestKey(); key <= positive.highestKey(); key++) {
            long count = positive.countAt(key);
            if (count > SparseBuckets.MAX_COUNT) {
                return null;
            }
            if (count != 0) {
                buckets[size++] = SparseBuckets.pack(key, count);
            }
        }
        return buckets.length == 0 ? SparseBuckets.NONE : buckets;
    }

    /** Visits the non-empty buckets in increasing key order. */
    void forEachBucket(QuantileSketch.BucketVisitor visitor) {
        for (int magnitude = negative.highestKey(); magnitude >= negative.lowestKey(); magnitude--) {
            long count = negative.countAt(magnitude);
            if (count != 0) {
                visitor.bucket(-magnitude, count);
            }
        }
        if (zeroCount != 0) {
            visitor.bucket(0, zeroCount);
        }
        for (int key = positive.lowestKey(); key <= positive.highestKey(); key++) {
            long count = positive.countAt(key);
            if (count != 0) {
                visitor.bucket(key, count);
            }
        }
    }

    DenseStore copy() {
        return new DenseStore(positive.copy(), negative.copy(), zeroCount);
    }

    long estimatedBytes() {
        return SHALLOW_BYTES + positive.estimatedBytes() + negative.estimatedBytes();
    }

    private static boolean isCoveredBy(DenseCounts side, long[] buckets, int sign) {
        for (int magnitude = side.lowestKey(); magnitude <= side.highestKey(); magnitude++) {
            long count = side.countAt(magnitude);
            if (count != 0 && count > SparseBuckets.countAt(buckets, sign * magnitude)) {
                return false;
            }
        }
        return true;
    }
}
