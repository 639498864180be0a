package io.dagscope.core.engine;

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
}
