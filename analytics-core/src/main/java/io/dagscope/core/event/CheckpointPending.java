package io.dagscope.core.event;

/**
 * {@code checkpoint_pending}: the run pauses for a human approval at a checkpoint task.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null
 * @param taskId the checkpoint's task id
 * @param checkpointId the checkpoint, or null when absent
 */
public record CheckpointPending(long timestampMicros, String dagName, String dagRunId, String taskId,
        String checkpointId) implements RunnerEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null
     * @param taskId the checkpoint's task id
     * @param checkpointId the checkpoint, or null when absent
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds}, or {@code dagName} or {@code
     *     taskId} is null
     */
    public CheckpointPending {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
        TaskRetry.requireTask(taskId);
    }
}
