package io.dagscope.core.event;

/**
 * {@code task_fail}: a task exhausted its retries; the run ends here (no {@code dag_done} follows).
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param taskId the task
 * @param error the final error, or null
 */
public record TaskFail(long timestampMicros, String dagName, String dagRunId, String taskId, String error)
        implements TaskEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param taskId the task
     * @param error the final error, or null
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds}, or {@code dagName} or {@code
     *     taskId} is null
     */
    public TaskFail {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        TaskRetry.requireTask(taskId);
    }
}
