package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One schedule (METRICS.md, "Schedules").
 *
 * @param id the {@code schedule_id}
 * @param tenant from the latest event, else from the definition
 * @param dagPath from the latest event, else from the definition
 * @param cron the definition's cron, as written
 * @param enabled the definition's {@code enabled} (default true); absent without a definition
 * @param lastRunAt the latest {@code run_started}
 * @param lastStatus the status of the latest {@code run_finished}
 * @param nextRunAt the first cron minute strictly after the window's end
 * @param missedRuns cron minutes of the window (up to 10 minutes before its end) with no enqueue
 * @param enqueued number of {@code schedule_enqueued}
 * @param started number of {@code run_started}
 * @param finished number of {@code run_finished}
 * @param succeeded {@code run_finished} with status success
 * @param failed {@code run_finished} with status failed
 * @param retried {@code run_finished} with status retry
 * @param avgDurationSeconds mean {@code run_finished.duration_seconds}
 * @param firstEventAt the earliest event of the schedule
 * @param error why the definition's cron could not be used, if it could not
 * @param cronDescription the cron in words, when the evaluator can say
 * @param recentOutcomes the latest {@code run_finished} outcomes, oldest first (at most
 *     {@link #RECENT_OUTCOMES})
 */
public record ScheduleSummary(String id, Optional<String> tenant, Optional<String> dagPath, Optional<String> cron,
        Optional<Boolean> enabled, Optional<Instant> lastRunAt, Optional<String> lastStatus,
        Optional<Instant> nextRunAt, OptionalInt missedRuns, long enqueued, long started, long finished,
        long succeeded, long failed, long retried, OptionalDouble avgDurationSeconds, Optional<Instant> firstEventAt,
        Optional<String> error, Optional<String> cronDescription, List<Outcome> recentOutcomes) {

    /** How many recent outcomes a schedule keeps. */
    public static final int RECENT_OUTCOMES = 20;

    /**
     * A schedule; the outcomes are copied, so the record stays immutable.
     *
     * @param id the {@code schedule_id}
     * @param tenant from the latest event, else from the definition
     * @param dagPath from the latest event, else from the definition
     * @param cron the definition's cron, as written
     * @param enabled the definition's {@code enabled} (default true); absent without a definition
     * @param lastRunAt the latest {@code run_started}
     * @param lastStatus the status of the latest {@code run_finished}
     * @param nextRunAt the first cron minute strictly after the window's end
     * @param missedRuns cron minutes of the window (up to 10 minutes before its end) with no enqueue
     * @param enqueued number of {@code schedule_enqueued}
     * @param started number of {@code run_started}
     * @param finished number of {@code run_finished}
     * @param succeeded {@code run_finished} with status success
     * @param failed {@code run_finished} with status failed
     * @param retried {@code run_finished} with status retry
     * @param avgDurationSeconds mean {@code run_finished.duration_seconds}
     * @param firstEventAt the earliest event of the schedule
     * @param error why the definition's cron could not be used, if it could not
     * @param cronDescription the cron in words, when the evaluator can say
     * @param recentOutcomes the latest {@code run_finished} outcomes, oldest first (at most
     *     {@link #RECENT_OUTCOMES})
     */
    public ScheduleSummary {
        recentOutcomes = List.copyOf(recentOutcomes);
    }

    /**
     * One {@code run_finished}.
     *
     * @param at its timestamp
     * @param status its status as written ({@code success}, {@code failed}, {@code retry})
     * @param durationSeconds its duration, if given
     */
    public record Outcome(Instant at, String status, OptionalDouble durationSeconds) {
    }
}
