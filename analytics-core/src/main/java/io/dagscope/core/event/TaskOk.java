package io.dagscope.core.event;

/**
 * {@code task_ok}: a task succeeded.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param taskId the task
 * @param attempt the attempt that succeeded, from 1; null when absent
 */
public record TaskOk(long timestampMicros, String dagName, String dagRunId, String taskId, Integer attempt)
        implements TaskEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param taskId the task
     * @param attempt the attempt that succeeded, from 1; null when absent
     * @throws IllegalArgumentException if the timestamp or the attempt lies outside {@link EventBounds}, or {@code
     *     dagName} or {@code taskId} is null
     */
    public TaskOk {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        TaskRetry.requireTask(taskId);
        EventBounds.requireCount(attempt, "attempt");
    }
}
