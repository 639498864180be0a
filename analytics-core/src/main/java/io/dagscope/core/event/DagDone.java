package io.dagscope.core.event;

/**
 * {@code dag_done}: a run ended (a run whose task failed writes {@code task_fail} instead).
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param tenant the run's tenant, or null
 * @param tasksSucceeded the runner's count of succeeded tasks, or null
 * @param tasksFailed the runner's count of failed tasks, or null
 * @param durationSeconds the runner's own duration (since the last resume), or null
 */
public record DagDone(long timestampMicros, String dagName, String dagRunId, String tenant, Integer tasksSucceeded,
        Integer tasksFailed, Double durationSeconds) implements RunnerEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param tenant the run's tenant, or null
     * @param tasksSucceeded the runner's count of succeeded tasks, or null
     * @param tasksFailed the runner's count of failed tasks, or null
     * @param durationSeconds the runner's own duration (since the last resume), or null
     * @throws IllegalArgumentException if the timestamp, a count or the duration lies outside {@link EventBounds}, or
     *     {@code dagName} is null
     */
    public DagDone {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        EventBounds.requireCount(tasksSucceeded, "tasks_succeeded");
        EventBounds.requireCount(tasksFailed, "tasks_failed");
        EventBounds.requireDuration(durationSeconds);
    }
}
