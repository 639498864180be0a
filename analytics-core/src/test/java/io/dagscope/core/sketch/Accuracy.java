package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.DoubleStream;

/** The checks of an estimate against an exact value, and the quantiles to check. */
final class Accuracy {

    /** The quantiles the brief names, ends included. */
    static final double[] NAMED_QUANTILES = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

    /** METRICS.md's tolerance: 1 % relative plus 1 ms absolute, in microseconds. */
    static final double CONTRACT_RELATIVE = 0.01;
    static final double CONTRACT_ABSOLUTE_MICROS = 1_000;

    private Accuracy() {
    }

    /** The named quantiles and every thousandth in between. */
    static double[] manyQuantiles() {
        return DoubleStream.concat(DoubleStream.of(NAMED_QUANTILES), DoubleStream.iterate(0, q -> q <= 1, q -> q + 0.001))
                .toArray();
    }

    /**
     * Asserts the sketch's own guarantee: within {@code a |exact|} when {@code |exact| >= minIndexable}, else
     * exactly 0.
     */
    static void assertWithinGuarantee(QuantileSketch sketch, double estimate, double exact, String context) {
        if (Math.abs(exact) >= sketch.minIndexable()) {
            double relativeError = Math.abs(estimate - exact) / Math.abs(exact);
            assertTrue(relativeError <= sketch.relativeAccuracy(),
                    () -> context + ": estimate " + estimate + " of " + exact + " is off by " + relativeError);
        } else {
            assertEquals(0.0, estimate, () -> context + ": " + exact + " lies in the zero bucket");
        }
    }

    /** Asserts METRICS.md's tolerance for durations in microseconds. */
    static void assertWithinContract(double estimate, double exact, String context) {
        double allowed = CONTRACT_RELATIVE * Math.abs(exact) + CONTRACT_ABSOLUTE_MICROS;
        assertTrue(Math.abs(estimate - exact) <= allowed,
                () -> context + ": estimate " + estimate + " of " + exact + " is beyond the contract's tolerance");
    }

    /** Asserts a pure relative tolerance, as DDSketch guarantees for every value it indexes. */
    static void assertWithinRelative(double estimate, double exact, double tolerance, String context) {
        assertTrue(Math.abs(estimate - exact) <= tolerance * Math.abs(exact),
                () -> context + ": estimate " + estimate + " of " + exact + " is off by more than " + tolerance);
    }
}
