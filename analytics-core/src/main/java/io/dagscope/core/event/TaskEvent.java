package io.dagscope.core.event;

/** A runner event about one task of a run. */
public sealed interface TaskEvent extends RunnerEvent permits TaskStart, TaskRetry, TaskOk, TaskFail {

    /** @return the task's id within its DAG; never null */
    String taskId();
}
