package io.dagscope.core.sketch;

/**
 * Maps a magnitude to the key of its bucket and a key to the value that stands for its bucket.
 *
 * <p>Bucket boundaries are evenly spaced in {@code f(v) = e + P(s)}, where {@code v = 2^e (1 + s)} with
 * {@code s} in [0, 1) is read off the bits of the double and {@code P(s) = A s^3 + B s^2 + C s} is a cubic with
 * {@code P(0) = 0} and {@code P(1) = 1} that follows {@code log2(1 + s)} closely. This costs a few multiplications
 * instead of a {@code Math.log} on the ingest path.
 *
 * <p>Why the accuracy still holds: {@code f} is increasing and continuous, and its slope against {@code ln v} is
 * {@code (1 + s) P'(s)}, which never falls below {@code 10/7} on [0, 1] (the minimum, reached at {@code s = 0} and
 * {@code s = 2/3}). A bucket spans {@code 1 / multiplier} in {@code f}, hence at most {@code 0.7 / multiplier} in
 * {@code ln v}; choosing {@code multiplier = 0.7 / ln(gamma)} makes the ratio of a bucket's upper to lower bound at
 * most {@code gamma = (1 + a') / (1 - a')}. The harmonic mean {@code 2 lo hi / (lo + hi)} of the bounds is then
 * within relative error {@code (hi - lo) / (hi + lo) <= a'} of every value in the bucket. {@code a'} is the requested
 * accuracy shrunk by one part in a million, a margin far larger than the rounding of these few floating-point
 * operations (about 1e-13 relative), which can put a value lying on a boundary into its neighbour. The buckets are
 * about 1 % narrower than exact logarithmic ones would need to be. {@code IndexMappingTest} checks the bound on
 * every bucket boundary over fourteen decades and on random doubles over the whole range.
 *
 * <p>Keys: the bucket holding {@code minIndexable} has key 1, larger magnitudes larger keys. Key 0 is left for the
 * zero bucket and negative keys for negative values, so that keys order like the values they stand for.
 * Immutable.
 */
final class IndexMapping {

    /** The mapping of the default sketch, shared by every sketch that uses it. */
    static final IndexMapping DEFAULT = new IndexMapping(QuantileSketch.DEFAULT_RELATIVE_ACCURACY, 1.0);

    /** Retained size of a mapping that is not shared: header, three doubles and an int. */
    static final long SHALLOW_BYTES = 40;

    private static final double A = 6.0 / 35.0;
    private static final double B = -3.0 / 5.0;
    private static final double C = 10.0 / 7.0;
    /** The least slope of {@code f} against the natural logarithm: min over [0, 1] of {@code (1 + s) P'(s)}. */
    private static final double MIN_SLOPE = 10.0 / 7.0;
    /** How much of the requested accuracy is kept back for rounding. */
    private static final double ROUNDING_MARGIN = 1e-6;
    private static final long SIGNIFICAND_MASK = 0x000F_FFFF_FFFF_FFFFL;
    private static final long ONE_BITS = 0x3FF0_0000_0000_0000L;

    private final double relativeAccuracy;
    private final double minIndexable;
    private final double multiplier;
    private final int indexOffset;

    IndexMapping(double relativeAccuracy, double minIndexable) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relative accuracy must be in (0, 1), got " + relativeAccuracy);
        }
        if (!(minIndexable >= Double.MIN_NORMAL) || Double.isInfinite(minIndexable)) {
            throw new IllegalArgumentException(
                    "minIndexable must be finite and at least Double.MIN_NORMAL, got " + minIndexable);
        }
        double inner = relativeAccuracy * (1 - ROUNDING_MARGIN);
        double logGamma = Math.log1p(2 * inner / (1 - inner));
        this.relativeAccuracy = relativeAccuracy;
        this.minIndexable = minIndexable;
        this.multiplier = 1 / (MIN_SLOPE * logGamma);
        double lowest = Math.ceil(approximateLog2(minIndexable) * multiplier);
        double highest = Math.ceil(approximateLog2(Double.MAX_VALUE) * multiplier);
        if (highest - lowest + 1 >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("relative accuracy " + relativeAccuracy
                    + " is too fine for the range of doubles above " + minIndexable);
        }
        this.indexOffset = (int) lowest - 1;
    }

    /** Returns a mapping with these parameters, the shared default one when they are the default's. */
    static IndexMapping of(double relativeAccuracy, double minIndexable) {
        if (relativeAccuracy == DEFAULT.relativeAccuracy && minIndexable == DEFAULT.minIndexable) {
            return DEFAULT;
        }
        return new IndexMapping(relativeAccuracy, minIndexable);
    }

    double relativeAccuracy() {
        return relativeAccuracy;
    }

    double minIndexable() {
        return minIndexable;
    }

    /**
     * The key of a magnitude, at least 1.
     *
     * @param magnitude a finite value of at least {@code minIndexable}
     */
    int key(double magnitude) {
        int key = (int) Math.ceil(approximateLog2(magnitude) * multiplier) - indexOffset;
        // rounding may put minIndexable itself one bucket low; key 0 belongs to the zero bucket
        return Math.max(1, key);
    }

    /**
     * The value that stands for every magnitude of a bucket: the harmonic mean of its bounds, capped at the largest
     * double (the top bucket's upper bound lies beyond it).
     *
     * @param key a key from {@link #key}
     */
    double value(int key) {
        long index = (long) key + indexOffset;
        double lowerLog = (index - 1) / multiplier;
        double upperLog = index / multiplier;
        double lowerExponent = Math.floor(lowerLog);
        double upperExponent = Math.floor(upperLog);
        double lowerSignificand = 1 + inverseOfP(lowerLog - lowerExponent);
        double upperSignificand = 1 + inverseOfP(upperLog - upperExponent);
        double ratio = Math.scalb(upperSignificand / lowerSignificand, (int) (upperExponent - lowerExponent));
        double harmonicMean = Math.scalb(lowerSignificand * (2 * ratio / (1 + ratio)), (int) lowerExponent);
        return Math.min(harmonicMean, Double.MAX_VALUE);
    }

    /** {@code e + P(s)} for a positive normal double {@code 2^e (1 + s)}. */
    private static double approximateLog2(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int exponent = (int) (bits >>> 52) - 1023;
        double s = Double.longBitsToDouble((bits & SIGNIFICAND_MASK) | ONE_BITS) - 1;
        return ((A * s + B) * s + C) * s + exponent;
    }

    /**
     * The {@code s} in [0, 1] with {@code P(s) = t}, by Newton's method from {@code s = t}: P is increasing and
     * concave there, so it converges in at most five steps; the last step taken is below 2^-50.
     */
    private static double inverseOfP(double t) {
        double s = t;
        for (int i = 0; i < 16; i++) {
            double residual = ((A * s + B) * s + C) * s - t;
            double slope = (3 * A * s + 2 * B) * s + C;
            double step = residual / slope;
            s -= step;
            if (Math.abs(step) <= 0x1p-50) {
                break;
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IndexMapping
                && ((IndexMapping) other).relativeAccuracy == relativeAccuracy
                && ((IndexMapping) other).minIndexable == minIndexable;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(relativeAccuracy) * 31 + Double.hashCode(minIndexable);
    }
}
