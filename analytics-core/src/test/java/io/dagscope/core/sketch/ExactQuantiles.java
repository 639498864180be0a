package io.dagscope.core.sketch;

import java.util.Arrays;

/** The exact answers a sketch is checked against: the values, sorted. */
final class ExactQuantiles {

    private final double[] sorted;

    ExactQuantiles(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The value at METRICS.md's nearest rank, {@code ceil(q n)} clamped to [1, n]. */
    double nearestRank(double q) {
        return sorted[(int) QuantileSketch.nearestRank(q, sorted.length) - 1];
    }

    /** The value at the rank DDSketch's {@code getValueAtQuantile} answers for: {@code floor(q (n - 1)) + 1}. */
    double ddSketchRank(double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }
}
