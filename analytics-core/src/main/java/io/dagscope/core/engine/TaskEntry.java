package io.dagscope.core.engine;

import io.dagscope.core.model.RunStatus;

/** One task of a run as the run's events, in order, leave it (METRICS.md, "Tasks"). */
final class TaskEntry {

    static final long NONE = Long.MIN_VALUE;

    final String taskId;
    RunStatus status = RunStatus.RUNNING;
    long startedAt = NONE;
    long endedAt = NONE;
    /** The latest {@code task_start}: durations are measured from it (checkpoints never set it). */
    long lastTaskStart = NONE;
    int retriesSinceStart;
    int okAttempt = -1;
    String failError;
    String lastRetryError;
    boolean checkpoint;
    String checkpointId;
    long pendingAt = NONE;
    long approvedAt = NONE;

    TaskEntry(String taskId) {
        this.taskId = taskId;
    }

    /** Started by a {@code task_start} and not yet finished: what run inference calls "in progress". */
    boolean inProgress() {
        return lastTaskStart != NONE && status == RunStatus.RUNNING && !checkpoint;
    }

    boolean hasStarted() {
        return lastTaskStart != NONE;
    }
}
