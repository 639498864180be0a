package io.dagscope.core.event;

/**
 * {@code schedule_enqueued}: the scheduler queued a run of a schedule for a cron minute.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param scheduleId the schedule
 * @param dagPath the DAG file, or null
 * @param tenant the tenant, or null
 * @param minuteEpoch the cron minute it was enqueued for, in minutes since the epoch (UTC), or null when the line
 *     has no parseable {@code minute}
 */
public record ScheduleEnqueued(long timestampMicros, String scheduleId, String dagPath, String tenant,
        Long minuteEpoch) implements StateEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param scheduleId the schedule
     * @param dagPath the DAG file, or null
     * @param tenant the tenant, or null
     * @param minuteEpoch the cron minute it was enqueued for, in minutes since the epoch (UTC), or null when the line
     *     has no parseable {@code minute}
     * @throws IllegalArgumentException if the timestamp or the minute lies outside {@link EventBounds}, or {@code
     *     scheduleId} is null
     */
    public ScheduleEnqueued {
        EventBounds.requireTimestamp(timestampMicros);
        RunFinished.requireSchedule(scheduleId);
        EventBounds.requireMinute(minuteEpoch);
    }
}
