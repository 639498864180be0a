package io.dagscope.core.event;

/**
 * {@code dag_start}: a run of a DAG begins.
 *
 * @param timestampMicros the instant, epoch microseconds
 * @param dagName the DAG
 * @param dagRunId the run id, or null (older runners)
 * @param tenant the run's tenant, or null when the line has none
 * @param taskCount the number of tasks planned, or null when absent
 */
public record DagStart(long timestampMicros, String dagName, String dagRunId, String tenant, Integer taskCount)
        implements RunnerEvent {
    /**
     * Checks the event.
     *
     * @param timestampMicros the instant, epoch microseconds
     * @param dagName the DAG
     * @param dagRunId the run id, or null (older runners)
     * @param tenant the run's tenant, or null when the line has none
     * @param taskCount the number of tasks planned, or null when absent
     * @throws IllegalArgumentException if the timestamp or the task count lies outside {@link EventBounds}, or {@code
     *     dagName} is null
     */
    public DagStart {
        EventBounds.requireTimestamp(timestampMicros);
        requireName(dagName);
        EventBounds.requireCount(taskCount, "task_count");
    }

    static void requireName(String dagName) {
        if (dagName == null) {
            throw new IllegalArgumentException("a runner event needs a dag_name");
        }
    }
}
