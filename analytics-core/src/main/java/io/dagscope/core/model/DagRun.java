package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One run of a DAG (METRICS.md, "Runs").
 *
 * @param id the {@code dag_run_id}, or a stable inferred id for logs without one
 * @param dagName the DAG
 * @param tenant {@code dag_start.tenant}, else {@code dag_done.tenant}, else {@code local-dev}
 * @param status the run's status
 * @param startedAt {@code dag_start}'s timestamp, else the run's earliest event
 * @param endedAt the run's last end, absent while running or paused
 * @param durationSeconds {@code endedAt - startedAt}, wall time including waits for approval
 * @param taskCount the planned number of tasks, from {@code dag_start}
 * @param tasksSucceeded number of {@code task_ok}
 * @param tasksFailed number of {@code task_fail}
 * @param tasksRetried number of {@code task_retry}
 * @param error the error of the failure that ended it, or the checkpoint expiry
 * @param tasks its tasks in order of first appearance
 * @param lastEventAt the latest timestamp among its events
 * @param inferred whether the id was inferred (the log had no {@code dag_run_id})
 */
public record DagRun(String id, String dagName, String tenant, RunStatus status, Instant startedAt,
        Optional<Instant> endedAt, OptionalDouble durationSeconds, OptionalInt taskCount, int tasksSucceeded,
        int tasksFailed, int tasksRetried, Optional<String> error, List<TaskRun> tasks, Instant lastEventAt,
        boolean inferred) {

    /**
     * A run; the task list is copied, so the record stays immutable.
     *
     * @param id the {@code dag_run_id}, or a stable inferred id for logs without one
     * @param dagName the DAG
     * @param tenant {@code dag_start.tenant}, else {@code dag_done.tenant}, else {@code local-dev}
     * @param status the run's status
     * @param startedAt {@code dag_start}'s timestamp, else the run's earliest event
     * @param endedAt the run's last end, absent while running or paused
     * @param durationSeconds {@code endedAt - startedAt}, wall time including waits for approval
     * @param taskCount the planned number of tasks, from {@code dag_start}
     * @param tasksSucceeded number of {@code task_ok}
     * @param tasksFailed number of {@code task_fail}
     * @param tasksRetried number of {@code task_retry}
     * @param error the error of the failure that ended it, or the checkpoint expiry
     * @param tasks its tasks in order of first appearance
     * @param lastEventAt the latest timestamp among its events
     * @param inferred whether the id was inferred (the log had no {@code dag_run_id})
     */
    public DagRun {
        tasks = List.copyOf(tasks);
    }
}
