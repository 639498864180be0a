package io.dagscope.generator;

/** The kinds of line the generator writes, and which log each goes to. */
enum EventType {
    DAG_START("dag_start", false),
    TASK_START("task_start", false),
    TASK_RETRY("task_retry", false),
    TASK_OK("task_ok", false),
    TASK_FAIL("task_fail", false),
    DAG_DONE("dag_done", false),
    CHECKPOINT_PENDING("checkpoint_pending", false),
    CHECKPOINT_APPROVED("checkpoint_approved", false),
    SCHEDULE_ENQUEUED("schedule_enqueued", true),
    RUN_STARTED("run_started", true),
    RUN_FINISHED("run_finished", true),
    RESUME_TOKEN("resume_token", true),
    CHECKPOINT_EXPIRED("checkpoint_expired", true);

    private final String wireName;
    private final boolean stateLog;

    EventType(String wireName, boolean stateLog) {
        this.wireName = wireName;
        this.stateLog = stateLog;
    }

    /** @return the {@code event} value */
    String wireName() {
        return wireName;
    }

    /** @return whether the scheduler's state log holds it (else the runner log) */
    boolean stateLog() {
        return stateLog;
    }
}
