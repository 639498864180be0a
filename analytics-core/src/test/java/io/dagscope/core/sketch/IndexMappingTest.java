package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast mapping's accuracy, checked where it is tightest: on both sides of every bucket boundary, found to the
 * last bit, and on random doubles of every exponent.
 */
class IndexMappingTest {

    @ParameterizedTest
    @CsvSource({"0.005, 1", "0.01, 1e-9", "0.001, 1", "0.05, 1e-300", "0.3, 1"})
    void everyValueOnEitherSideOfEveryBucketBoundaryOverFourteenDecadesIsWithinTheAccuracy(double accuracy,
            double minIndexable) {
        IndexMapping mapping = new IndexMapping(accuracy, minIndexable);
        double from = Math.max(minIndexable, 1.0);
        double to = from * 1e14;
        double step = 1 + accuracy / 8;
        int boundaries = 0;
        double previous = from;
        int previousKey = mapping.key(previous);
        assertWithin(mapping, previous);
        for (double value = from * step; value <= to; value *= step) {
            int key = mapping.key(value);
            String where = "at " + value;
            assertTrue(key >= previousKey, where);
            if (key != previousKey) {
                assertEquals(previousKey + 1, key, where);
                double boundary = lowestValueOfKey(mapping, previous, value, key);
                assertWithin(mapping, boundary);
                assertWithin(mapping, Math.nextDown(boundary));
                assertWithin(mapping, Math.nextUp(boundary));
                boundaries++;
            }
            assertWithin(mapping, value);
            previous = value;
            previousKey = key;
        }
        assertTrue(boundaries >= Math.log(1e14) / Math.log((1 + accuracy) / (1 - accuracy)), "every bucket was visited");
    }

    @Test
    void randomDoublesOfEveryExponentAreWithinTheAccuracy() {
        SplittableRandom random = new SplittableRandom(17);
        for (IndexMapping mapping : new IndexMapping[] {IndexMapping.DEFAULT, new IndexMapping(0.001, Double.MIN_NORMAL)}) {
            for (int i = 0; i < 1_000_000; i++) {
                // uniform bits above minIndexable: every exponent equally likely
                long bits = random.nextLong(Double.doubleToRawLongBits(mapping.minIndexable()),
                        Double.doubleToRawLongBits(Double.MAX_VALUE) + 1);
                assertWithin(mapping, Double.longBitsToDouble(bits));
            }
            assertWithin(mapping, mapping.minIndexable());
            assertWithin(mapping, Double.MAX_VALUE);
            assertEquals(1, mapping.key(mapping.minIndexable()), "the lowest bucket has key 1");
        }
    }

    @Test
    void exactPowersOfTwoAndTheirNeighboursAreWithinTheAccuracy() {
        for (int exponent = 0; exponent <= 1023; exponent++) {
            double power = Math.scalb(1.0, exponent);
            assertWithin(IndexMapping.DEFAULT, power);
            assertWithin(IndexMapping.DEFAULT, Math.nextDown(power));
            assertWithin(IndexMapping.DEFAULT, Math.nextUp(power));
        }
    }

    @Test
    void bucketsAreAtMostOnePercentMoreNumerousThanExactLogarithmicOnes() {
        IndexMapping mapping = IndexMapping.DEFAULT;
        double accuracy = mapping.relativeAccuracy();
        double exactLogarithmicBuckets = Math.log(1e14) / Math.log((1 + accuracy) / (1 - accuracy));

        int buckets = mapping.key(1e14) - mapping.key(1);

        assertTrue(buckets >= exactLogarithmicBuckets, "no mapping does with fewer");
        assertTrue(buckets <= 1.011 * exactLogarithmicBuckets, () -> buckets + " vs " + exactLogarithmicBuckets);
    }

    @Test
    void mappingsOfTheSameParametersAreEqualAndTheDefaultIsShared() {
        assertEquals(new IndexMapping(0.01, 2), new IndexMapping(0.01, 2));
        assertEquals(new IndexMapping(0.01, 2).hashCode(), new IndexMapping(0.01, 2).hashCode());
        assertTrue(IndexMapping.of(QuantileSketch.DEFAULT_RELATIVE_ACCURACY, 1.0) == IndexMapping.DEFAULT);
    }

    private static void assertWithin(IndexMapping mapping, double value) {
        double estimate = mapping.value(mapping.key(value));
        double error = Math.abs(estimate - value) / value;
        assertTrue(error <= mapping.relativeAccuracy(),
                () -> "value " + value + " (key " + mapping.key(value) + ") answered " + estimate + ", off by " + error);
    }

    /** The least double in (below, above] whose key is {@code key}, by bisection on the bits. */
    private static double lowestValueOfKey(IndexMapping mapping, double below, double above, int key) {
        long low = Double.doubleToRawLongBits(below);
        long high = Double.doubleToRawLongBits(above);
        while (high - low > 1) {
            long middle = (low + high) >>> 1;
            if (mapping.key(Double.longBitsToDouble(middle)) >= key) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return Double.longBitsToDouble(high);
    }
}
