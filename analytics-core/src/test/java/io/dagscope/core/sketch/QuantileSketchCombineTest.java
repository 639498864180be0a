package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantileSketchCombineTest {

    /** The forms a sketch may take, to combine each with each. */
    enum Form {
        EMPTY(0), SPARSE(5), DENSE(5_000);

        final int values;

        Form(int values) {
            this.values = values;
        }

        QuantileSketch sketch(long seed) {
            QuantileSketch sketch = new QuantileSketch();
            for (double value : Distribution.ZEROS_AND_NEGATIVES.sample(values, seed)) {
                sketch.add(value);
            }
            return sketch;
        }
    }

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void mergingManySmallSketchesEqualsAddingEveryValueToOne(Distribution distribution) {
        SplittableRandom random = new SplittableRandom(11);
        QuantileSketch oneBig = new QuantileSketch();
        List<QuantileSketch> cells = new ArrayList<>();
        for (int cell = 0; cell < 20_000; cell++) {
            QuantileSketch small = new QuantileSketch();
            for (double value : distribution.sample(1 + random.nextInt(5), cell)) {
                small.add(value);
                oneBig.add(value);
            }
            cells.add(small);
        }

        QuantileSketch mergedInOrder = new QuantileSketch();
        cells.forEach(mergedInOrder::merge);
        QuantileSketch mergedAsATree = mergeAsATree(cells, 0, cells.size());

        for (QuantileSketch merged : List.of(mergedInOrder, mergedAsATree)) {
            assertTrue(merged.hasSameBucketsAs(oneBig), () -> merged + " differs from " + oneBig);
            assertEquals(oneBig.count(), merged.count());
            for (double q : Accuracy.manyQuantiles()) {
                assertEquals(oneBig.quantile(q), merged.quantile(q), distribution + " q=" + q);
            }
        }
    }

    @Test
    void mergingEachFormIntoEachFormEqualsAddingEveryValueToOne() {
        for (Form into : Form.values()) {
            for (Form from : Form.values()) {
                QuantileSketch target = into.sketch(1);
                QuantileSketch source = from.sketch(2);
                QuantileSketch expected = into.sketch(1);
                for (double value : Distribution.ZEROS_AND_NEGATIVES.sample(from.values, 2)) {
                    expected.add(value);
                }

                target.merge(source);

                assertTrue(target.hasSameBucketsAs(expected), into + " <- " + from);
                assertEquals(expected.quantile(0.95), target.quantile(0.95), into + " <- " + from);
                assertTrue(source.hasSameBucketsAs(from.sketch(2)), "the merged sketch is left as it was");
            }
        }
    }

    @Test
    void subtractingWhatWasMergedRestoresTheBucketsCountsAndAnswersExactly() {
        for (Form into : Form.values()) {
            for (Form from : Form.values()) {
                QuantileSketch target = into.sketch(3);
                QuantileSketch before = target.copy();
                QuantileSketch source = from.sketch(4);

                target.merge(source);
                target.subtract(source);

                String context = into + " +- " + from;
                assertTrue(target.hasSameBucketsAs(before), context);
                assertEquals(before.count(), target.count(), context);
                assertEquals(before.isDense(), target.isDense(), context + ": a small sketch turns sparse again");
                for (double q : Accuracy.manyQuantiles()) {
                    assertEquals(before.quantile(q), target.quantile(q), context + " q=" + q);
                }
            }
        }
    }

    @Test
    void subtractingOneRunFromATenantAndMergingItIntoAnotherMovesItsValuesExactly() {
        QuantileSketch acme = Form.DENSE.sketch(5);
        QuantileSketch initech = Form.SPARSE.sketch(6);
        QuantileSketch run = Form.SPARSE.sketch(7);
        acme.merge(run);
        QuantileSketch acmeWithoutRun = Form.DENSE.sketch(5);
        QuantileSketch initechWithRun = Form.SPARSE.sketch(6);
        initechWithRun.merge(run);

        acme.subtract(run);
        initech.merge(run);

        assertTrue(acme.hasSameBucketsAs(acmeWithoutRun));
        assertTrue(initech.hasSameBucketsAs(initechWithRun));
    }

    @Test
    void takingOutMoreThanWasAddedThrowsAndChangesNothing() {
        for (Form into : Form.values()) {
            QuantileSketch sketch = into.sketch(8);
            QuantileSketch before = sketch.copy();
            QuantileSketch tooMuch = sketch.copy();
            tooMuch.add(5e12);
            QuantileSketch tooMany = sketch.copy();
            tooMany.merge(Form.SPARSE.sketch(9));
            QuantileSketch otherValues = new QuantileSketch();
            otherValues.add(0.0);
            otherValues.add(9e11);

            assertThrows(IllegalArgumentException.class, () -> sketch.subtract(tooMuch), into.name());
            assertThrows(IllegalArgumentException.class, () -> sketch.subtract(tooMany), into.name());
            assertThrows(IllegalArgumentException.class, () -> sketch.subtract(otherValues), into.name());
            assertThrows(IllegalArgumentException.class, () -> sketch.remove(7e12), into.name());
            assertThrows(IllegalArgumentException.class, () -> sketch.add(0.0, -(before.count() + 1)), into.name());

            assertTrue(sketch.hasSameBucketsAs(before), into.name());
            assertEquals(before.count(), sketch.count(), into.name());
        }
    }

    @Test
    void takingOutMoreOfABucketThanItHoldsThrowsAndChangesNothing() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(1_000_000, 3);
        sketch.add(0, 2);
        sketch.add(-50, 1);

        assertThrows(IllegalArgumentException.class, () -> sketch.add(1_000_000, -4));
        assertThrows(IllegalArgumentException.class, () -> sketch.add(0.5, -3));
        assertThrows(IllegalArgumentException.class, () -> sketch.add(-50, -2));

        assertEquals(6, sketch.count());
        sketch.add(1_000_000, -3);
        sketch.add(0, -2);
        sketch.remove(-50);
        assertTrue(sketch.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> sketch.remove(0));
    }

    @Test
    void mergingASketchIntoItselfDoublesEveryCountAndSubtractingItEmptiesIt() {
        for (Form form : Form.values()) {
            QuantileSketch sketch = form.sketch(12);
            QuantileSketch doubled = form.sketch(12);
            doubled.merge(form.sketch(12));

            sketch.merge(sketch);
            assertTrue(sketch.hasSameBucketsAs(doubled), form.name());

            sketch.subtract(sketch);
            assertTrue(sketch.isEmpty(), form.name());
        }
    }

    @Test
    void sketchesOfDifferentParametersDoNotCombine() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(10);

        assertThrows(IllegalArgumentException.class, () -> sketch.merge(new QuantileSketch(0.01, 1)));
        assertThrows(IllegalArgumentException.class, () -> sketch.subtract(new QuantileSketch(0.005, 1e-3)));
        sketch.merge(new QuantileSketch(QuantileSketch.DEFAULT_RELATIVE_ACCURACY, 1.0));
        assertEquals(1, sketch.count());
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        for (Form form : Form.values()) {
            QuantileSketch original = form.sketch(13);
            QuantileSketch copy = original.copy();

            copy.add(123);
            original.add(-456, 2);

            assertEquals(form.values + 1, copy.count());
            assertEquals(form.values + 2, original.count());
            assertFalse(copy.hasSameBucketsAs(original));
        }
    }

    @Test
    void clearingForgetsEveryValueAndReleasesTheBuckets() {
        QuantileSketch sketch = Form.DENSE.sketch(14);

        sketch.clear();

        assertTrue(sketch.isEmpty());
        assertEquals(new QuantileSketch().estimatedBytes(), sketch.estimatedBytes());
        sketch.add(5);
        assertEquals(1, sketch.count());
    }

    @Test
    void countsBeyondWhatASparseBucketHoldsStayExact() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(1_000, 3_000_000_000L);
        sketch.add(1_000, 3_000_000_000L);
        sketch.add(2_000, 1);
        QuantileSketch merged = new QuantileSketch();
        QuantileSketch part = new QuantileSketch();
        part.add(1_000, 3_000_000_000L);
        merged.merge(part);
        merged.merge(part);
        merged.add(2_000);

        assertEquals(6_000_000_001L, sketch.count());
        assertTrue(merged.hasSameBucketsAs(sketch));
        assertEquals(2_000, sketch.quantile(1), 2_000 * QuantileSketch.DEFAULT_RELATIVE_ACCURACY);
        sketch.add(1_000, -6_000_000_000L);
        assertEquals(1, sketch.count());
        assertFalse(sketch.isDense());
        assertThrows(ArithmeticException.class, () -> sketch.add(1, Long.MAX_VALUE));
        assertEquals(1, sketch.count());
    }

    private static QuantileSketch mergeAsATree(List<QuantileSketch> cells, int from, int to) {
        if (to - from == 1) {
            return cells.get(from).copy();
        }
        int middle = (from + to) >>> 1;
        QuantileSketch left = mergeAsATree(cells, from, middle);
        left.merge(mergeAsATree(cells, middle, to));
        return left;
    }
}
