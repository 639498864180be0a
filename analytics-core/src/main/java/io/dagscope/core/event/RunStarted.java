package io.dagscope.core.event;

/**
 * {@code run_started}: the scheduler started a job of a schedule (a scheduler retry starts again without a new
 * enqueue).
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param scheduleId the schedule
 * @param dagPath the DAG file, or null
 * @param tenant the tenant, or null
 */
public record RunStarted(long timestampMicros, String scheduleId, String dagPath, String tenant)
        implements StateEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param scheduleId the schedule
     * @param dagPath the DAG file, or null
     * @param tenant the tenant, or null
     * @throws IllegalArgumentException if the timestamp lies outside {@link EventBounds} or {@code scheduleId} is null
     */
    public RunStarted {
        EventBounds.requireTimestamp(timestampMicros);
        RunFinished.requireSchedule(scheduleId);
    }
}
