package io.dagscope.core.event;

/**
 * {@code run_finished}: a scheduler job finished.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param scheduleId the schedule
 * @param dagPath the DAG file, or null
 * @param tenant the tenant, or null
 * @param status {@code success}, {@code failed} or {@code retry} as written; null when absent
 * @param error the error when not successful, or null
 * @param durationSeconds the job's duration, or null
 */
public record RunFinished(long timestampMicros, String scheduleId, String dagPath, String tenant, String status,
        String error, Double durationSeconds) implements StateEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param scheduleId the schedule
     * @param dagPath the DAG file, or null
     * @param tenant the tenant, or null
     * @param status {@code success}, {@code failed} or {@code retry} as written; null when absent
     * @param error the error when not successful, or null
     * @param durationSeconds the job's duration, or null
     * @throws IllegalArgumentException if the timestamp or the duration lies outside {@link EventBounds}, or {@code
     *     scheduleId} is null
     */
    public RunFinished {
        EventBounds.requireTimestamp(timestampMicros);
        requireSchedule(scheduleId);
        EventBounds.requireDuration(durationSeconds);
    }

    static void requireSchedule(String scheduleId) {
        if (scheduleId == null) {
            throw new IllegalArgumentException("a scheduler event needs a schedule_id");
        }
    }
}
