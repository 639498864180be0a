package io.dagscope.core.event;

/** An event written by the DAG runner: it always names its DAG, and names its run when the runner is new enough. */
public sealed interface RunnerEvent extends Event
        permits DagStart, TaskEvent, DagDone, CheckpointPending, CheckpointApproved {

    /** @return the DAG's name; never null */
    String dagName();

    /** @return the runner's {@code dag_run_id}, or null when the line has none (older runners) */
    String dagRunId();
}
