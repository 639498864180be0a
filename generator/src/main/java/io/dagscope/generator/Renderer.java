package io.dagscope.generator;

/**
 * Renders each event as the orchestrator's code writes it, keys in its order: the runner's {@code log_event} puts
 * {@code timestamp} first, the state store's {@code record_event} appends it last. The old format writes no
 * {@code dag_run_id}, naive runner timestamps, {@code minute} on every scheduler event and no {@code job_id}.
 */
final class Renderer {

    private final boolean old;
    private final JsonLine json = new JsonLine();

    Renderer(LogFormat format) {
        this.old = format == LogFormat.OLD;
    }

    private JsonLine runner(long t, EventType type, String dag, String runId) {
        json.begin().timestamp("timestamp", t, !old).text("event", type.wireName()).text("dag_name", dag);
        if (!old) {
            json.text("dag_run_id", runId);
        }
        return json;
    }

    byte[] dagStart(long t, String dag, String runId, String tenant, int taskCount) {
        return runner(t, EventType.DAG_START, dag, runId).text("tenant", tenant).number("task_count", taskCount)
                .end();
    }

    byte[] taskStart(long t, String dag, String runId, String taskId, String workflowRef) {
        return runner(t, EventType.TASK_START, dag, runId).text("task_id", taskId).text("workflow_ref", workflowRef)
                .end();
    }

    byte[] taskRetry(long t, String dag, String runId, String taskId, int attempt, String error) {
        return runner(t, EventType.TASK_RETRY, dag, runId).text("task_id", taskId).number("attempt", attempt)
                .text("error", error).end();
    }

    byte[] taskOk(long t, String dag, String runId, String taskId, int attempt) {
        return runner(t, EventType.TASK_OK, dag, runId).text("task_id", taskId).number("attempt", attempt).end();
    }

    byte[] taskFail(long t, String dag, String runId, String taskId, String error) {
        return runner(t, EventType.TASK_FAIL, dag, runId).text("task_id", taskId).text("error", error).end();
    }

    byte[] dagDone(long t, String dag, String runId, String tenant, int succeeded, int failed, long durationMicros) {
        return runner(t, EventType.DAG_DONE, dag, runId).text("tenant", tenant).number("tasks_succeeded", succeeded)
                .number("tasks_failed", failed).seconds("duration_seconds", durationMicros).end();
    }

    byte[] checkpointPending(long t, String dag, String runId, String taskId, String checkpointId) {
        return runner(t, EventType.CHECKPOINT_PENDING, dag, runId).text("task_id", taskId)
                .text("checkpoint_id", checkpointId).end();
    }

    byte[] checkpointApproved(long t, String dag, String runId, String checkpointId, String approvedBy) {
        return runner(t, EventType.CHECKPOINT_APPROVED, dag, runId).text("checkpoint_id", checkpointId)
                .text("approved_by", approvedBy).end();
    }

    byte[] scheduleEnqueued(long t, Fleet.Schedule s, String jobId, long minuteMicros) {
        json.begin().text("event", EventType.SCHEDULE_ENQUEUED.wireName()).text("schedule_id", s.id());
        if (!old) {
            json.text("job_id", jobId);
        }
        return json.text("dag_path", s.dag().path()).text("tenant", s.tenant()).minute("minute", minuteMicros)
                .timestamp("timestamp", t, true).end();
    }

    byte[] runStarted(long t, Fleet.Schedule s, String jobId, long minuteMicros) {
        json.begin().text("event", EventType.RUN_STARTED.wireName());
        if (!old) {
            json.text("job_id", jobId);
        }
        json.text("schedule_id", s.id()).text("dag_path", s.dag().path()).text("tenant", s.tenant());
        if (old) {
            json.minute("minute", minuteMicros);
        }
        return json.timestamp("timestamp", t, true).end();
    }

    /**
     * @param error null on success
     * @param attempts the job's attempts as the queue writes them (one more than it has made); ignored on success and
     *     in the old format, which write none
     */
    byte[] runFinished(long t, Fleet.Schedule s, String jobId, long minuteMicros, String status, String error,
            long durationMicros, int attempts) {
        json.begin().text("event", EventType.RUN_FINISHED.wireName());
        if (!old) {
            json.text("job_id", jobId);
        }
        json.text("schedule_id", s.id()).text("dag_path", s.dag().path()).text("tenant", s.tenant());
        if (old) {
            json.minute("minute", minuteMicros);
        }
        json.text("status", status);
        if (error != null) {
            json.text("error", error);
        }
        json.seconds("duration_seconds", durationMicros);
        if (error != null && !old) {
            json.number("attempts", attempts);
        }
        return json.timestamp("timestamp", t, true).end();
    }

    byte[] resumeToken(long t, String runId, String nextTaskId, String tenant) {
        return json.begin().text("event", EventType.RESUME_TOKEN.wireName()).text("dag_run_id", runId)
                .text("next_task_id", nextTaskId).text("tenant", tenant).timestamp("timestamp", t, true).end();
    }

    byte[] checkpointExpired(long t, String checkpointId, String runId, String taskId) {
        return json.begin().text("event", EventType.CHECKPOINT_EXPIRED.wireName()).text("checkpoint_id", checkpointId)
                .text("dag_run_id", runId).text("task_id", taskId).timestamp("timestamp", t, true).end();
    }
}
