package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantileSketchSmallCountsTest {

    private static final double A = QuantileSketch.DEFAULT_RELATIVE_ACCURACY;

    @ParameterizedTest
    @CsvSource({
        "0.95, 20, 19", "0.5, 1, 1", "0, 1, 1", "1, 1, 1", "0.5, 2, 1", "0.51, 2, 2", "0.5, 3, 2", "0.95, 3, 3",
        "0, 20, 1", "1, 20, 20", "0.99, 100, 99", "0.999, 100, 100", "0.05, 20, 1", "0.06, 20, 2", "0.5, 1000001, 500001"
    })
    void nearestRankIsTheCeilingOfQTimesNClampedToOneAndN(double q, long n, long rank) {
        assertEquals(rank, QuantileSketch.nearestRank(q, n));
    }

    @Test
    void aSingleValueIsEveryQuantile() {
        QuantileSketch sketch = sketchOf(7_250_000);

        for (double q : Accuracy.manyQuantiles()) {
            assertClose(7_250_000, sketch.quantile(q));
        }
    }

    @Test
    void twoValuesSplitAtTheMedian() {
        QuantileSketch sketch = sketchOf(3_000_000, 1_000_000);

        assertClose(1_000_000, sketch.quantile(0));
        assertClose(1_000_000, sketch.quantile(0.5));
        assertClose(3_000_000, sketch.quantile(0.500001));
        assertClose(3_000_000, sketch.quantile(0.95));
        assertClose(3_000_000, sketch.quantile(1));
    }

    @Test
    void threeValuesAnswerTheMiddleOneAtTheMedianAndTheLargestAtP95() {
        QuantileSketch sketch = sketchOf(900, 100, 500);

        assertClose(100, sketch.quantile(0.33));
        assertClose(500, sketch.quantile(0.34));
        assertClose(500, sketch.quantile(0.5));
        assertClose(900, sketch.quantile(0.95));
        assertClose(900, sketch.quantile(0.99));
    }

    @Test
    void twentyValuesAnswerTheNineteenthAtP95AndTheTwentiethAtP99() {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 20; i >= 1; i--) {
            sketch.add(i * 1_000_000.0);
        }

        assertClose(19_000_000, sketch.quantile(0.95));
        assertClose(20_000_000, sketch.quantile(0.99));
        assertClose(10_000_000, sketch.quantile(0.5));
        assertClose(1_000_000, sketch.quantile(0.05));
        assertClose(2_000_000, sketch.quantile(0.06));
    }

    @Test
    void allEqualValuesAnswerThatValueEverywhere() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(123_456, 1_000);

        for (double q : Accuracy.manyQuantiles()) {
            assertClose(123_456, sketch.quantile(q));
        }
        assertEquals(1, sketch.bucketCount());
    }

    @Test
    void negativeValuesOrderBelowZeroWithTheLargestMagnitudeFirst() {
        QuantileSketch sketch = sketchOf(-5, -5_000, -50, -500_000);

        assertClose(-500_000, sketch.quantile(0));
        assertClose(-5_000, sketch.quantile(0.5));
        assertClose(-50, sketch.quantile(0.75));
        assertClose(-5, sketch.quantile(1));
    }

    @Test
    void mixedSignsAndZerosAnswerInValueOrder() {
        QuantileSketch sketch = sketchOf(2_000, -3_000, 0, 0, 40, -7);

        assertClose(-3_000, sketch.quantile(0));
        assertClose(-7, sketch.quantile(0.3));
        assertEquals(0.0, sketch.quantile(0.5));
        assertEquals(0.0, sketch.quantile(0.6));
        assertClose(40, sketch.quantile(0.8));
        assertClose(2_000, sketch.quantile(1));
    }

    @Test
    void magnitudesBelowMinIndexableAreAnsweredAsZero() {
        QuantileSketch sketch = sketchOf(0.4, -0.9, 0.0, -0.0, 0.999_999);

        for (double q : Accuracy.manyQuantiles()) {
            assertEquals(0.0, sketch.quantile(q));
        }
        assertClose(1, sketchOf(1).quantile(0.5));
        assertClose(-1, sketchOf(-1).quantile(0.5));
    }

    @Test
    void theLargestAndSmallestFiniteValuesAreCountedAndAnswered() {
        QuantileSketch sketch = sketchOf(Double.MAX_VALUE, -Double.MAX_VALUE);

        assertClose(-Double.MAX_VALUE, sketch.quantile(0));
        assertClose(Double.MAX_VALUE, sketch.quantile(1));
        assertTrue(Double.isFinite(sketch.quantile(1)));
    }

    @Test
    void anEmptySketchAnswersNaN() {
        QuantileSketch sketch = new QuantileSketch();

        assertTrue(sketch.isEmpty());
        assertTrue(Double.isNaN(sketch.quantile(0.5)));
    }

    @Test
    void rejectsQuantilesOutsideZeroToOneAndValuesThatAreNotFinite() {
        QuantileSketch sketch = sketchOf(1_000);

        assertThrows(IllegalArgumentException.class, () -> sketch.quantile(-0.01));
        assertThrows(IllegalArgumentException.class, () -> sketch.quantile(1.01));
        assertThrows(IllegalArgumentException.class, () -> sketch.quantile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> sketch.add(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> sketch.add(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> sketch.add(Double.NEGATIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantileSketch.nearestRank(0.5, 0));
        assertEquals(1, sketch.count());
    }

    @Test
    void rejectsParametersOutsideTheirRanges() {
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(0.01, Double.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(0.01, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new QuantileSketch(1e-12, Double.MIN_NORMAL));
    }

    @Test
    void reportsItsParameters() {
        QuantileSketch sketch = new QuantileSketch(0.02, 1e-3);

        assertEquals(0.02, sketch.relativeAccuracy());
        assertEquals(1e-3, sketch.minIndexable());
        assertEquals(QuantileSketch.DEFAULT_RELATIVE_ACCURACY, new QuantileSketch().relativeAccuracy());
        assertEquals(1.0, new QuantileSketch().minIndexable());
    }

    private static QuantileSketch sketchOf(double... values) {
        QuantileSketch sketch = new QuantileSketch();
        for (double value : values) {
            sketch.add(value);
        }
        return sketch;
    }

    private static void assertClose(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= A * Math.abs(expected),
                () -> "expected " + expected + " within " + A + ", got " + actual);
    }
}
