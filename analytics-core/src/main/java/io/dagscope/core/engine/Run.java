package io.dagscope.core.engine;

import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.time.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One run: its event log and the state its events leave, folded in the run's merged order. Everything METRICS.md
 * says about a run is computed here, from this state; the engine keeps the aggregates in step with it.
 */
final class Run {

    static final long NONE = Long.MIN_VALUE;
    static final String DEFAULT_TENANT = "local-dev";

    final String id;
    final boolean inferred;
    final int dagId;
    final RunLog log;

    // ---- the fold ----
    final List<TaskEntry> tasks = new ArrayList<>(4);
    int tasksSucceeded;
    int tasksFailed;
    int tasksRetried;
    long dagStartAt = NONE;
    String dagStartTenant;
    int taskCount = -1;
    String dagDoneTenant;
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    byte lastKind = -1;
    long lastEndAt = NONE;
    boolean failed;
    long failAt = NONE;
    String failError;
    int inProgress;

    // ---- kept by the engine ----
    /** Tenant id the run's contributions are applied under, or -1 when none are applied. */
    int appliedTenant = -1;
    /** The minute the run's start is counted in, or NONE. */
    long appliedStartMinute = NONE;
    /** The tenant id the run's start is counted under. */
    int appliedStartTenant = -1;
    /** startedAt as the run index knows it. */
    long indexStartedAt;
    /** Whether the run is in the run index (under {@link #indexStartedAt}). */
    boolean indexed;
    List<Expiry> expiries;
    /** Open in a run inference, for runs without a run id. */
    boolean open;
    /** The status and (tenant, DAG) key the engine's run counters hold this run under; null status: not counted. */
    RunStatus countedStatus;
    long countedKey;
    /** The DAG's name as the first event gave it (compared by identity to skip dictionary lookups). */
    String dagName;
    /** The tenant name {@link #tenantId} was looked up for (the engine's cache, compared by identity). */
    String tenantName;
    int tenantId = -1;
    /** What the failures recorded for this run refer to, made at its first {@code task_fail}. */
    FailedRunRef failedRunRef;

    /**
     * A failure record's link to its run: the run's id while its detail is kept, its tenant once it is dropped (so
     * that old failures keep their tenant without keeping the run).
     */
    static final class FailedRunRef {
        final String id;
        boolean dropped;
        int tenantWhenDropped;

        FailedRunRef(String id) {
            this.id = id;
        }
    }

    Run(String id, boolean inferred, int dagId) {
        this(id, inferred, dagId, new RunLog());
    }

    Run(String id, boolean inferred, int dagId, RunLog log) {
        this.id = id;
        this.inferred = inferred;
        this.dagId = dagId;
        this.log = log;
    }

    /** A {@code checkpoint_expired} for this run. */
    record Expiry(long at, String checkpointId, String taskId) {

        /**
         * The order a run keeps its expiries in, whatever order they arrived in: by time, then checkpoint and task
         * (absent first), so that of two expiries that apply to one checkpoint the later one always counts.
         */
        static final Comparator<Expiry> ORDER = Comparator.comparingLong(Expiry::at)
                .thenComparing(Expiry::checkpointId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Expiry::taskId, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // folding

    void resetFold() {
        tasks.clear();
        tasksSucceeded = 0;
        tasksFailed = 0;
        tasksRetried = 0;
        dagStartAt = NONE;
        dagStartTenant = null;
        taskCount = -1;
        dagDoneTenant = null;
        minTs = Long.MAX_VALUE;
        maxTs = Long.MIN_VALUE;
        lastKind = -1;
        lastEndAt = NONE;
        failed = false;
        failAt = NONE;
        failError = null;
        inProgress = 0;
    }

    void refold() {
        resetFold();
        for (int i = 0; i < log.size(); i++) {
            step(i);
        }
    }

    TaskEntry task(String taskId) {
        // task ids come from the decoder's cache, so the same string instance nearly always
        for (int i = 0; i < tasks.size(); i++) {
            TaskEntry e = tasks.get(i);
            if (e.taskId == taskId) {
                return e;
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskEntry e = tasks.get(i);
            if (e.taskId.equals(taskId)) {
                return e;
            }
        }
        return null;
    }

    private TaskEntry taskOrNew(String taskId) {
        TaskEntry e = task(taskId);
        if (e == null) {
            e = new TaskEntry(taskId);
            tasks.add(e);
        }
        return e;
    }

    /**
     * The duration an event of the log would yield if folded now: a finished task's time minus its latest earlier
     * {@code task_start} in this run.
     */
    long durationIfFinished(byte kind, String taskId, long at) {
        if (kind != Kind.TASK_OK && kind != Kind.TASK_FAIL) {
            return Contribution.NO_DURATION;
        }
        TaskEntry e = task(taskId);
        return e == null || e.lastTaskStart == TaskEntry.NONE ? Contribution.NO_DURATION : at - e.lastTaskStart;
    }

    /** Folds event {@code i} of the log into the state. */
    void step(int i) {
        byte kind = log.kind(i);
        long at = log.ts(i);
        minTs = Math.min(minTs, at);
        if (at >= maxTs) {
            maxTs = at;
            lastKind = kind;
        }
        switch (kind) {
            case Kind.DAG_START -> {
                if (dagStartAt == NONE) {
                    dagStartAt = at;
                    taskCount = log.num(i);
                }
                if (dagStartTenant == null && log.ref(i) != null) {
                    dagStartTenant = (String) log.ref(i);
                }
            }
            case Kind.TASK_START -> {
                TaskEntry e = taskOrNew(log.task(i));
                if (e.inProgress()) {
                    inProgress--;
                }
                e.status = RunStatus.RUNNING;
                e.checkpoint = false;
                e.startedAt = at;
                e.lastTaskStart = at;
                e.endedAt = TaskEntry.NONE;
                e.retriesSinceStart = 0;
                e.okAttempt = -1;
                e.failError = null;
                e.lastRetryError = null;
                inProgress++;
            }
            case Kind.TASK_RETRY -> {
                TaskEntry e = taskOrNew(log.task(i));
                e.retriesSinceStart++;
                e.lastRetryError = (String) log.ref(i);
                tasksRetried++;
            }
            case Kind.TASK_OK -> {
                TaskEntry e = taskOrNew(log.task(i));
                finish(e, RunStatus.SUCCEEDED, at);
                e.okAttempt = log.num(i);
                tasksSucceeded++;
            }
            case Kind.TASK_FAIL -> {
                TaskEntry e = taskOrNew(log.task(i));
                finish(e, RunStatus.FAILED, at);
                e.failError = (String) log.ref(i);
                tasksFailed++;
                failed = true;
                if (at >= failAt) {
                    failAt = at;
                    failError = e.failError;
                }
                lastEndAt = Math.max(lastEndAt, at);
            }
            case Kind.DAG_DONE -> {
                DoneInfo done = (DoneInfo) log.ref(i);
                if (dagDoneTenant == null && done.tenant() != null) {
                    dagDoneTenant = done.tenant();
                }
                if (log.num(i) > 0) {
                    failed = true;
                }
                lastEndAt = Math.max(lastEndAt, at);
            }
            case Kind.CHECKPOINT_PENDING -> {
                TaskEntry e = taskOrNew(log.task(i));
                if (e.inProgress()) {
                    inProgress--;
                }
                e.checkpoint = true;
                e.checkpointId = (String) log.ref(i);
                e.status = RunStatus.PAUSED;
                e.startedAt = at;
                e.endedAt = TaskEntry.NONE;
                e.pendingAt = at;
                e.approvedAt = TaskEntry.NONE;
                e.failError = null;
                e.lastRetryError = null;
            }
            case Kind.CHECKPOINT_APPROVED -> {
                String checkpointId = (String) log.ref(i);
                for (TaskEntry e : tasks) {
                    if (e.checkpoint && checkpointId != null && checkpointId.equals(e.checkpointId)) {
                        if (e.approvedAt == TaskEntry.NONE) {
                            e.approvedAt = at;
                            e.status = RunStatus.SUCCEEDED;
                            e.endedAt = at;
                        }
                        break;
                    }
                }
            }
            default -> throw new IllegalStateException("kind " + kind);
        }
    }

    private void finish(TaskEntry e, RunStatus status, long at) {
        if (e.inProgress()) {
            inProgress--;
        }
        e.status = status;
        e.endedAt = at;
    }

    /** What a {@code dag_done} carries besides its counts. */
    record DoneInfo(String tenant, double durationSeconds) {
    }

    // ---------------------------------------------------------------------------------------------------------
    // derived facts

    String tenant() {
        if (dagStartTenant != null) {
            return dagStartTenant;
        }
        return dagDoneTenant != null ? dagDoneTenant : DEFAULT_TENANT;
    }

    long startedAt() {
        return dagStartAt != NONE ? dagStartAt : minTs;
    }

    boolean hasEvents() {
        return log.size() > 0;
    }

    /** Whether no task of the run is in progress (run inference). */
    boolean idle() {
        return inProgress == 0;
    }

    /** Adds an expiry in its place in {@link Expiry#ORDER}, after any equal to it. */
    void addExpiry(Expiry e) {
        if (expiries == null) {
            expiries = new ArrayList<>(1);
        }
        int i = expiries.size();
        while (i > 0 && Expiry.ORDER.compare(expiries.get(i - 1), e) > 0) {
            i--;
        }
        expiries.add(i, e);
    }

    /**
     * The checkpoint entry an expiry fails, if it applies: the run was paused at that checkpoint when it expired
     * (pending at or before the expiry, not approved by then).
     */
    private TaskEntry expiredEntry(Expiry x) {
        for (TaskEntry e : tasks) {
            if (!e.checkpoint || e.pendingAt == TaskEntry.NONE || e.pendingAt > x.at()) {
                continue;
            }
            boolean sameCheckpoint = x.checkpointId() != null ? x.checkpointId().equals(e.checkpointId)
                    : e.checkpointId == null && x.taskId() != null && x.taskId().equals(e.taskId);
            if (sameCheckpoint && (e.approvedAt == TaskEntry.NONE || e.approvedAt > x.at())) {
                return e;
            }
        }
        return null;
    }

    /** The applicable expiry with the latest timestamp, or null. */
    private Expiry lastApplicableExpiry() {
        if (expiries == null) {
            return null;
        }
        Expiry best = null;
        for (Expiry x : expiries) {
            if (expiredEntry(x) != null && (best == null || x.at() >= best.at())) {
                best = x;
            }
        }
        return best;
    }

    static String expiryMessage(Expiry x) {
        return "checkpoint " + x.checkpointId() + " expired";
    }

    RunStatus status() {
        if (failed || lastApplicableExpiry() != null) {
            return RunStatus.FAILED;
        }
        if (lastKind == Kind.DAG_DONE) {
            return RunStatus.SUCCEEDED;
        }
        if (lastKind == Kind.CHECKPOINT_PENDING) {
            return RunStatus.PAUSED;
        }
        return RunStatus.RUNNING;
    }

    /** The run's last end, or NONE while it runs or is paused. */
    long endedAt(RunStatus status) {
        if (status != RunStatus.FAILED && status != RunStatus.SUCCEEDED) {
            return NONE;
        }
        long end = lastEndAt;
        Expiry x = lastApplicableExpiry();
        if (x != null) {
            end = Math.max(end, x.at());
        }
        return end;
    }

    String error() {
        Expiry x = lastApplicableExpiry();
        if (x != null && (failAt == NONE || x.at() >= failAt)) {
            return expiryMessage(x);
        }
        return failError;
    }

    DagRun view(String dagName) {
        RunStatus status = status();
        long end = endedAt(status);
        long start = startedAt();
        List<TaskRun> taskViews = new ArrayList<>(tasks.size());
        for (TaskEntry e : tasks) {
            taskViews.add(taskView(e));
        }
        return new DagRun(id, dagName, tenant(), status, Timestamps.toInstant(start),
                end == NONE ? Optional.empty() : Optional.of(Timestamps.toInstant(end)),
                end == NONE ? OptionalDouble.empty() : OptionalDouble.of(Timestamps.secondsBetween(start, end)),
                taskCount < 0 ? OptionalInt.empty() : OptionalInt.of(taskCount), tasksSucceeded, tasksFailed,
                tasksRetried, Optional.ofNullable(error()), taskViews, Timestamps.toInstant(maxTs), inferred);
    }

    private TaskRun taskView(TaskEntry e) {
        RunStatus status = e.status;
        long end = e.endedAt;
        String error = e.failError != null ? e.failError : e.lastRetryError;
        if (e.checkpoint && expiries != null) {
            for (Expiry x : expiries) {
                if (expiredEntry(x) == e) {
                    status = RunStatus.FAILED;
                    end = x.at();
                    error = expiryMessage(x);
                }
            }
        }
        int attempts;
        if (e.checkpoint) {
            attempts = 0;
        } else if (status == RunStatus.SUCCEEDED && e.okAttempt >= 0) {
            attempts = e.okAttempt;
        } else if (status == RunStatus.RUNNING) {
            // attempts that have finished: the retried ones, not the one still running
            attempts = e.retriesSinceStart;
        } else {
            attempts = 1 + e.retriesSinceStart;
        }
        long start = e.startedAt;
        return new TaskRun(e.taskId, status,
                start == TaskEntry.NONE ? Optional.empty() : Optional.of(Timestamps.toInstant(start)),
                end == TaskEntry.NONE ? Optional.empty() : Optional.of(Timestamps.toInstant(end)),
                start == TaskEntry.NONE || end == TaskEntry.NONE ? OptionalDouble.empty()
                        : OptionalDouble.of(Timestamps.secondsBetween(start, end)),
                attempts, Optional.ofNullable(error), e.checkpoint, retries(e));
    }

    /** The task's {@code task_retry} events since its latest start (its latest pending, for a checkpoint). */
    private List<TaskRun.Retry> retries(TaskEntry e) {
        if (e.retriesSinceStart == 0) {
            return List.of();
        }
        List<TaskRun.Retry> out = new ArrayList<>(e.retriesSinceStart);
        for (int i = 0; i < log.size(); i++) {
            byte kind = log.kind(i);
            if (!e.taskId.equals(log.task(i))) {
                continue;
            }
            if (kind == Kind.TASK_START) {
                out.clear();
            } else if (kind == Kind.TASK_RETRY) {
                int attempt = log.num(i);
                out.add(new TaskRun.Retry(Timestamps.toInstant(log.ts(i)),
                        attempt < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(attempt),
                        Optional.ofNullable((String) log.ref(i))));
            }
        }
        return out;
    }

    /**
     * A copy of this run for another engine, whose feed, DAG and tenant ids differ: the same log and expiries, its
     * state folded again from them; its place in the other engine's index and counts is for that engine to set.
     *
     * @param feeds this engine's feed ids to the other's
     * @param dags this engine's DAG ids to the other's
     */
    Run copy(int[] feeds, int[] dags) {
        Run c = new Run(id, inferred, dags[dagId], log.copy(feeds, dags));
        c.dagName = dagName;
        if (expiries != null) {
            c.expiries = new ArrayList<>(expiries);
        }
        c.refold();
        return c;
    }

    long estimatedBytes() {
        return 200 + log.estimatedBytes() + tasks.size() * 120L;
    }
}
