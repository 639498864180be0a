package io.dagscope.core.model;

/** The status of a run or of a task within it (METRICS.md, "Runs" and "Tasks"). */
public enum RunStatus {
    /** Started, not ended. */
    RUNNING,
    /** Waiting for a human approval at a checkpoint. */
    PAUSED,
    /** Ended without a failure. */
    SUCCEEDED,
    /** A task failed for good, or a checkpoint expired; final. */
    FAILED
}
