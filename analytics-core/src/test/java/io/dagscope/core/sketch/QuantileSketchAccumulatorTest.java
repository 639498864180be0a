package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An accumulator sums sketches to exactly the buckets, and so the answers, of an ordinary sketch; a sketch rebuilt
 * from the buckets it reports is the same sketch.
 */
class QuantileSketchAccumulatorTest {

    @Test
    void summingIntoAnAccumulatorGivesTheSameBucketsAsIntoAPlainSketch() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            QuantileSketch plain = new QuantileSketch();
            QuantileSketch accumulator = QuantileSketch.accumulator();
            assertTrue(accumulator.isEmpty());
            assertTrue(Double.isNaN(accumulator.quantile(0.5)));
            int parts = 1 + random.nextInt(200);
            for (int p = 0; p < parts; p++) {
                QuantileSketch part = new QuantileSketch();
                int values = random.nextInt(30);
                for (int v = 0; v < values; v++) {
                    double value = random.nextInt(10) == 0 ? 0 : Math.exp(random.nextDouble() * 20)
                            * (random.nextInt(20) == 0 ? -1 : 1);
                    part.add(value);
                }
                plain.merge(part);
                accumulator.merge(part);
            }
            assertTrue(accumulator.hasSameBucketsAs(plain), "round " + round);
            int[] keys = new int[plain.bucketCount()];
            long[] counts = new long[plain.bucketCount()];
            int[] n = {0};
            plain.forEachBucket((key, count) -> {
                keys[n[0]] = key;
                counts[n[0]++] = count;
            });
            QuantileSketch rebuilt = QuantileSketch.ofBuckets(keys, counts, n[0]);
            assertTrue(rebuilt.hasSameBucketsAs(plain), "round " + round + ": rebuilt from its buckets");
            assertEquals(plain.count(), accumulator.count());
            for (double q : new double[] {0, 0.01, 0.5, 0.95, 0.99, 1}) {
                assertEquals(plain.quantile(q), accumulator.quantile(q), "round " + round + " q " + q);
            }
        }
    }
}
