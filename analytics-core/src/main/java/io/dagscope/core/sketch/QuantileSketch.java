package io.dagscope.core.sketch;

import java.util.Arrays;

/**
 * A quantile sketch whose answers are within a relative accuracy of the exact nearest-rank quantile.
 *
 * <p>Values are counted in logarithmic buckets: bucket {@code i} holds the values in
 * {@code (gamma^(i-1), gamma^i]} with {@code gamma = (1 + a) / (1 - a)}, and answers with a value within relative
 * accuracy {@code a} of every value it holds. Values whose magnitude is below {@code minIndexable} are counted as
 * zero. Negative values are mirrored into a store of their own.
 *
 * <p>Sketches of the same accuracy merge exactly ({@link #merge}), and a sketch that was merged in can be taken out
 * again ({@link #subtract}), which lets an aggregate move a run's contribution from one tenant to another. Not
 * thread-safe.
 */
public final class QuantileSketch {

    /** The default relative accuracy: half of METRICS.md's 1 % tolerance, for margin. */
    public static final double DEFAULT_RELATIVE_ACCURACY = 0.005;

    private final double relativeAccuracy;
    private final double minIndexable;
    private final double logGamma;
    private final double gamma;
    private final Store positive = new Store();
    private final Store negative = new Store();
    private long zeroCount;
    private long count;

    /**
     * A sketch with the default accuracy, counting magnitudes below 1 as zero (durations in microseconds).
     */
    public QuantileSketch() {
        this(DEFAULT_RELATIVE_ACCURACY, 1.0);
    }

    /**
     * A sketch.
     *
     * @param relativeAccuracy the relative accuracy, in (0, 1)
     * @param minIndexable magnitudes below this are counted as zero; positive
     */
    public QuantileSketch(double relativeAccuracy, double minIndexable) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relative accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        if (!(minIndexable > 0) || Double.isInfinite(minIndexable)) {
            throw new IllegalArgumentException("minIndexable must be positive, got " + minIndexable);
        }
        this.relativeAccuracy = relativeAccuracy;
        this.minIndexable = minIndexable;
        this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        this.logGamma = Math.log(gamma);
    }

    /** @return the relative accuracy */
    public double relativeAccuracy() {
        return relativeAccuracy;
    }

    /**
     * Counts a value once.
     *
     * @param value a finite value
     */
    public void add(double value) {
        add(value, 1);
    }

    /**
     * Counts a value {@code n} times; a negative {@code n} takes values out that were counted before.
     *
     * @param value a finite value
     * @param n how many times
     * @throws IllegalArgumentException if the value is not finite, or more is taken out than was counted
     */
    public void add(double value, long n) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("cannot count a value that is not finite: " + value);
        }
        if (n == 0) {
            return;
        }
        if (value >= minIndexable) {
            positive.add(index(value), n);
        } else if (value <= -minIndexable) {
            negative.add(index(-value), n);
        } else {
            if (zeroCount + n < 0) {
                throw new IllegalArgumentException("cannot take out a value that was not counted");
            }
            zeroCount += n;
        }
        count += n;
    }

    /**
     * Takes out one count of a value that was counted before.
     *
     * @param value the value
     */
    public void remove(double value) {
        add(value, -1);
    }

    /**
     * Adds every value of another sketch.
     *
     * @param other a sketch of the same accuracy
     */
    public void merge(QuantileSketch other) {
        combine(other, 1);
    }

    /**
     * Takes out every value of another sketch, which must all have been counted here.
     *
     * @param other a sketch of the same accuracy
     */
    public void subtract(QuantileSketch other) {
        combine(other, -1);
    }

    private void combine(QuantileSketch other, int sign) {
        if (other.relativeAccuracy != relativeAccuracy || other.minIndexable != minIndexable) {
            throw new IllegalArgumentException("sketches of different accuracies cannot be combined");
        }
        positive.addAll(other.positive, sign);
        negative.addAll(other.negative, sign);
        zeroCount += sign * other.zeroCount;
        count += sign * other.count;
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
     * The nearest-rank quantile: the value at rank {@code ceil(q * n)} of the sorted values, within the relative
     * accuracy.
     *
     * @param q the quantile, in [0, 1]
     * @return the estimate, or NaN when the sketch is empty
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, Math.min(count, (long) Math.ceil(q * count)));
        // negatives, largest magnitude first
        long seen = negative.total();
        if (rank <= seen) {
            long target = seen - rank + 1; // rank among magnitudes, ascending
            return -value(negative.indexAtRank(target));
        }
        seen += zeroCount;
        if (rank <= seen) {
            return 0.0;
        }
        return value(positive.indexAtRank(rank - seen));
    }

    /** Removes every value. */
    public void clear() {
        positive.clear();
        negative.clear();
        zeroCount = 0;
        count = 0;
    }

    /** @return an independent copy */
    public QuantileSketch copy() {
        QuantileSketch c = new QuantileSketch(relativeAccuracy, minIndexable);
        c.merge(this);
        return c;
    }

    private int index(double magnitude) {
        return (int) Math.ceil(Math.log(magnitude) / logGamma);
    }

    private double value(int index) {
        return 2 * Math.pow(gamma, index) / (gamma + 1);
    }

    /** Counts per bucket index, in a dense array that grows to the range of indexes used. */
    private static final class Store {
        private long[] counts = new long[0];
        private int offset;
        private long total;

        void add(int index, long n) {
            if (counts.length == 0) {
                counts = new long[8];
                offset = index - 4;
            }
            if (index < offset || index >= offset + counts.length) {
                grow(index);
            }
            long c = counts[index - offset] + n;
            if (c < 0) {
                throw new IllegalArgumentException("cannot take out a value that was not counted");
            }
            counts[index - offset] = c;
            total += n;
        }

        private void grow(int index) {
            int lo = Math.min(offset, index);
            int hi = Math.max(offset + counts.length, index + 1);
            int span = hi - lo;
            int slack = Math.max(8, span / 2);
            int newLo = index < offset ? lo - slack : lo;
            int newLen = span + slack;
            long[] grown = new long[newLen];
            System.arraycopy(counts, 0, grown, offset - newLo, counts.length);
            counts = grown;
            offset = newLo;
        }

        void addAll(Store other, int sign) {
            for (int i = 0; i < other.counts.length; i++) {
                long c = other.counts[i];
                if (c != 0) {
                    add(other.offset + i, sign * c);
                }
            }
        }

        long total() {
            return total;
        }

        int indexAtRank(long rank) {
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return offset + i;
                }
            }
            throw new IllegalStateException("rank " + rank + " beyond " + total);
        }

        void clear() {
            Arrays.fill(counts, 0);
            total = 0;
        }
    }
}
