package io.dagscope.core.sketch;

/**
 * A quantile sketch whose answers are within a relative accuracy of the exact nearest-rank quantile.
 *
 * <p><b>Guarantee.</b> Let {@code x} be the exact nearest-rank q-quantile of the values counted: the value at rank
 * {@link #nearestRank ceil(q n)}, clamped to [1, n], of the sorted values. Then {@link #quantile quantile(q)} returns
 * a value within {@code a |x|} of {@code x} when {@code |x| >= minIndexable}, and 0 (within {@code minIndexable} of
 * {@code x}) otherwise; {@code a} is the {@link #relativeAccuracy() relative accuracy}. This holds for every q in
 * [0, 1], for negative values, zeros and mixed signs, and after any sequence of additions, removals, merges and
 * subtractions.
 *
 * <p><b>How.</b> Values are counted in buckets whose bounds grow geometrically, so that one value stands within
 * {@code a} of every value of its bucket (the DDSketch idea). Magnitudes below {@code minIndexable} are counted in a
 * zero bucket, and negative values in buckets mirroring the positive ones. Because keys order like values, the
 * bucket holding the value at a rank is the one where the running count reaches the rank.
 *
 * <p><b>Representation.</b> While few buckets are used, they are kept sparse: one packed {@code long} per non-empty
 * bucket in a sorted array of exactly that length, so that an empty sketch retains 32 bytes and a sketch of one to
 * three values 56 to 72 (see {@link #estimatedBytes}). The sketch turns dense, one count per key over the range of
 * keys used (adding a value is then an array increment), once it holds more than 64 buckets and the dense form
 * would take at most twice the memory, or more than 256 buckets in any case. It turns sparse again when taking
 * values out leaves 32 buckets or fewer. The form never changes an answer.
 *
 * <p><b>Exact combination.</b> Sketches of the same parameters merge exactly ({@link #merge}: the same as adding
 * every value to one sketch), and a sketch that was merged in can be taken out again ({@link #subtract}), restoring
 * the previous buckets, counts and answers exactly; this lets an aggregate move a run's contribution from one tenant
 * to another. Taking out what was not counted throws and changes nothing. A sketch only knows buckets: taking out a
 * value that was never counted succeeds when its bucket holds another value, which it takes out instead.
 *
 * <p>Not thread-safe. No method accepts or returns null.
 */
public final class QuantileSketch {

    /** The default relative accuracy: half of METRICS.md's 1 % tolerance, for margin. */
    public static final double DEFAULT_RELATIVE_ACCURACY = 0.005;

    /** Up to this many buckets, the sketch stays sparse. */
    static final int SPARSE_ALWAYS = 64;

    /** The most buckets kept in the sparse form. */
    static final int SPARSE_LIMIT = 256;

    /** A dense sketch left with this many buckets or fewer after values are taken out turns sparse again. */
    static final int SHRINK_LIMIT = 32;

    /** Retained size of the object alone: header, two references, a long count, a reference to the mapping. */
    private static final long SHALLOW_BYTES =
            MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 3 * MemoryLayout.REFERENCE + 8);

    private final IndexMapping mapping;
    private long count;
    /** The buckets while the sketch is sparse; {@link SparseBuckets#NONE} while it is dense. */
    private long[] sparse = SparseBuckets.NONE;
    /** The buckets while the sketch is dense; null while it is sparse. */
    private DenseStore dense;

    /**
     * A sketch with the default accuracy, counting magnitudes below 1 as zero (durations in microseconds).
     */
    public QuantileSketch() {
        this(IndexMapping.DEFAULT);
    }

    /**
     * A sketch.
     *
     * @param relativeAccuracy the relative accuracy, in (0, 1); about 1e-6 at the finest
     * @param minIndexable magnitudes below this are counted as zero; finite and at least {@link Double#MIN_NORMAL}
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public QuantileSketch(double relativeAccuracy, double minIndexable) {
        this(IndexMapping.of(relativeAccuracy, minIndexable));
    }

    private QuantileSketch(IndexMapping mapping) {
        this.mapping = mapping;
    }

    /**
     * An empty sketch of the default parameters whose buckets are dense from the start: the form for summing many
     * sketches (a window's cells), where each {@link #merge} then adds counts in place instead of building a new
     * sparse array. The form never changes an answer.
     *
     * @return the sketch
     */
    public static QuantileSketch accumulator() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.dense = new DenseStore();
        return sketch;
    }

    /**
     * A sketch of the default parameters holding the given buckets, as {@link #forEachBucket} reported them: built
     * in one pass, where adding them one by one to a sparse sketch would copy its array once a bucket.
     *
     * @param keys the buckets' keys, strictly increasing, in the first {@code size} elements
     * @param counts the buckets' counts, each at least 1, in the first {@code size} elements
     * @param size how many buckets
     * @return the sketch
     * @throws IllegalArgumentException if the keys do not increase or a count is not positive
     * @throws ArithmeticException if the total count would overflow a {@code long}
     */
    public static QuantileSketch ofBuckets(int[] keys, long[] counts, int size) {
        QuantileSketch sketch = new QuantileSketch();
        sketch.addBuckets(keys, counts, size);
        return sketch;
    }

    /**
     * Adds buckets as {@link #forEachBucket} reported them (of a sketch of the same parameters): the same as
     * {@link #addToBucket} for each, in one pass over them, as a {@link #merge} of their sketch would be.
     *
     * @param keys the buckets' keys, strictly increasing, in the first {@code size} elements
     * @param counts the buckets' counts, each at least 1, in the first {@code size} elements
     * @param size how many buckets
     * @throws IllegalArgumentException if the keys do not increase or a count is not positive; nothing is added then
     * @throws ArithmeticException if the count would overflow a {@code long}; nothing is added then
     */
    public void addBuckets(int[] keys, long[] counts, int size) {
        long total = 0;
        boolean packable = true;
        for (int i = 0; i < size; i++) {
            if (counts[i] < 1 || (i > 0 && keys[i] <= keys[i - 1])) {
                throw new IllegalArgumentException("buckets must have increasing keys and positive counts");
            }
            total = Math.addExact(total, counts[i]);
            packable &= counts[i] <= SparseBuckets.MAX_COUNT;
        }
        long newCount = Math.addExact(count, total);
        if (size == 0) {
            return;
        }
        if (!packable) {
            for (int i = 0; i < size; i++) {
                addToBucket(keys[i], counts[i]);
            }
            return;
        }
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
            packed[i] = SparseBuckets.pack(keys[i], counts[i]);
        }
        addSparseForm(packed);
        count = newCount;
    }

    /**
     * The nearest rank of a quantile, the convention of METRICS.md shared by {@link #quantile} and anything that
     * computes the exact value to compare: {@code ceil(q n)} clamped to [1, n], computed in double arithmetic on the
     * given {@code q} (so {@code nearestRank(0.95, 20)} is 19).
     *
     * @param q the quantile, in [0, 1]
     * @param n how many values, at least 1
     * @return the 1-based rank, in [1, n]
     * @throws IllegalArgumentException if {@code q} or {@code n} is out of range
     */
    public static long nearestRank(double q, long n) {
        requireQuantile(q);
        if (n < 1) {
            throw new IllegalArgumentException("a rank needs at least one value, got n = " + n);
        }
        return Math.max(1, Math.min(n, (long) Math.ceil(q * n)));
    }

    /** @return the relative accuracy of the answers, as given at construction */
    public double relativeAccuracy() {
        return mapping.relativeAccuracy();
    }

    /** @return the magnitude below which values are counted as zero */
    public double minIndexable() {
        return mapping.minIndexable();
    }

    /**
     * Counts a value once.
     *
     * @param value a finite value
     * @throws IllegalArgumentException if the value is not finite
     */
    public void add(double value) {
        add(value, 1);
    }

    /**
     * Counts a value {@code n} times; a negative {@code n} takes out values that were counted before.
     *
     * @param value a finite value
     * @param n how many times; 0 changes nothing
     * @throws IllegalArgumentException if the value is not finite, or the value's bucket holds fewer than
     *     {@code -n} values; the sketch is then unchanged
     * @throws ArithmeticException if the count would overflow a {@code long}; the sketch is then unchanged
     */
    public void add(double value, long n) {
        addToBucket(keyOf(value), n);
    }

    /**
     * Counts {@code n} values in the bucket of a key that {@link #forEachBucket} reported, of this sketch or of
     * another of the same parameters: with those two, a sketch can be written out compactly and read back exactly.
     *
     * @param key a bucket's key, as {@link #forEachBucket} reports it
     * @param n how many values; a negative {@code n} takes values out; 0 changes nothing
     * @throws IllegalArgumentException if the bucket holds fewer than {@code -n} values; the sketch is then unchanged
     * @throws ArithmeticException if the count would overflow a {@code long}; the sketch is then unchanged
     */
    public void addToBucket(int key, long n) {
        if (n == 0) {
            return;
        }
        long newCount = Math.addExact(count, n);
        if (dense != null) {
            dense.add(key, n);
        } else {
            addSparse(key, n);
        }
        count = newCount;
        if (n < 0) {
            turnSparseIfSmall();
        }
    }

    /**
     * Takes out one count of a value that was counted before.
     *
     * @param value the value
     * @throws IllegalArgumentException if the value is not finite or its bucket is empty; the sketch is then
     *     unchanged
     */
    public void remove(double value) {
        add(value, -1);
    }

    /**
     * Adds every value of another sketch, exactly as if each had been added here.
     *
     * @param other a sketch of the same accuracy and minIndexable; may be this sketch
     * @throws IllegalArgumentException if the parameters differ
     * @throws ArithmeticException if the count would overflow a {@code long}; the sketch is then unchanged
     */
    public void merge(QuantileSketch other) {
        requireSameParameters(other);
        if (other == this) {
            merge(copy());
            return;
        }
        if (other.count == 0) {
            return;
        }
        long newCount = Math.addExact(count, other.count);
        if (other.dense != null) {
            turnDense();
            dense.addAll(other.dense, 1);
        } else {
            addSparseForm(other.sparse);
        }
        count = newCount;
    }

    /** Adds buckets in the sparse form (the count is the caller's to update), keeping the better form. */
    private void addSparseForm(long[] buckets) {
        if (dense != null) {
            dense.addSparse(buckets, 1);
            return;
        }
        long[] sum = SparseBuckets.sum(sparse, buckets, SPARSE_LIMIT);
        if (sum == null) {
            turnDense();
            dense.addSparse(buckets, 1);
        } else if (prefersDense(sum.length, SparseBuckets.denseSlots(sum))) {
            dense = DenseStore.of(sum);
            sparse = SparseBuckets.NONE;
        } else {
            sparse = sum;
        }
    }

    /**
     * Takes out every value of another sketch, which must all have been counted here: the exact inverse of
     * {@link #merge}.
     *
     * @param other a sketch of the same accuracy and minIndexable; may be this sketch
     * @throws IllegalArgumentException if the parameters differ or some bucket of {@code other} holds more than the
     *     same bucket here; the sketch is then unchanged
     */
    public void subtract(QuantileSketch other) {
        requireSameParameters(other);
        if (other == this) {
            clear();
            return;
        }
        if (other.count == 0) {
            return;
        }
        if (!covers(other)) {
            throw new IllegalArgumentException("cannot take out values that were not counted");
        }
        if (other.dense != null) {
            turnDense();
            dense.addAll(other.dense, -1);
        } else if (dense != null) {
            dense.addSparse(other.sparse, -1);
        } else {
            sparse = SparseBuckets.difference(sparse, other.sparse);
        }
        count -= other.count;
        turnSparseIfSmall();
    }

    /** Receives one non-empty bucket: its key and how many values it holds. */
    @FunctionalInterface
    public interface BucketVisitor {

        /**
         * One bucket.
         *
         * @param key the bucket's key: buckets of larger values have larger keys, 0 is the zero bucket
         * @param count how many values the bucket holds, at least 1
         */
        void bucket(int key, long count);
    }

    /**
     * Visits every non-empty bucket, in increasing key order (see {@link #addToBucket} to read them back).
     *
     * @param visitor what receives the buckets
     */
    public void forEachBucket(BucketVisitor visitor) {
        if (dense != null) {
            dense.forEachBucket(visitor);
        } else {
            for (long bucket : sparse) {
                visitor.bucket(SparseBuckets.key(bucket), SparseBuckets.count(bucket));
            }
        }
    }

    /** @return how many values are counted */
    public long count() {
        return count;
    }

    /** @return whether no value is counted */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * The nearest-rank quantile: the value at rank {@link #nearestRank ceil(q n)} of the sorted values, within the
     * relative accuracy (see the class documentation for the exact guarantee).
     *
     * @param q the quantile, in [0, 1]
     * @return the estimate, or NaN when the sketch is empty
     * @throws IllegalArgumentException if {@code q} is not in [0, 1]
     */
    public double quantile(double q) {
        requireQuantile(q);
        if (count == 0) {
            return Double.NaN;
        }
        long rank = nearestRank(q, count);
        int key = dense != null ? dense.keyAtRank(rank) : SparseBuckets.keyAtRank(sparse, rank, count);
        if (key > 0) {
            return mapping.value(key);
        }
        return key < 0 ? -mapping.value(-key) : 0.0;
    }

    /** Removes every value, releasing the buckets' memory. */
    public void clear() {
        sparse = SparseBuckets.NONE;
        dense = null;
        count = 0;
    }

    /** @return an independent copy, with the same parameters and values */
    public QuantileSketch copy() {
        QuantileSketch copy = new QuantileSketch(mapping);
        copy.count = count;
        copy.sparse = sparse.length == 0 ? SparseBuckets.NONE : sparse.clone();
        copy.dense = dense == null ? null : dense.copy();
        return copy;
    }

    /**
     * The approximate number of bytes this sketch retains, on a 64-bit JVM with compressed references (the default
     * below 32 GB of heap). The mapping of the default parameters is shared by all sketches and not counted; that
     * of other parameters is counted in full by each sketch, though copies share it.
     *
     * @return the estimate, in bytes
     */
    public long estimatedBytes() {
        long bytes = SHALLOW_BYTES + SparseBuckets.estimatedBytes(sparse);
        if (dense != null) {
            bytes += dense.estimatedBytes();
        }
        if (mapping != IndexMapping.DEFAULT) {
            bytes += IndexMapping.SHALLOW_BYTES;
        }
        return bytes;
    }

    /** @return a short description: count, parameters and form, not the values */
    @Override
    public String toString() {
        return "QuantileSketch[count=" + count + ", relativeAccuracy=" + relativeAccuracy() + ", minIndexable="
                + minIndexable() + ", " + (dense != null ? "dense" : "sparse") + " buckets=" + bucketCount() + "]";
    }

    /** Whether the buckets are in the dense form. */
    boolean isDense() {
        return dense != null;
    }

    /** @return how many buckets are non-empty: what {@link #forEachBucket} visits */
    public int bucketCount() {
        return dense != null ? dense.nonEmptyBuckets() : sparse.length;
    }

    /** Whether both sketches hold the same counts in the same buckets, whatever their forms. */
    boolean hasSameBucketsAs(QuantileSketch other) {
        return mapping.equals(other.mapping) && count == other.count && bucketCount() == other.bucketCount()
                && covers(other);
    }

    private int keyOf(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("cannot count a value that is not finite: " + value);
        }
        double minIndexable = mapping.minIndexable();
        if (value >= minIndexable) {
            return mapping.key(value);
        }
        if (value <= -minIndexable) {
            return -mapping.key(-value);
        }
        return 0;
    }

    private void addSparse(int key, long n) {
        int position = SparseBuckets.find(sparse, key);
        long current = position >= 0 ? SparseBuckets.count(sparse[position]) : 0;
        long updated = current + n;
        if (updated < 0) {
            throw new IllegalArgumentException("cannot take out a value that was not counted");
        }
        if (updated > SparseBuckets.MAX_COUNT
                || (position < 0 && sparse.length >= SPARSE_ALWAYS
                        && prefersDense(sparse.length + 1, SparseBuckets.denseSlots(sparse)))) {
            turnDense();
            dense.add(key, n);
        } else {
            sparse = SparseBuckets.withCount(sparse, position, key, updated);
        }
    }

    /** Whether every bucket of {@code other} holds no more than the same bucket here. */
    private boolean covers(QuantileSketch other) {
        if (other.count > count) {
            return false;
        }
        if (dense != null) {
            return other.dense != null ? dense.covers(other.dense) : dense.coversSparse(other.sparse);
        }
        return other.dense != null ? other.dense.isCoveredBy(sparse) : SparseBuckets.covers(sparse, other.sparse);
    }

    /** Whether this many buckets, which the dense form would hold in this many slots, are better kept dense. */
    private static boolean prefersDense(int buckets, long denseSlots) {
        return buckets > SPARSE_LIMIT || (buckets > SPARSE_ALWAYS && denseSlots <= 2L * buckets);
    }

    private void turnDense() {
        if (dense == null) {
            dense = DenseStore.of(sparse);
            sparse = SparseBuckets.NONE;
        }
    }

    private void turnSparseIfSmall() {
        if (dense != null && dense.nonEmptyBuckets() <= SHRINK_LIMIT) {
            long[] buckets = dense.toSparse();
            if (buckets != null) {
                sparse = buckets;
                dense = null;
            }
        }
    }

    private void requireSameParameters(QuantileSketch other) {
        if (!mapping.equals(other.mapping)) {
            throw new IllegalArgumentException("sketches of different parameters cannot be combined: "
                    + this + " and " + other);
        }
    }

    private static void requireQuantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
    }
}
