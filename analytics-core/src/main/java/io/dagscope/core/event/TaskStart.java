package io.dagscope.core.event;

/**
 * {@code task_start}: a task begins; written once per task, not per attempt.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param taskId the task
 */
public record TaskStart(long timestampMicros, String dagName, String dagRunId, String taskId) implements TaskEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param taskId the task
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds}, or {@code dagName} or {@code
     *     taskId} is null
     */
    public TaskStart {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        TaskRetry.requireTask(taskId);
    }
}
