package io.dagscope.core.engine;

import io.dagscope.core.model.TaskStats;
import io.dagscope.core.sketch.QuantileSketch;
import io.dagscope.core.time.Timestamps;
import java.util.OptionalDouble;

/**
 * Mergeable, subtractable partial aggregate of task events: the four counters, and the durations as an exact
 * count and microsecond sum plus a quantile sketch. Every windowed figure is a sum of cells.
 */
final class Cell {

    long started;
    long succeeded;
    long failed;
    long retried;
    long durations;
    long durationSumMicros;
    private QuantileSketch sketch;

    void add(int kind, long durationMicros, int sign) {
        switch (kind) {
            case Contribution.STARTED -> started += sign;
            case Contribution.RETRIED -> retried += sign;
            case Contribution.SUCCEEDED -> succeeded += sign;
            case Contribution.FAILED -> failed += sign;
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        if (durationMicros != Contribution.NO_DURATION) {
            durations += sign;
            durationSumMicros += sign * durationMicros;
            if (sketch == null) {
                sketch = new QuantileSketch();
            }
            sketch.add(durationMicros, sign);
        }
    }

    void mergeInto(Cell target) {
        target.started += started;
        target.succeeded += succeeded;
        target.failed += failed;
        target.retried += retried;
        target.durations += durations;
        target.durationSumMicros += durationSumMicros;
        if (sketch != null && !sketch.isEmpty()) {
            if (target.sketch == null) {
                target.sketch = new QuantileSketch();
            }
            target.sketch.merge(sketch);
        }
    }

    boolean isEmpty() {
        return started == 0 && succeeded == 0 && failed == 0 && retried == 0 && durations == 0;
    }

    long finished() {
        return succeeded + failed;
    }

    OptionalDouble avgSeconds() {
        return durations == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(durationSumMicros / (double) durations / Timestamps.MICROS_PER_SECOND);
    }

    OptionalDouble quantileSeconds(double q) {
        if (durations == 0 || sketch == null || sketch.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sketch.quantile(q) / Timestamps.MICROS_PER_SECOND);
    }

    TaskStats toStats() {
        return new TaskStats(started, succeeded, failed, retried, TaskStats.errorRate(succeeded, failed),
                avgSeconds(), quantileSeconds(0.5), quantileSeconds(0.95), quantileSeconds(0.99), durations);
    }
}
