package io.dagscope.core.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our sketch next to Datadog's published DDSketch at the same accuracy, on the same data. Each is compared with the
 * exact value at its own rank convention rather than with the other: ours answers the nearest rank
 * {@code ceil(q n)}, DDSketch's {@code getValueAtQuantile} the rank {@code floor(q (n - 1)) + 1}, and the two
 * exact values can differ by more than the tolerance where the data are sparse.
 */
class PublishedDDSketchComparisonTest {

    private static final double A = QuantileSketch.DEFAULT_RELATIVE_ACCURACY;

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void bothSketchesStayWithinTheToleranceOfTheExactValueOnTheSameData(Distribution distribution) {
        double[] values = distribution.sample(250_000, 5);
        QuantileSketch ours = new QuantileSketch();
        DDSketch published = DDSketches.unboundedDense(A);
        for (double value : values) {
            ours.add(value);
            published.accept(value);
        }
        ExactQuantiles exact = new ExactQuantiles(values);

        assertEquals(published.getCount(), ours.count());
        for (double q : Accuracy.manyQuantiles()) {
            String context = distribution + " q=" + q;
            double oursExpected = exact.nearestRank(q);
            Accuracy.assertWithinGuarantee(ours, ours.quantile(q), oursExpected, context + " (ours)");
            Accuracy.assertWithinContract(ours.quantile(q), oursExpected, context + " (ours)");
            double publishedExpected = exact.ddSketchRank(q);
            Accuracy.assertWithinRelative(published.getValueAtQuantile(q), publishedExpected, A, context + " (DDSketch)");
            Accuracy.assertWithinContract(published.getValueAtQuantile(q), publishedExpected, context + " (DDSketch)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Distribution.class, names = {"LOG_NORMAL_TASK_DURATIONS", "PARETO", "UNIFORM"})
    void ourFastMappingUsesAboutOnePercentMoreBucketsThanExactLogarithms(Distribution distribution) {
        QuantileSketch ours = new QuantileSketch();
        DDSketch logarithmic = DDSketches.logarithmicUnboundedDense(A);
        for (double value : distribution.sample(250_000, 6)) {
            ours.add(value);
            logarithmic.accept(value);
        }

        int theirs = nonEmptyBins(logarithmic.getPositiveValueStore()) + nonEmptyBins(logarithmic.getNegativeValueStore());

        assertTrue(ours.bucketCount() <= 1.03 * theirs + 2, () -> ours.bucketCount() + " buckets vs " + theirs);
    }

    private static int nonEmptyBins(Store store) {
        int[] bins = {0};
        store.forEach((index, count) -> {
            if (count > 0) {
                bins[0]++;
            }
        });
        return bins[0];
    }
}
