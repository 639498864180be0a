package io.dagscope.core.event;

/**
 * {@code checkpoint_approved}: the run resumes after an approval (the runner writes it at resume time).
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null
 * @param checkpointId the checkpoint, or null when absent
 * @param approvedBy who approved, or null
 */
public record CheckpointApproved(long timestampMicros, String dagName, String dagRunId, String checkpointId,
        String approvedBy) implements RunnerEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null
     * @param checkpointId the checkpoint, or null when absent
     * @param approvedBy who approved, or null
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds} or {@code dagName} is null
     */
    public CheckpointApproved {
        EventBounds.requireTimestamp(timestampMicros);
        DagStart.requireName(dagName);
    }
}
