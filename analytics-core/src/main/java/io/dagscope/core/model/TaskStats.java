package io.dagscope.core.model;

import java.util.OptionalDouble;

/**
 * Task counters and durations over a set of task events.
 *
 * @param started number of {@code task_start}
 * @param succeeded number of {@code task_ok}
 * @param failed number of {@code task_fail}
 * @param retried number of {@code task_retry}
 * @param errorRate {@code failed / (succeeded + failed)}, 0 when both are 0
 * @param avgDurationSeconds mean duration of the finished tasks that have one
 * @param p50DurationSeconds nearest-rank median duration (within the sketch's relative accuracy)
 * @param p95DurationSeconds nearest-rank 95th percentile
 * @param p99DurationSeconds nearest-rank 99th percentile
 * @param durations how many finished tasks have a duration (the n of the quantiles)
 */
public record TaskStats(long started, long succeeded, long failed, long retried, double errorRate,
        OptionalDouble avgDurationSeconds, OptionalDouble p50DurationSeconds, OptionalDouble p95DurationSeconds,
        OptionalDouble p99DurationSeconds, long durations) {

    /** Stats over no events at all. */
    public static final TaskStats EMPTY = new TaskStats(0, 0, 0, 0, 0.0, OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), 0);

    /**
     * The error rate as METRICS.md defines it.
     *
     * @param succeeded finished tasks that succeeded
     * @param failed finished tasks that failed
     * @return {@code failed / (succeeded + failed)}, or 0 when nothing finished
     */
    public static double errorRate(long succeeded, long failed) {
        long finished = succeeded + failed;
        return finished == 0 ? 0.0 : (double) failed / finished;
    }
}
