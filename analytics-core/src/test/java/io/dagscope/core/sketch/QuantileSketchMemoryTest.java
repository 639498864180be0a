package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The retained sizes asserted here are those of the layout model in {@link MemoryLayout}; measured with JOL
 * ({@code GraphLayout.parseInstance(sketch).totalSize()}, less the shared mapping and empty array) they agree.
 */
class QuantileSketchMemoryTest {

    @Test
    void anEmptySketchRetainsThirtyTwoBytes() {
        assertEquals(32, new QuantileSketch().estimatedBytes());
    }

    @Test
    void aSketchOfOneToThreeValuesRetainsWellUnderOneHundredBytes() {
        QuantileSketch sketch = new QuantileSketch();

        sketch.add(1_500_000);
        assertEquals(56, sketch.estimatedBytes());
        sketch.add(2_500_000);
        assertEquals(64, sketch.estimatedBytes());
        sketch.add(40_000_000);
        assertEquals(72, sketch.estimatedBytes());
        sketch.add(40_000_001);
        assertEquals(72, sketch.estimatedBytes(), "a value in a bucket already used costs nothing");
    }

    @Test
    void aSketchStaysSparseWhileFewBucketsAreUsed() {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < QuantileSketch.SPARSE_ALWAYS; i++) {
            sketch.add(1_000_000 * Math.pow(1.02, i), 1_000);
        }

        assertFalse(sketch.isDense());
        assertEquals(QuantileSketch.SPARSE_ALWAYS, sketch.bucketCount());
        assertEquals(32 + 16 + 8 * QuantileSketch.SPARSE_ALWAYS, sketch.estimatedBytes());
    }

    @Test
    void aSketchTurnsDenseWhenTheDenseFormCostsLittleMore() {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i <= QuantileSketch.SPARSE_ALWAYS; i++) {
            sketch.add(1_000_000 * Math.pow(1.0101, i));
        }

        assertTrue(sketch.isDense(), "neighbouring buckets: the dense form is no larger");
        assertEquals(QuantileSketch.SPARSE_ALWAYS + 1, sketch.bucketCount());
    }

    @Test
    void aSketchOfWidelySpreadValuesStaysSparseUpToItsLimit() {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < QuantileSketch.SPARSE_LIMIT; i++) {
            sketch.add(Math.pow(1.1, i));
        }
        assertFalse(sketch.isDense());

        sketch.add(Math.pow(1.1, QuantileSketch.SPARSE_LIMIT));
        assertTrue(sketch.isDense());
    }

    @Test
    void aDenseSketchTurnsSparseAgainWhenFewBucketsAreLeft() {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < 300; i++) {
            sketch.add(1_000_000 * Math.pow(1.03, i));
        }
        assertTrue(sketch.isDense());

        for (int i = 300 - 1; i >= 3; i--) {
            sketch.remove(1_000_000 * Math.pow(1.03, i));
        }

        assertFalse(sketch.isDense());
        assertEquals(72, sketch.estimatedBytes());
    }

    @Test
    void anHourOfTaskDurationsFitsInAFewKilobytes() {
        QuantileSketch sketch = new QuantileSketch();
        for (double duration : Distribution.LOG_NORMAL_TASK_DURATIONS.sample(100_000, 3)) {
            sketch.add(duration);
        }

        assertTrue(sketch.isDense());
        long bytes = sketch.estimatedBytes();
        assertTrue(bytes < 8_000, () -> bytes + " bytes");
        assertTrue(bytes >= 8L * sketch.bucketCount(), "every bucket is counted");
    }

    @Test
    void aSketchOfOtherParametersAlsoCountsItsMapping() {
        assertEquals(32 + IndexMapping.SHALLOW_BYTES, new QuantileSketch(0.01, 1e-3).estimatedBytes());
        assertEquals(32, new QuantileSketch(QuantileSketch.DEFAULT_RELATIVE_ACCURACY, 1.0).estimatedBytes(),
                "the default parameters share the default mapping");
    }
}
