package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramBoundsTest {

    private static final double[] TARGETS = new double[45];

    static {
        for (int i = 0; i < TARGETS.length; i++) {
            TARGETS[i] = Math.pow(2, (i - 12) / 2.0) * 1e6;
        }
    }

    private final HistogramBounds bounds = HistogramBounds.onSketchBins(TARGETS);

    @Test
    void eachBoundIsTheLastWholeNumberOfItsBinJustAboveItsTarget() {
        assertEquals(TARGETS.length, bounds.size());
        for (int i = 0; i < bounds.size(); i++) {
            long b = bounds.bound(i);
            assertTrue(b >= TARGETS[i] && b <= TARGETS[i] * 1.011, b + " for " + TARGETS[i]);
            assertEquals(IndexMapping.DEFAULT.key(TARGETS[i]), IndexMapping.DEFAULT.key(b));
            assertTrue(IndexMapping.DEFAULT.key(b + 1) > IndexMapping.DEFAULT.key(b), "the bin ends at " + b);
        }
    }

    @Test
    void bucketsCountWholeNumbersExactlyAsTheirValuesSay() {
        Random rnd = new Random(7);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            // on both sides of every bound, where a bin straddling it would miscount
            values.add(bounds.bound(i));
            values.add(bounds.bound(i) + 1);
            values.add(bounds.bound(i) - 1);
        }
        for (int i = 0; i < 20_000; i++) {
            values.add((long) Math.exp(rnd.nextDouble() * Math.log(1e11)));
        }
        values.add(0L);
        values.add(-5L);
        QuantileSketch sketch = new QuantileSketch();
        long[] expected = new long[bounds.size() + 1];
        for (long v : values) {
            sketch.add(v);
            int bucket = 0;
            while (bucket < bounds.size() && v > bounds.bound(bucket)) {
                bucket++;
            }
            expected[bucket]++;
        }
        long[] counted = new long[bounds.size() + 1];
        bounds.addCounts(sketch, counted);
        assertArrayEquals(expected, counted);
    }

    @Test
    void targetsInOneBinGiveOneBoundAndBadTargetsAreRefused() {
        assertEquals(1, HistogramBounds.onSketchBins(new double[] {1000, 1000.5, 1001}).size());
        assertThrows(IllegalArgumentException.class, () -> HistogramBounds.onSketchBins(new double[] {5, 3}));
        assertThrows(IllegalArgumentException.class, () -> HistogramBounds.onSketchBins(new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> HistogramBounds.onSketchBins(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> bounds.addCounts(new QuantileSketch(), new long[3]));
        assertThrows(IllegalArgumentException.class, () -> bounds.addCounts(new QuantileSketch(0.01, 1),
                new long[bounds.size() + 1]));
    }
}
