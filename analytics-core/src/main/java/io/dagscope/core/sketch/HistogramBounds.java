package io.dagscope.core.sketch;

import java.util.Arrays;

/**
 * Histogram bucket bounds that fall on the bins of the default {@link QuantileSketch}, so that a sketch of whole
 * numbers (durations in microseconds) turns into the exact counts of a classic cumulative histogram: every bin lies
 * wholly inside one bucket, and every whole number is counted in the bucket its value belongs to.
 *
 * <p>Each bound is the largest whole number of its bin, for the bin of a target value the caller picks (a round
 * number, or a power of a ratio): bounds land within the sketch's relative accuracy (0.5 %) above their targets.
 * Any quantile read off such a histogram by linear interpolation inside a bucket (Prometheus'
 * {@code histogram_quantile}) lies in the same bucket as the sketch's own quantile: the two differ by at most that
 * bucket's width.
 *
 * <p>Immutable and thread-safe.
 */
public final class HistogramBounds {

    private final long[] bounds;
    /** The last sketch key inside each bucket. */
    private final int[] lastKeys;

    private HistogramBounds(long[] bounds, int[] lastKeys) {
        this.bounds = bounds;
        this.lastKeys = lastKeys;
    }

    /**
     * Bounds on the bins of the default sketch, each the largest whole number of the bin that holds a target.
     *
     * @param targets increasing targets, each at least 1 (the default sketch counts smaller magnitudes as zero) and
     *     at most 2^52 (whole numbers are exact doubles up to there); targets in one bin give one bound
     * @return the bounds
     * @throws IllegalArgumentException if a target is out of range or the targets do not increase
     */
    public static HistogramBounds onSketchBins(double[] targets) {
        IndexMapping mapping = IndexMapping.DEFAULT;
        long[] bounds = new long[targets.length];
        int[] keys = new int[targets.length];
        int n = 0;
        for (int i = 0; i < targets.length; i++) {
            double t = targets[i];
            if (!(t >= 1 && t <= 0x1p52) || (i > 0 && t <= targets[i - 1])) {
                throw new IllegalArgumentException("targets must increase, from 1 to 2^52; got " + t + " at " + i);
            }
            int key = mapping.key(t);
            if (n > 0 && keys[n - 1] == key) {
                continue;
            }
            // the largest whole number whose key is this bin's: the bin spans less than 2 % above the target
            long low = (long) Math.floor(t);
            long high = (long) Math.ceil(t * 1.05) + 2;
            while (low < high) {
                long mid = (low + high + 1) >>> 1;
                if (mapping.key(mid) <= key) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            bounds[n] = low;
            keys[n] = key;
            n++;
        }
        return new HistogramBounds(Arrays.copyOf(bounds, n), Arrays.copyOf(keys, n));
    }

    /** @return how many bounds (the buckets are one more: the last one is above every bound) */
    public int size() {
        return bounds.length;
    }

    /**
     * @param i which bound, from 0
     * @return the bound: every whole number up to it, and no larger one, is counted in buckets 0 to {@code i}
     */
    public long bound(int i) {
        return bounds[i];
    }

    /**
     * Adds a sketch's counts into per-bucket counts (not cumulative). Zero and negative values fall in the first
     * bucket, values above the last bound in the last one.
     *
     * @param sketch a sketch of the default parameters
     * @param buckets {@link #size()} + 1 counts, added to
     * @throws IllegalArgumentException if the sketch has other parameters or the array has the wrong length
     */
    public void addCounts(QuantileSketch sketch, long[] buckets) {
        if (sketch.relativeAccuracy() != IndexMapping.DEFAULT.relativeAccuracy()
                || sketch.minIndexable() != IndexMapping.DEFAULT.minIndexable()) {
            throw new IllegalArgumentException("bounds are on the default sketch's bins, not on " + sketch);
        }
        if (buckets.length != bounds.length + 1) {
            throw new IllegalArgumentException("expected " + (bounds.length + 1) + " buckets, got "
                    + buckets.length);
        }
        sketch.forEachBucket((key, count) -> {
            int i = Arrays.binarySearch(lastKeys, key);
            buckets[i >= 0 ? i : -i - 1] += count;
        });
    }

    @Override
    public String toString() {
        return "HistogramBounds" + Arrays.toString(bounds);
    }
}
