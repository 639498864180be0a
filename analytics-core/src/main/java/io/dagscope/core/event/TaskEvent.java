package io.dagscope.core.event;

/** A runner event about one task of a run. */
public sealed interface TaskEvent extends RunnerEvent permits TaskStart, TaskRetry, TaskOk, TaskFail {

    /** The task's id within its DAG; never null. */
    String taskId();
}
