package io.dagscope.bench;

import java.util.List;
import java.util.Objects;

/**
 * The dashboard's numbers for one set of logs, as METRICS.md defines them: the task summary (all time and a window),
 * the tenant load, the newest runs and the schedules. Both dagscope (through its GraphQL API) and DuckDB (in SQL)
 * produce one, and {@link AnswerComparison} compares them. Instants are epoch microseconds, durations seconds.
 *
 * @param events the events read over both logs (lines that are events)
 * @param windowStartMicros the window's inclusive start
 * @param windowEndMicros the window's exclusive end
 * @param allTime task statistics over every event
 * @param window task statistics over the window
 * @param tenants the tenant load in the window, in the API's order
 * @param totalRuns how many runs there are
 * @param newestRuns the newest runs, newest first (ties: id ascending)
 * @param schedules every schedule with events or a definition, by id
 */
public record Answers(long events, long windowStartMicros, long windowEndMicros, Stats allTime, Stats window,
        List<Tenant> tenants, long totalRuns, List<Run> newestRuns, List<Schedule> schedules) {

    /** How many of the newest runs the dashboard shows. */
    public static final int NEWEST_RUNS = 20;

    public Answers {
        Objects.requireNonNull(allTime, "allTime");
        Objects.requireNonNull(window, "window");
        tenants = List.copyOf(tenants);
        newestRuns = List.copyOf(newestRuns);
        schedules = List.copyOf(schedules);
    }

    /**
     * Task counters and durations over a set of task events.
     *
     * @param started number of {@code task_start}
     * @param succeeded number of {@code task_ok}
     * @param failed number of {@code task_fail}
     * @param retried number of {@code task_retry}
     * @param errorRate {@code failed / (succeeded + failed)}, 0 when both are 0
     * @param durations how many finished tasks have a duration
     * @param avg mean duration in seconds; null when there is none
     * @param p50 nearest-rank median; null when there is none
     * @param p95 nearest-rank 95th percentile; null when there is none
     * @param p99 nearest-rank 99th percentile; null when there is none
     */
    public record Stats(long started, long succeeded, long failed, long retried, double errorRate, long durations,
            Double avg, Double p50, Double p95, Double p99) {
    }

    /**
     * One tenant's load in the window.
     *
     * @param tenant the tenant
     * @param runs runs started in the window
     * @param tasks tasks finished in the window
     * @param errorRate failed / finished
     * @param avg mean finished-task duration in seconds; null when none
     * @param p95 nearest-rank 95th percentile; null when none
     */
    public record Tenant(String tenant, long runs, long tasks, double errorRate, Double avg, Double p95) {
    }

    /**
     * One run.
     *
     * @param id the run id
     * @param dagName the DAG
     * @param tenant the run's tenant
     * @param status RUNNING, PAUSED, SUCCEEDED or FAILED
     * @param startedAtMicros when it started
     * @param endedAtMicros when it ended; null while running or paused
     * @param durationSeconds {@code endedAt - startedAt}; null while running or paused
     * @param taskCount the planned tasks; null without a {@code dag_start}
     * @param tasksSucceeded number of {@code task_ok}
     * @param tasksFailed number of {@code task_fail}
     * @param tasksRetried number of {@code task_retry}
     * @param error the error that ended it; null when none
     */
    public record Run(String id, String dagName, String tenant, String status, long startedAtMicros,
            Long endedAtMicros, Double durationSeconds, Integer taskCount, long tasksSucceeded, long tasksFailed,
            long tasksRetried, String error) {
    }

    /**
     * One schedule, over all time.
     *
     * @param id the {@code schedule_id}
     * @param enqueued number of {@code schedule_enqueued}
     * @param started number of {@code run_started}
     * @param finished number of {@code run_finished}
     * @param succeeded {@code run_finished} with status success
     * @param failed {@code run_finished} with status failed
     * @param retried {@code run_finished} with status retry
     * @param avgDurationSeconds mean {@code run_finished.duration_seconds}; null when none
     * @param lastRunAtMicros the latest {@code run_started}; null when none
     * @param lastStatus the status of the latest {@code run_finished}; null when none
     */
    public record Schedule(String id, long enqueued, long started, long finished, long succeeded, long failed,
            long retried, Double avgDurationSeconds, Long lastRunAtMicros, String lastStatus) {
    }
}
