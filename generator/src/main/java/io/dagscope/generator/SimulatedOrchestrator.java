package io.dagscope.generator;

import io.dagscope.generator.DagTemplate.Task;
import io.dagscope.generator.Fleet.ExternalCron;
import io.dagscope.generator.Fleet.Schedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Simulates the orchestrator minute by minute and hands out its log lines in timestamp order.
 *
 * <p>Each minute, the scheduler enqueues the schedules whose cron matches (unless the slot is missed or the
 * scheduler is stalled) and starts them on its workers ({@code max_parallel}, sized so they are busy about 60 % of
 * the time: after a busy cron minute jobs wait in the queue); each job runs its DAG's tasks one at a time, with
 * log-normal durations, failures, retries and incidents, and the scheduler retries failed jobs with a new run id.
 * The old scheduler ran each minute as its own {@code --once} process, so its jobs start at once. The external crons
 * start the checkpoint DAG, which pauses for an approval and is later resumed (sometimes twice), expires, or stays
 * pending. A job's lines, hours ahead for a paused run, are rendered when it starts and wait in a priority queue;
 * a line is handed out only once every minute up to its own has been simulated, so the queue holds only the runs in
 * flight and memory stays bounded however long the logs get.
 *
 * <p>Every draw comes from one seeded generator in a fixed order, so one seed and one start give the same lines.
 * Not thread-safe.
 */
final class SimulatedOrchestrator {

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    /** The chance that a due slot is silently skipped (a late tick, a drain that blocked ticking). */
    static final double MISSED_SLOT_PROBABILITY = 0.002;
    /** The chance that a run's process dies mid-run: its remaining lines, and the job's end, are never written. */
    static final double CRASH_PROBABILITY = 0.003;
    /** {@code APPROVAL_EXPIRES_H}, as in the samples. */
    static final long APPROVAL_EXPIRES = 8 * MICROS_PER_HOUR;
    /** Approvers work from 07:00 to 21:00 UTC. */
    static final long APPROVERS_FROM = 7 * MICROS_PER_HOUR;
    static final long APPROVERS_TO = 21 * MICROS_PER_HOUR;

    /** Schedules that share a cron, checked together each minute. */
    private record CronGroup(Cron cron, int[] schedules) {
    }

    /** How a stretch of tasks ended. */
    private static final class Stretch {
        long end;
        int ok;
        boolean failed;
        String failedTask;
        int failedAttempts;
        String error;
    }

    private final boolean old;
    private final boolean hiccups;
    /** Schedules the scheduler no longer enqueues, by id: another thread may add to it while this one simulates. */
    private final java.util.Set<String> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Rng rng;
    private final Incidents incidents;
    private final ErrorCatalog errors = new ErrorCatalog();
    private final Renderer render;
    private final List<Schedule> schedules;
    private final List<CronGroup> groups = new ArrayList<>();
    private final List<ExternalCron> externalCrons;
    private final PriorityQueue<Line> timeline = new PriorityQueue<>();
    private final List<Line> job = new ArrayList<>();
    private long seq;
    private long nextMinute;
    private int[] due = new int[16];
    /** When each of the scheduler's workers is free again: a min-heap (new format; empty in the old one). */
    private final long[] workersFreeAt;

    SimulatedOrchestrator(Fleet fleet, LogFormat format, long seed, long startMicros) {
        this(fleet, format, seed, startMicros, true);
    }

    /**
     * @param hiccups whether slots are missed now and then and the scheduler stalls on most days
     */
    SimulatedOrchestrator(Fleet fleet, LogFormat format, long seed, long startMicros, boolean hiccups) {
        this.old = format == LogFormat.OLD;
        this.hiccups = hiccups;
        this.rng = Rng.derived(seed, 0x51D_0BE5L);
        this.incidents = new Incidents(seed);
        this.render = new Renderer(format);
        this.schedules = fleet.schedules();
        this.externalCrons = old ? List.of() : fleet.externalCrons();
        Map<Cron, List<Integer>> byCron = new LinkedHashMap<>();
        for (int i = 0; i < schedules.size(); i++) {
            if (schedules.get(i).enabled()) {
                byCron.computeIfAbsent(schedules.get(i).cron(), c -> new ArrayList<>()).add(i);
            }
        }
        if (byCron.isEmpty() && externalCrons.isEmpty()) {
            throw new IllegalArgumentException("nothing is scheduled");
        }
        byCron.forEach((cron, ids) -> groups.add(new CronGroup(cron, ids.stream().mapToInt(Integer::intValue)
                .toArray())));
        this.nextMinute = Math.floorDiv(startMicros + MICROS_PER_MINUTE - 1, MICROS_PER_MINUTE);
        // the old scheduler ran each minute as its own `--once` process with its own pool: no queue between minutes
        this.workersFreeAt = new long[old ? 0 : fleet.workers()];
        Arrays.fill(workersFreeAt, Long.MIN_VALUE);
    }

    /**
     * Stops enqueuing a schedule, from the first minute not simulated yet on.
     *
     * @param id the schedule's id
     * @throws IllegalArgumentException if the fleet has no schedule of that id
     */
    void stopSchedule(String id) {
        if (schedules.stream().noneMatch(s -> s.id().equals(id))) {
            throw new IllegalArgumentException("no schedule '" + id + "'; the schedules are "
                    + schedules.stream().map(Schedule::id).toList());
        }
        stopped.add(id);
    }

    /** @return the next line in timestamp order, left in place */
    Line peek() {
        advance();
        return timeline.peek();
    }

    /** @return the next line in timestamp order, taken */
    Line poll() {
        advance();
        return timeline.poll();
    }

    /** Simulates minutes until the earliest waiting line lies before every minute still to simulate. */
    private void advance() {
        while (timeline.isEmpty() || timeline.peek().micros() >= nextMinute * MICROS_PER_MINUTE) {
            simulateMinute(nextMinute++);
        }
    }

    private void simulateMinute(long minute) {
        long minuteStart = minute * MICROS_PER_MINUTE;
        if (!hiccups || !incidents.stalled(minute)) {
            int count = 0;
            for (CronGroup g : groups) {
                if (g.cron().matches(minute)) {
                    for (int s : g.schedules()) {
                        if (count == due.length) {
                            due = Arrays.copyOf(due, count * 2);
                        }
                        due[count++] = s;
                    }
                }
            }
            Arrays.sort(due, 0, count);
            int kept = 0;
            for (int i = 0; i < count; i++) {
                boolean missed = rng.chance(MISSED_SLOT_PROBABILITY) && hiccups;
                if (!missed && !stopped.contains(schedules.get(due[i]).id())) {
                    due[kept++] = due[i];
                }
            }
            if (kept > 0) {
                // the old scheduler ran as `--once` from the system crontab: a process that starts in a second or two
                long t = minuteStart + (old ? rng.micros(0.6, 1.9) : rng.micros(0.003, 1.0));
                long[] enqueued = new long[kept];
                for (int i = 0; i < kept; i++) {
                    enqueued[i] = t;
                    t += rng.micros(0.0003, 0.0013);
                }
                long start = t + rng.micros(0.0004, 0.002);
                for (int i = 0; i < kept; i++) {
                    long startAt = start;
                    start += rng.micros(0.0002, 0.001);
                    if (workersFreeAt.length > 0 && workersFreeAt[0] > startAt) {
                        // every worker is busy: the job waits in the queue for the first to finish
                        startAt = workersFreeAt[0] + rng.micros(0.0002, 0.002);
                    }
                    long end = scheduledJob(schedules.get(due[i]), minuteStart, enqueued[i], startAt);
                    if (workersFreeAt.length > 0) {
                        workersFreeAt[0] = end;
                        siftDown(workersFreeAt);
                    }
                }
            }
        }
        for (ExternalCron c : externalCrons) {
            if (c.cron().matches(minute)) {
                externalRun(c, minuteStart + rng.micros(1.2, 3.5));
            }
        }
    }

    /**
     * One job of the scheduler: enqueue, start, run; on failure maybe retried with a new run id (the worker waits
     * out the back-off).
     *
     * @return when its last line is written, which frees its worker
     */
    private long scheduledJob(Schedule s, long minute, long enqueuedAt, long startAt) {
        DagTemplate dag = s.dag();
        String jobId = old ? null : rng.uuid();
        emit(EventType.SCHEDULE_ENQUEUED, enqueuedAt, render.scheduleEnqueued(enqueuedAt, s, jobId, minute));
        int queueAttempts = 0;
        long t = startAt;
        while (true) {
            emit(EventType.RUN_STARTED, t, render.runStarted(t, s, jobId, minute));
            String runId = old ? null : rng.uuid();
            long dagStart = t + rng.micros(0.0002, 0.0015);
            int firstRunnerLine = job.size();
            emit(EventType.DAG_START, dagStart, render.dagStart(dagStart, dag.name(), runId, s.tenant(),
                    dag.tasks().size()));
            Stretch r = runTasks(dag, 0, dag.tasks().size(), runId, dagStart);
            if (rng.chance(CRASH_PROBABILITY)) {
                int keep = 1 + rng.nextInt(job.size() - firstRunnerLine);
                job.subList(firstRunnerLine + keep, job.size()).clear();
                break;
            }
            if (!r.failed) {
                long done = r.end + gap();
                long duration = done - dagStart;
                emit(EventType.DAG_DONE, done, render.dagDone(done, dag.name(), runId, s.tenant(), r.ok, 0, duration));
                long finished = done + rng.micros(0.0003, 0.0015);
                emit(EventType.RUN_FINISHED, finished, render.runFinished(finished, s, jobId, minute, "success", null,
                        duration, 0));
                break;
            }
            long finished = r.end + rng.micros(0.0003, 0.0015);
            String error = "Task '" + r.failedTask + "' failed after " + r.failedAttempts + " attempts: " + r.error;
            long wallTime = finished - (t + rng.micros(0.0001, 0.0003));
            if (queueAttempts < s.maxRetries()) {
                // the queue counts the attempt before the event writes attempts + 1: off by one, as in the samples
                queueAttempts++;
                emit(EventType.RUN_FINISHED, finished, render.runFinished(finished, s, jobId, minute, "retry", error,
                        wallTime, queueAttempts + 1));
                t = finished + rng.micros(10, 60);
                continue;
            }
            emit(EventType.RUN_FINISHED, finished, render.runFinished(finished, s, jobId, minute, "failed", error,
                    wallTime, queueAttempts + 1));
            break;
        }
        long end = job.get(job.size() - 1).micros();
        flushJob();
        return end;
    }

    /** Restores the min-heap after its root grew. */
    private static void siftDown(long[] heap) {
        int i = 0;
        long value = heap[0];
        while (true) {
            int child = 2 * i + 1;
            if (child >= heap.length) {
                break;
            }
            if (child + 1 < heap.length && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= value) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }

    /** A run started outside the scheduler ({@code run_dag_min.py}): runner lines, and for a checkpoint its fate. */
    private void externalRun(ExternalCron c, long startAt) {
        DagTemplate dag = c.dag();
        int n = dag.tasks().size();
        String runId = rng.uuid();
        emit(EventType.DAG_START, startAt, render.dagStart(startAt, dag.name(), runId, c.tenant(), n));
        int cp = dag.checkpointIndex().orElse(n);
        Stretch r = runTasks(dag, 0, cp, runId, startAt);
        if (r.failed) {
            flushJob();
            return;
        }
        if (cp == n) {
            long done = r.end + gap();
            emit(EventType.DAG_DONE, done, render.dagDone(done, dag.name(), runId, c.tenant(), r.ok, 0,
                    done - startAt));
            flushJob();
            return;
        }
        Task checkpoint = dag.tasks().get(cp);
        String checkpointId = runId + "_" + checkpoint.id();
        long pending = r.end + gap();
        emit(EventType.CHECKPOINT_PENDING, pending, render.checkpointPending(pending, dag.name(), runId,
                checkpoint.id(), checkpointId));
        long token = pending + rng.micros(0.0015, 0.003);
        String next = cp + 1 < n ? dag.tasks().get(cp + 1).id() : checkpoint.id();
        emit(EventType.RESUME_TOKEN, token, render.resumeToken(token, runId, next, c.tenant()));
        // expires_at is computed before created_at, so it falls microseconds short of 8 h
        long expiresAt = pending + APPROVAL_EXPIRES - rng.micros(0.00002, 0.00009);
        double fate = rng.nextDouble();
        if (fate < 0.08) {
            // rejected: only the checkpoint store knows; the run stays paused
            flushJob();
            return;
        }
        long approvedAt = fate < 0.18 ? Long.MAX_VALUE : approvalTime(pending);
        if (approvedAt >= expiresAt) {
            long expired = expiresAt + rng.micros(0.05, 1.1);
            emit(EventType.CHECKPOINT_EXPIRED, expired, render.checkpointExpired(expired, checkpointId, runId,
                    checkpoint.id()));
        } else if (!rng.chance(0.03)) {
            long[] resumed = resume(dag, cp, runId, checkpointId, c.tenant(), approvedAt, r.ok);
            if (resumed != null && rng.chance(0.12)) {
                // an operator ran --resume again: the rest of the run again, and a second dag_done
                resume(dag, cp, runId, checkpointId, c.tenant(), resumed[0] + rng.micros(180, 1200),
                        (int) resumed[1]);
            }
        }
        flushJob();
    }

    /**
     * Resumes a paused run: {@code checkpoint_approved} (written at resume time), the remaining tasks, and a
     * {@code dag_done} whose duration covers only the time since the resume and whose {@code tasks_succeeded}
     * counts every {@code task_ok} of the run so far.
     *
     * @return the {@code dag_done} time and the run's {@code task_ok} count, or null when a task failed
     */
    private long[] resume(DagTemplate dag, int checkpoint, String runId, String checkpointId, String tenant,
            long at, int okBefore) {
        emit(EventType.CHECKPOINT_APPROVED, at, render.checkpointApproved(at, dag.name(), runId, checkpointId,
                rng.chance(0.7) ? "Operator" : "Admin"));
        long clock = at + rng.micros(0.0001, 0.0003);
        Stretch r = runTasks(dag, checkpoint + 1, dag.tasks().size(), runId, clock);
        if (r.failed) {
            return null;
        }
        long done = r.end + gap();
        int ok = okBefore + r.ok;
        emit(EventType.DAG_DONE, done, render.dagDone(done, dag.name(), runId, tenant, ok, 0, done - clock));
        return new long[] {done, ok};
    }

    /** When an approver gets to a checkpoint paused at {@code pending}: within the hour in office hours, else later. */
    private long approvalTime(long pending) {
        long dayStart = Math.floorDiv(pending, MICROS_PER_DAY) * MICROS_PER_DAY;
        long timeOfDay = pending - dayStart;
        if (timeOfDay >= APPROVERS_FROM && timeOfDay < APPROVERS_TO) {
            double minutes = Math.max(5, Math.min(50, rng.logNormal(12, 0.8)));
            return pending + Math.round(minutes * MICROS_PER_MINUTE) + rng.nextInt(1_000_000);
        }
        long opens = timeOfDay < APPROVERS_FROM ? dayStart + APPROVERS_FROM : dayStart + MICROS_PER_DAY
                + APPROVERS_FROM;
        return opens + rng.micros(120, 3300);
    }

    /** Runs tasks {@code [from, to)} one at a time from {@code t}. */
    private Stretch runTasks(DagTemplate dag, int from, int to, String runId, long t) {
        Stretch st = new Stretch();
        for (int i = from; i < to; i++) {
            Task task = dag.tasks().get(i);
            Workflow w = task.workflow();
            t += gap();
            emit(EventType.TASK_START, t, render.taskStart(t, dag.name(), runId, task.id(), w.ref()));
            String sticky = null;
            for (int attempt = 1; attempt <= task.retries() + 1; attempt++) {
                boolean incident = incidents.affects(w.category(), t);
                boolean fails = sticky != null || rng.chance(incident ? Workflow.INCIDENT_FAIL_PROBABILITY
                        : w.failProbability());
                if (!fails) {
                    t += w.durationMicros(rng, incident ? Incidents.SLOWDOWN : 1);
                    emit(EventType.TASK_OK, t, render.taskOk(t, dag.name(), runId, task.id(), attempt));
                    st.ok++;
                    break;
                }
                String error;
                if (sticky != null) {
                    error = sticky;
                    t += ErrorFamily.Timing.QUICK.durationMicros(rng);
                } else {
                    ErrorFamily family = errors.pick(w.category(), incident, rng);
                    error = family.text().apply(rng);
                    t += family.timing().durationMicros(rng);
                    if (family.sticky()) {
                        sticky = error;
                    }
                }
                if (attempt <= task.retries()) {
                    emit(EventType.TASK_RETRY, t, render.taskRetry(t, dag.name(), runId, task.id(), attempt, error));
                } else {
                    emit(EventType.TASK_FAIL, t, render.taskFail(t, dag.name(), runId, task.id(), error));
                    st.failed = true;
                    st.failedTask = task.id();
                    st.failedAttempts = attempt;
                    st.error = error;
                    st.end = t;
                    return st;
                }
            }
        }
        st.end = t;
        return st;
    }

    /** The runner's bookkeeping between two lines of a run: usually under a millisecond. */
    private long gap() {
        return rng.chance(0.01) ? rng.micros(0.002, 0.04) : rng.micros(0.00004, 0.0013);
    }

    private void emit(EventType type, long micros, byte[] bytes) {
        job.add(new Line(micros, seq++, type, bytes));
    }

    private void flushJob() {
        timeline.addAll(job);
        job.clear();
    }
}
