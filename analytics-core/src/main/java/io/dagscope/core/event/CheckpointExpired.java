package io.dagscope.core.event;

/**
 * {@code checkpoint_expired}: nobody approved a paused run in time; it will never resume.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param checkpointId the checkpoint, or null
 * @param dagRunId the run, or null
 * @param taskId the checkpoint's task, or null
 */
public record CheckpointExpired(long timestampMicros, String checkpointId, String dagRunId, String taskId)
        implements StateEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param checkpointId the checkpoint, or null
     * @param dagRunId the run, or null
     * @param taskId the checkpoint's task, or null
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds}
     */
    public CheckpointExpired {
        EventBounds.requireTimestamp(timestampMicros);
    }
}
