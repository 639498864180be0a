package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskEvent;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.time.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately naive implementation of METRICS.md, written from the text and sharing no code with the engine:
 * every state is recomputed from raw event lists, every quantile from a sorted list. Slow, and meant to be.
 */
final class ReferenceModel {

    record Source(String name, List<Event> events) {
    }

    /** An event placed in a run, with where it came from. */
    record Placed(RunnerEvent event, String source, int line) {
    }

    static final class RRun {
        final String id;
        final boolean inferred;
        final List<Placed> events = new ArrayList<>();
        boolean closed;

        RRun(String id, boolean inferred) {
            this.id = id;
            this.inferred = inferred;
        }
    }

    /** A task event as the figures count it. */
    record TaskRecord(String tenant, String dag, long at, String kind, Long durationMicros) {
    }

    record RTask(String taskId, RunStatus status, Long startedAt, Long endedAt, int attempts, String error) {
    }

    record RView(String id, String dag, String tenant, RunStatus status, long startedAt, Long endedAt,
            Integer taskCount, int ok, int fail, int retry, String error, Map<String, RTask> tasks) {
    }

    record RSchedule(String id, String tenant, String dagPath, long enqueued, long started, long finished,
            long succeeded, long failed, long retried, Double avg, Long lastRunAt, String lastStatus,
            Long firstEventAt, List<Long> enqueuedMinutes) {
    }

    final Map<String, RRun> runs = new LinkedHashMap<>();
    final List<TaskRecord> orphanTasks = new ArrayList<>();
    final List<CheckpointExpired> expiries = new ArrayList<>();
    final List<Event> stateEvents = new ArrayList<>();

    ReferenceModel(List<Source> sources) {
        for (Source s : sources) {
            List<RRun> open = new ArrayList<>();
            for (int i = 0; i < s.events().size(); i++) {
                Event e = s.events().get(i);
                if (e instanceof CheckpointExpired x) {
                    expiries.add(x);
                    continue;
                }
                if (!(e instanceof RunnerEvent r)) {
                    stateEvents.add(e);
                    continue;
                }
                RRun run;
                if (r.dagRunId() != null) {
                    run = runs.computeIfAbsent(r.dagRunId(), id -> new RRun(id, false));
                } else {
                    run = infer(s.name(), open, r);
                }
                if (run == null) {
                    if (r instanceof TaskEvent) {
                        orphanTasks.add(new TaskRecord(null, r.dagName(), r.timestampMicros(), kind(r), null));
                    }
                    continue;
                }
                run.events.add(new Placed(r, s.name(), i));
                if (run.inferred && (r instanceof TaskFail || r instanceof DagDone)) {
                    run.closed = true;
                    open.remove(run);
                }
            }
        }
    }

    private static String kind(RunnerEvent r) {
        if (r instanceof TaskStart) {
            return "started";
        } else if (r instanceof TaskRetry) {
            return "retried";
        } else if (r instanceof TaskOk) {
            return "succeeded";
        }
        return "failed";
    }

    // ---- run inference, recomputing each open run's state from its events every time

    private static String dagOf(RRun r) {
        return r.events.get(0).event().dagName();
    }

    private static boolean started(RRun r, String task) {
        return r.events.stream().anyMatch(p -> p.event() instanceof TaskStart t && t.taskId().equals(task));
    }

    private static boolean inProgress(RRun r, String task) {
        boolean in = false;
        for (Placed p : r.events) {
            if (p.event() instanceof TaskStart t && t.taskId().equals(task)) {
                in = true;
            } else if ((p.event() instanceof TaskOk t && t.taskId().equals(task))
                    || (p.event() instanceof TaskFail f && f.taskId().equals(task))
                    || (p.event() instanceof CheckpointPending c && c.taskId().equals(task))) {
                in = false;
            }
        }
        return in;
    }

    private static boolean anyInProgress(RRun r) {
        return r.events.stream().filter(p -> p.event() instanceof TaskEvent)
                .map(p -> ((TaskEvent) p.event()).taskId()).distinct().anyMatch(t -> inProgress(r, t));
    }

    private static int retriesSinceStart(RRun r, String task) {
        int n = 0;
        for (Placed p : r.events) {
            if (p.event() instanceof TaskStart t && t.taskId().equals(task)) {
                n = 0;
            } else if (p.event() instanceof TaskRetry t && t.taskId().equals(task)) {
                n++;
            }
        }
        return n;
    }

    private static String tenantOfStart(RRun r) {
        for (Placed p : r.events) {
            if (p.event() instanceof DagStart d && d.tenant() != null) {
                return d.tenant();
            }
        }
        return "local-dev";
    }

    private RRun infer(String source, List<RRun> open, RunnerEvent e) {
        List<RRun> mine = new ArrayList<>();
        for (RRun r : open) {
            if (dagOf(r).equals(e.dagName())) {
                mine.add(r);
            }
        }
        if (e instanceof DagStart) {
            String base = RunIds.inferred(source, e.dagName(), e.timestampMicros());
            String id = base;
            for (int n = 2; runs.containsKey(id); n++) {
                id = base + "#" + n;
            }
            RRun r = new RRun(id, true);
            runs.put(id, r);
            open.add(r);
            return r;
        }
        RRun newest = mine.isEmpty() ? null : mine.get(mine.size() - 1);
        if (e instanceof TaskStart t) {
            for (int i = mine.size() - 1; i >= 0; i--) {
                if (!anyInProgress(mine.get(i)) && !started(mine.get(i), t.taskId())) {
                    return mine.get(i);
                }
            }
            return newest;
        }
        if (e instanceof TaskRetry || e instanceof TaskOk) {
            String task = ((TaskEvent) e).taskId();
            Integer attempt = e instanceof TaskRetry t ? t.attempt() : ((TaskOk) e).attempt();
            if (attempt != null) {
                for (int i = mine.size() - 1; i >= 0; i--) {
                    if (inProgress(mine.get(i), task) && retriesSinceStart(mine.get(i), task) == attempt - 1) {
                        return mine.get(i);
                    }
                }
            }
            for (int i = mine.size() - 1; i >= 0; i--) {
                if (inProgress(mine.get(i), task)) {
                    return mine.get(i);
                }
            }
            return newest;
        }
        if (e instanceof TaskFail t) {
            for (int i = mine.size() - 1; i >= 0; i--) {
                if (inProgress(mine.get(i), t.taskId())) {
                    return mine.get(i);
                }
            }
            return newest;
        }
        if (e instanceof DagDone d) {
            if (mine.isEmpty()) {
                return null;
            }
            if (d.durationSeconds() != null) {
                long expected = d.timestampMicros() - Math.round(d.durationSeconds() * 1e6);
                RRun best = null;
                long bestDist = Long.MAX_VALUE;
                for (RRun r : mine) {
                    long dist = Math.abs(startOf(r) - expected);
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = r;
                    }
                }
                if (bestDist <= 1000) {
                    return best;
                }
            }
            if (d.tenant() != null) {
                for (RRun r : mine) {
                    if (!anyInProgress(r) && d.tenant().equals(tenantOfStart(r))) {
                        return r;
                    }
                }
            }
            return mine.get(0);
        }
        return newest;
    }

    // ---- a run's events in merged order: each source's in read order, sources interleaved by timestamp

    static List<RunnerEvent> merged(RRun r) {
        Map<String, List<Placed>> bySource = new TreeMap<>();
        for (Placed p : r.events) {
            bySource.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p);
        }
        bySource.values().forEach(l -> l.sort(Comparator.comparingInt(Placed::line)));
        List<List<Placed>> seqs = new ArrayList<>(bySource.values());
        int[] head = new int[seqs.size()];
        List<RunnerEvent> out = new ArrayList<>();
        while (out.size() < r.events.size()) {
            int best = -1;
            for (int g = 0; g < seqs.size(); g++) {
                if (head[g] < seqs.get(g).size() && (best < 0 || seqs.get(g).get(head[g]).event().timestampMicros()
                        < seqs.get(best).get(head[best]).event().timestampMicros())) {
                    best = g;
                }
            }
            out.add(seqs.get(best).get(head[best]++).event());
        }
        return out;
    }

    static long startOf(RRun r) {
        for (RunnerEvent e : merged(r)) {
            if (e instanceof DagStart) {
                return e.timestampMicros();
            }
        }
        return r.events.stream().mapToLong(p -> p.event().timestampMicros()).min().orElseThrow();
    }

    String tenantOf(RRun r) {
        List<RunnerEvent> es = merged(r);
        for (RunnerEvent e : es) {
            if (e instanceof DagStart d && d.tenant() != null) {
                return d.tenant();
            }
        }
        for (RunnerEvent e : es) {
            if (e instanceof DagDone d && d.tenant() != null) {
                return d.tenant();
            }
        }
        return "local-dev";
    }

    /** Every task event with its tenant and duration. */
    List<TaskRecord> taskRecords() {
        List<TaskRecord> out = new ArrayList<>(orphanTasks);
        for (RRun r : runs.values()) {
            String tenant = tenantOf(r);
            Map<String, Long> lastStart = new HashMap<>();
            for (RunnerEvent e : merged(r)) {
                if (e instanceof TaskStart t) {
                    lastStart.put(t.taskId(), t.timestampMicros());
                    out.add(new TaskRecord(tenant, e.dagName(), e.timestampMicros(), "started", null));
                } else if (e instanceof TaskRetry) {
                    out.add(new TaskRecord(tenant, e.dagName(), e.timestampMicros(), "retried", null));
                } else if (e instanceof TaskOk || e instanceof TaskFail) {
                    Long s = lastStart.get(((TaskEvent) e).taskId());
                    out.add(new TaskRecord(tenant, e.dagName(), e.timestampMicros(), kind(e),
                            s == null ? null : e.timestampMicros() - s));
                }
            }
        }
        return out;
    }

    // ---- runs

    private boolean expiryApplies(List<RunnerEvent> es, CheckpointExpired x) {
        boolean pending = false;
        for (RunnerEvent e : es) {
            if (e instanceof CheckpointPending p && p.timestampMicros() <= x.timestampMicros()
                    && x.checkpointId() != null && x.checkpointId().equals(p.checkpointId())) {
                pending = true;
            }
        }
        if (!pending) {
            return false;
        }
        for (RunnerEvent e : es) {
            if (e instanceof CheckpointApproved a && a.timestampMicros() <= x.timestampMicros()
                    && x.checkpointId().equals(a.checkpointId())) {
                return false;
            }
        }
        return true;
    }

    RView view(RRun r) {
        List<RunnerEvent> es = merged(r);
        long start = startOf(r);
        Integer taskCount = null;
        for (RunnerEvent e : es) {
            if (e instanceof DagStart d) {
                taskCount = d.taskCount();
                break;
            }
        }
        int ok = 0;
        int fail = 0;
        int retry = 0;
        boolean failed = false;
        Long lastEnd = null;
        Long failAt = null;
        String error = null;
        long maxTs = Long.MIN_VALUE;
        RunnerEvent last = null;
        for (RunnerEvent e : es) {
            if (e.timestampMicros() >= maxTs) {
                maxTs = e.timestampMicros();
                last = e;
            }
            if (e instanceof TaskOk) {
                ok++;
            } else if (e instanceof TaskRetry) {
                retry++;
            } else if (e instanceof TaskFail f) {
                fail++;
                failed = true;
                lastEnd = lastEnd == null ? f.timestampMicros() : Math.max(lastEnd, f.timestampMicros());
                if (failAt == null || f.timestampMicros() >= failAt) {
                    failAt = f.timestampMicros();
                    error = f.error();
                }
            } else if (e instanceof DagDone d) {
                if (d.tasksFailed() != null && d.tasksFailed() > 0) {
                    failed = true;
                }
                lastEnd = lastEnd == null ? d.timestampMicros() : Math.max(lastEnd, d.timestampMicros());
            }
        }
        CheckpointExpired lastExpiry = null;
        for (CheckpointExpired x : expiries) {
            if (r.id.equals(x.dagRunId()) && expiryApplies(es, x)
                    && (lastExpiry == null || x.timestampMicros() >= lastExpiry.timestampMicros())) {
                lastExpiry = x;
            }
        }
        RunStatus status;
        if (failed || lastExpiry != null) {
            status = RunStatus.FAILED;
        } else if (last instanceof DagDone) {
            status = RunStatus.SUCCEEDED;
        } else if (last instanceof CheckpointPending) {
            status = RunStatus.PAUSED;
        } else {
            status = RunStatus.RUNNING;
        }
        Long end = null;
        if (status == RunStatus.FAILED || status == RunStatus.SUCCEEDED) {
            end = lastEnd;
            if (lastExpiry != null) {
                end = end == null ? lastExpiry.timestampMicros() : Math.max(end, lastExpiry.timestampMicros());
            }
        }
        if (lastExpiry != null && (failAt == null || lastExpiry.timestampMicros() >= failAt)) {
            error = "checkpoint " + lastExpiry.checkpointId() + " expired";
        }
        return new RView(r.id, es.get(0).dagName(), tenantOf(r), status, start, end, taskCount, ok, fail, retry,
                error, tasks(r, es));
    }

    private Map<String, RTask> tasks(RRun r, List<RunnerEvent> es) {
        // each task's events in merged order; a checkpoint's events belong to the task it names
        Map<String, String> checkpointTask = new HashMap<>();
        Map<String, List<RunnerEvent>> byTask = new LinkedHashMap<>();
        for (RunnerEvent e : es) {
            String task = null;
            if (e instanceof TaskEvent t) {
                task = t.taskId();
            } else if (e instanceof CheckpointPending c) {
                task = c.taskId();
                checkpointTask.put(c.checkpointId(), c.taskId());
            } else if (e instanceof CheckpointApproved a) {
                task = checkpointTask.get(a.checkpointId());
            }
            if (task != null) {
                byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, RTask> out = new LinkedHashMap<>();
        byTask.forEach((task, events) -> {
            RunStatus status = RunStatus.RUNNING;
            Long startedAt = null;
            Long endedAt = null;
            boolean checkpoint = false;
            boolean approved = false;
            TaskOk okEvent = null;
            TaskFail failEvent = null;
            int retries = 0;
            String retryError = null;
            for (RunnerEvent e : events) {
                if (e instanceof TaskStart) {
                    status = RunStatus.RUNNING;
                    startedAt = e.timestampMicros();
                    endedAt = null;
                    checkpoint = false;
                    okEvent = null;
                    failEvent = null;
                    retries = 0;
                    retryError = null;
                } else if (e instanceof TaskRetry t) {
                    retries++;
                    retryError = t.error();
                } else if (e instanceof TaskOk t) {
                    status = RunStatus.SUCCEEDED;
                    endedAt = e.timestampMicros();
                    okEvent = t;
                } else if (e instanceof TaskFail t) {
                    status = RunStatus.FAILED;
                    endedAt = e.timestampMicros();
                    failEvent = t;
                } else if (e instanceof CheckpointPending) {
                    status = RunStatus.PAUSED;
                    startedAt = e.timestampMicros();
                    endedAt = null;
                    checkpoint = true;
                    approved = false;
                    retryError = null;
                    failEvent = null;
                } else if (e instanceof CheckpointApproved && checkpoint && !approved) {
                    approved = true;
                    status = RunStatus.SUCCEEDED;
                    endedAt = e.timestampMicros();
                }
            }
            int attempts = checkpoint ? 0
                    : status == RunStatus.SUCCEEDED && okEvent != null && okEvent.attempt() != null
                            ? okEvent.attempt() : status == RunStatus.RUNNING ? retries : 1 + retries;
            String error = failEvent != null && failEvent.error() != null ? failEvent.error() : retryError;
            out.put(task, new RTask(task, status, startedAt, endedAt, attempts, error));
        });
        for (CheckpointExpired x : expiries) {
            if (r.id.equals(x.dagRunId()) && expiryApplies(es, x)) {
                String task = checkpointTask.get(x.checkpointId());
                RTask p = out.get(task);
                out.put(task, new RTask(task, RunStatus.FAILED, p.startedAt(), x.timestampMicros(), 0,
                        "checkpoint " + x.checkpointId() + " expired"));
            }
        }
        return out;
    }

    List<RView> runsNewestFirst() {
        List<RView> views = new ArrayList<>();
        for (RRun r : runs.values()) {
            views.add(view(r));
        }
        views.sort(Comparator.comparingLong(RView::startedAt).reversed().thenComparing(RView::id));
        return views;
    }

    // ---- schedules

    Map<String, RSchedule> schedules() {
        Map<String, List<Event>> byId = new TreeMap<>();
        for (Event e : stateEvents) {
            String id = e instanceof ScheduleEnqueued q ? q.scheduleId()
                    : e instanceof RunStarted s ? s.scheduleId() : ((RunFinished) e).scheduleId();
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
        }
        Map<String, RSchedule> out = new TreeMap<>();
        byId.forEach((id, es) -> {
            long enq = 0;
            long st = 0;
            long fin = 0;
            long ok = 0;
            long failed = 0;
            long retry = 0;
            double sum = 0;
            int n = 0;
            Long lastRun = null;
            Long lastFinAt = null;
            String lastStatus = null;
            String tenant = null;
            long tenantAt = Long.MIN_VALUE;
            String dagPath = null;
            long dagPathAt = Long.MIN_VALUE;
            long first = Long.MAX_VALUE;
            List<Long> minutes = new ArrayList<>();
            for (Event e : es) {
                long at = e.timestampMicros();
                first = Math.min(first, at);
                String t;
                String p;
                if (e instanceof ScheduleEnqueued q) {
                    enq++;
                    if (q.minuteEpoch() != null) {
                        minutes.add(q.minuteEpoch());
                    }
                    t = q.tenant();
                    p = q.dagPath();
                } else if (e instanceof RunStarted s) {
                    st++;
                    lastRun = lastRun == null ? at : Math.max(lastRun, at);
                    t = s.tenant();
                    p = s.dagPath();
                } else {
                    RunFinished f = (RunFinished) e;
                    fin++;
                    if ("success".equals(f.status())) {
                        ok++;
                    } else if ("failed".equals(f.status())) {
                        failed++;
                    } else if ("retry".equals(f.status())) {
                        retry++;
                    }
                    if (f.durationSeconds() != null) {
                        sum += f.durationSeconds();
                        n++;
                    }
                    if (lastFinAt == null || at >= lastFinAt) {
                        lastFinAt = at;
                        lastStatus = f.status();
                    }
                    t = f.tenant();
                    p = f.dagPath();
                }
                if (t != null && at >= tenantAt) {
                    tenantAt = at;
                    tenant = t;
                }
                if (p != null && at >= dagPathAt) {
                    dagPathAt = at;
                    dagPath = p;
                }
            }
            out.put(id, new RSchedule(id, tenant, dagPath, enq, st, fin, ok, failed, retry, n == 0 ? null : sum / n,
                    lastRun, lastStatus, first, minutes));
        });
        return out;
    }

    static long minuteOf(long micros) {
        return Math.floorDiv(micros, Timestamps.MICROS_PER_MINUTE);
    }
}
