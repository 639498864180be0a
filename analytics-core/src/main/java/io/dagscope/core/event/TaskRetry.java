package io.dagscope.core.event;

/**
 * {@code task_retry}: an attempt of a task failed and will be retried.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param taskId the task
 * @param attempt the attempt that failed, from 1; null when absent
 * @param error the attempt's error, or null
 */
public record TaskRetry(long timestampMicros, String dagName, String dagRunId, String taskId, Integer attempt,
        String error) implements TaskEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param taskId the task
     * @param attempt the attempt that failed, from 1; null when absent
     * @param error the attempt's error, or null
     * @throws IllegalArgumentException if the timestamp or the attempt lies outside {@link EventBounds}, or {@code
     *     dagName} or {@code taskId} is null
     */
    public TaskRetry {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        requireTask(taskId);
        EventBounds.requireCount(attempt, "attempt");
    }

    static void requireTask(String taskId) {
        if (taskId == null) {
            throw new IllegalArgumentException("a task event needs a task_id");
        }
    }
}
