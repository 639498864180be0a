package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantileSketchAccuracyTest {

    private static final int MILLION = 1_000_000;

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void answersEveryQuantileOfAMillionValuesWithinHalfAPercentOfTheExactNearestRankValue(Distribution distribution) {
        double[] values = distribution.sample(MILLION, 1);
        QuantileSketch sketch = new QuantileSketch();
        for (double value : values) {
            sketch.add(value);
        }
        ExactQuantiles exact = new ExactQuantiles(values);

        assertEquals(MILLION, sketch.count());
        for (double q : Accuracy.manyQuantiles()) {
            double expected = exact.nearestRank(q);
            double estimate = sketch.quantile(q);
            String context = distribution + " q=" + q;
            Accuracy.assertWithinGuarantee(sketch, estimate, expected, context);
            Accuracy.assertWithinContract(estimate, expected, context);
        }
    }

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void answersTheSameWhetherValuesArriveOneByOneOrCountedInBulk(Distribution distribution) {
        double[] values = distribution.sample(20_000, 2);
        QuantileSketch oneByOne = new QuantileSketch();
        QuantileSketch inBulk = new QuantileSketch();
        for (int i = 0; i < values.length; i++) {
            oneByOne.add(values[i]);
            oneByOne.add(values[i]);
            oneByOne.add(values[i]);
            inBulk.add(values[i], 3);
        }

        assertEquals(oneByOne.count(), inBulk.count());
        for (double q : Accuracy.NAMED_QUANTILES) {
            assertEquals(oneByOne.quantile(q), inBulk.quantile(q), distribution + " q=" + q);
        }
    }
}
