package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantileSketchRandomizedTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void addingAndTakingOutValuesAtRandomKeepsAgreeingWithAnExactMultiset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] pool = Distribution.ZEROS_AND_NEGATIVES.sample(400, seed);
        Multiset exact = new Multiset();
        QuantileSketch sketch = new QuantileSketch();
        boolean wasDense = false;
        boolean turnedSparseAgain = false;

        for (int step = 0; step < 8_000; step++) {
            int operation = random.nextInt(10);
            // grow, then shrink to empty: the sketch turns dense and sparse again
            boolean growing = step < 2_000 ? operation < 7 : operation < 1;
            if (growing || exact.size() == 0) {
                double value = pool[random.nextInt(pool.length)];
                int times = 1 + random.nextInt(3);
                sketch.add(value, times);
                exact.add(value, times);
            } else if (operation == 9 && exact.size() > 3) {
                QuantileSketch part = new QuantileSketch();
                for (int i = 0; i < 3; i++) {
                    double value = exact.removeAny(random);
                    part.add(value);
                }
                sketch.subtract(part);
            } else {
                sketch.remove(exact.removeAny(random));
            }
            wasDense |= sketch.isDense();
            turnedSparseAgain |= wasDense && !sketch.isDense();

            if (step % 50 == 0) {
                assertAgrees(exact, sketch, "seed " + seed + " step " + step);
            }
        }
        assertTrue(wasDense && turnedSparseAgain, "the walk went through both forms");
    }

    private static void assertAgrees(Multiset exact, QuantileSketch sketch, String context) {
        assertEquals(exact.size(), sketch.count(), context);
        QuantileSketch rebuilt = new QuantileSketch();
        for (double value : exact.values()) {
            rebuilt.add(value);
        }
        assertTrue(sketch.hasSameBucketsAs(rebuilt), context + ": the same buckets as adding what is left");
        if (exact.size() == 0) {
            return;
        }
        ExactQuantiles quantiles = new ExactQuantiles(exact.values());
        for (double q : Accuracy.NAMED_QUANTILES) {
            Accuracy.assertWithinGuarantee(sketch, sketch.quantile(q), quantiles.nearestRank(q), context + " q=" + q);
        }
    }

    /** The values added and not yet taken out, in no order. */
    private static final class Multiset {
        private double[] values = new double[64];
        private int size;

        void add(double value, int times) {
            for (int i = 0; i < times; i++) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                values[size++] = value;
            }
        }

        double removeAny(SplittableRandom random) {
            int i = random.nextInt(size);
            double value = values[i];
            values[i] = values[--size];
            return value;
        }

        int size() {
            return size;
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
