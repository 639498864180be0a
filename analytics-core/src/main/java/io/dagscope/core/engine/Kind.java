package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;

/** The runner event kinds a run's log stores, as bytes. */
final class Kind {

    static final byte DAG_START = 0;
    static final byte TASK_START = 1;
    static final byte TASK_RETRY = 2;
    static final byte TASK_OK = 3;
    static final byte TASK_FAIL = 4;
    static final byte DAG_DONE = 5;
    static final byte CHECKPOINT_PENDING = 6;
    static final byte CHECKPOINT_APPROVED = 7;

    private Kind() {
    }

    static boolean isEnd(byte kind) {
        return kind == DAG_DONE || kind == TASK_FAIL;
    }

    /** Whether events of the kind count in the task aggregates. */
    static boolean isTask(byte kind) {
        return kind == TASK_START || kind == TASK_RETRY || kind == TASK_OK || kind == TASK_FAIL;
    }

    /** The {@link Contribution} kind of a task event kind. */
    static int contribution(byte kind) {
        return switch (kind) {
            case TASK_START -> Contribution.STARTED;
            case TASK_RETRY -> Contribution.RETRIED;
            case TASK_OK -> Contribution.SUCCEEDED;
            case TASK_FAIL -> Contribution.FAILED;
            default -> throw new IllegalArgumentException("not a task event kind: " + kind);
        };
    }

    /** The kind of a runner event. */
    static byte of(RunnerEvent e) {
        if (e instanceof DagStart) {
            return DAG_START;
        } else if (e instanceof TaskStart) {
            return TASK_START;
        } else if (e instanceof TaskRetry) {
            return TASK_RETRY;
        } else if (e instanceof TaskOk) {
            return TASK_OK;
        } else if (e instanceof TaskFail) {
            return TASK_FAIL;
        } else if (e instanceof DagDone) {
            return DAG_DONE;
        } else if (e instanceof CheckpointPending) {
            return CHECKPOINT_PENDING;
        } else {
            return CHECKPOINT_APPROVED;
        }
    }
}
