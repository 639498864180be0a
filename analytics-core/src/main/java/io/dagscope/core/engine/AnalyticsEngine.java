package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.StateEvent;
import io.dagscope.core.event.TaskEvent;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.TaskBucket;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.port.in.CatalogQuery;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The analytics engine: folds events in as they arrive and answers every question of METRICS.md.
 *
 * <p>Events are folded in single-pass and incrementally: an event costs O(1) amortized when it arrives in its
 * run's order, and O(size of its run) when it arrives out of it (another source's event from earlier, or a run's
 * {@code dag_start} read after its tasks). Windowed figures come from per-minute partial aggregates rolled up by
 * hour and day, so memory grows with time covered and runs kept, not with events. Old run detail is dropped by the
 * retention in {@link EngineSettings}; counters and aggregates stay. Retention and the sealing of old days count back
 * from the newest event, but never from later than now: an event stamped in the future (a wrong clock) cannot make
 * other runs' detail look old. What no longer changes (sealed days, dropped
 * runs, their failures) goes to the {@link HistoryStore}: with a file store, the heap holds live state and retained
 * run detail only, whatever the history covers.
 *
 * <p>Thread-safe: one writer at a time (through {@link SourceFeed}s), any number of concurrent readers.
 */
public final class AnalyticsEngine implements AutoCloseable, TaskSummaryQuery, DagRunQuery, TenantLoadQuery,
        ScheduleQuery, ResolveWindowUseCase, TaskSeriesQuery, FailureQuery, RunCountsQuery, CatalogQuery {

    /** The tenant of task events that belong to no run: counted overall and per DAG, in no tenant's figures. */
    static final int NO_TENANT = -1;

    private final EngineSettings settings;
    private final Clock clock;
    /** The host's own clock: retention and sealing never count from later than it (or {@link #clock}, if later). */
    private final Clock wallClock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final Dictionary tenants = new Dictionary();
    private final Dictionary dags = new Dictionary();
    private final Map<String, Run> runs = new HashMap<>(1 << 16);
    private final TreeSet<Run> newestFirst = new TreeSet<>(NEWEST_FIRST);
    private final LongMap<TimeSeries<Cell>> taskSeries = new LongMap<>();
    private final LongMap<TimeSeries<long[]>> runStarts = new LongMap<>();
    /** Per (tenant, DAG) series key: runs succeeded and failed, kept as runs change. */
    private final LongMap<long[]> endedRuns = new LongMap<>();
    /** Runs running or paused, as last counted. */
    private final java.util.Set<Run> openRuns = new java.util.HashSet<>();
    private final java.util.TreeMap<Long, List<FailureRecord>> failuresByMinute = new java.util.TreeMap<>();
    private final java.util.Set<Run> runsWithExpiries = new java.util.HashSet<>();
    private final ScheduleBook schedules;
    private final Map<String, List<Run.Expiry>> pendingExpiries = new HashMap<>();
    /** Where history the engine no longer changes goes: sealed days, dropped runs, final failures. */
    private final HistoryStore history;
    private final DroppedRuns droppedRuns;
    /** Shared by every series: which days are sealed (see {@link TimeSeries}). */
    private final TimeSeries.Sealing sealing;
    /** Failures of days before the sealing horizon whose runs are all dropped (or none), by day. */
    private final DayHandles sealedFailures = new DayHandles();
    private long sealedFailureBytes;
    /** Passes of retention or sealing that the history store failed, and the last failure's message. */
    private long historyFailures;
    private String lastHistoryFailure;
    private long eventsAtLastSealing;
    private static final long MINUTES_PER_DAY = 1440;
    private static final long LATE_SEALING_EVENTS = 1_000_000;
    private final List<SourceFeed> feeds = new ArrayList<>();
    private long newestEventAt = Long.MIN_VALUE;
    private long eventsApplied;
    private volatile long version;

    private static final Comparator<Run> NEWEST_FIRST = (a, b) -> {
        int c = Long.compare(b.indexStartedAt, a.indexStartedAt);
        return c != 0 ? c : a.id.compareTo(b.id);
    };

    /**
     * An engine with the given settings, whose retention never counts from later than the system clock.
     *
     * @param settings window default and retention
     * @param clock the clock that says "now" for windows without an end
     */
    public AnalyticsEngine(EngineSettings settings, Clock clock) {
        this(settings, clock, new HeapHistoryStore());
    }

    /**
     * An engine that keeps the history it no longer changes in a store: with a file store
     * ({@code io.dagscope.core.history.FileHistoryStore}) the heap holds only live state and retained run detail,
     * whatever the history covers. The engine owns the store from now on and closes it in {@link #close()}.
     *
     * @param settings window default and retention
     * @param clock the clock that says "now" for windows without an end
     * @param history where sealed days, dropped runs and the failures of dropped runs go
     */
    public AnalyticsEngine(EngineSettings settings, Clock clock, HistoryStore history) {
        this(settings, clock, history, Clock.systemUTC());
    }

    /**
     * An engine whose retention and sealing never count from later than a given wall clock: "now" for them is the
     * newest event's time, or the later of {@code clock} and {@code wallClock} when that is earlier.
     *
     * @param settings window default and retention
     * @param clock the clock that says "now" for windows without an end
     * @param history where sealed days, dropped runs and the failures of dropped runs go
     * @param wallClock the host's own clock (the system's in production; tests pass one they control)
     */
    public AnalyticsEngine(EngineSettings settings, Clock clock, HistoryStore history, Clock wallClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.history = Objects.requireNonNull(history, "history");
        this.droppedRuns = new DroppedRuns(history);
        this.sealing = new TimeSeries.Sealing(history);
        this.schedules = new ScheduleBook(history);
    }

    /** Closes the history store; queries still running finish, and nothing is applied or asked afterwards. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            history.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * A feed for one source. Run inference for events without a run id happens per feed, in the order the feed
     * receives events, so give each configured location its own feed, named stably (inferred run ids derive from
     * the name).
     *
     * @param sourceName the source's name, unique among feeds
     * @return the feed
     * @throws IllegalArgumentException if a feed of that name exists
     */
    public SourceFeed feed(String sourceName) {
        lock.writeLock().lock();
        try {
            for (SourceFeed f : feeds) {
                if (f.name().equals(sourceName)) {
                    throw new IllegalArgumentException("a source named '" + sourceName + "' is already fed");
                }
            }
            SourceFeed feed = new SourceFeed(this, sourceName, feeds.size());
            feeds.add(feed);
            return feed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Sets the schedule definitions (replacing earlier ones).
     *
     * @param definitions the definitions; with two of one id, the first wins
     * @param cronParser how to read their cron expressions
     */
    public void defineSchedules(List<ScheduleDefinition> definitions, CronParser cronParser) {
        lock.writeLock().lock();
        try {
            schedules.define(List.copyOf(definitions), cronParser);
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * A number that changes whenever the data changes: answers cached under one version stay right until it moves.
     *
     * @return the data's version
     */
    public long version() {
        return version;
    }

    /** @return figures about the engine itself */
    public EngineStats stats() {
        lock.readLock().lock();
        try {
            long[] total = {0, 0, 0};
            taskSeries.forEach((k, s) -> {
                total[0] += s.cells();
                total[1] += s.sealedCells();
                total[2] += s.sealedBytes();
            });
            return new EngineStats(eventsApplied, runs.size(), droppedRuns.dropped(), total[0], total[1], total[2],
                    tenants.size(), dags.size(), schedules.size(), history.usage(), historyFailures,
                    Optional.ofNullable(lastHistoryFailure));
        } finally {
            lock.readLock().unlock();
        }
    }

    // =========================================================================================================
    // ingest

    void apply(SourceFeed feed, List<Event> batch, long firstSeq) {
        lock.writeLock().lock();
        try {
            long seq = firstSeq;
            for (Event e : batch) {
                applyOne(feed, e, seq++);
            }
            eventsApplied += batch.size();
            try {
                long now = Math.min(newestEventAt, Math.max(Timestamps.toMicros(clock.instant()),
                        Timestamps.toMicros(wallClock.instant())));
                enforceRetention(now);
                sealOldDays(now);
            } catch (RuntimeException e) {
                // the history store failed (a full disk): what was not stored stays live and exact, the batch stays
                // applied once, and the next pass tries again
                historyFailures++;
                lastHistoryFailure = String.valueOf(e.getMessage());
            }
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyOne(SourceFeed feed, Event event, long seq) {
        if (event instanceof RunnerEvent r) {
            newestEventAt = Math.max(newestEventAt, r.timestampMicros());
            applyRunnerEvent(feed, r, seq);
        } else if (event instanceof CheckpointExpired x) {
            applyExpiry(x);
        } else {
            schedules.apply((StateEvent) event);
        }
    }

    private void applyRunnerEvent(SourceFeed feed, RunnerEvent e, long seq) {
        String runId = e.dagRunId();
        Run run;
        if (runId != null) {
            run = runs.get(runId);
            // the DAG is almost always the run's, and the same string: no dictionary lookup then
            int dag = run != null && run.dagName == e.dagName() ? run.dagId : dags.id(e.dagName());
            if (run == null) {
                Integer droppedTenant = droppedRuns.get(RunIds.hash64(runId));
                if (droppedTenant != null) {
                    applyWithoutRun(e, dag, droppedTenant);
                    return;
                }
                run = new Run(runId, false, dag);
                run.dagName = e.dagName();
                runs.put(runId, run);
                List<Run.Expiry> expiries = pendingExpiries.remove(runId);
                if (expiries != null) {
                    expiries.forEach(run::addExpiry);
                    runsWithExpiries.add(run);
                }
            }
            appendToRun(feed, run, e, dag, seq);
            return;
        }
        int dag = dags.id(e.dagName());
        RunInference inference = feed.inference();
        if (e instanceof DagStart) {
            run = new Run(inferredId(feed, e), true, dag);
            runs.put(run.id, run);
            inference.opened(e.dagName(), run);
        } else if (e instanceof TaskStart t) {
            run = inference.forTaskStart(e.dagName(), t.taskId());
        } else if (e instanceof TaskRetry t) {
            run = inference.forAttempt(e.dagName(), t.taskId(), t.attempt());
        } else if (e instanceof TaskOk t) {
            run = inference.forAttempt(e.dagName(), t.taskId(), t.attempt());
        } else if (e instanceof TaskFail t) {
            run = inference.forTaskFail(e.dagName(), t.taskId());
        } else if (e instanceof DagDone d) {
            run = inference.forDagDone(e.dagName(), d.timestampMicros(), d.durationSeconds(), d.tenant());
        } else {
            run = inference.newestOpen(e.dagName());
        }
        if (run == null) {
            applyWithoutRun(e, dag, NO_TENANT);
            return;
        }
        appendToRun(feed, run, e, dag, seq);
        if (e instanceof TaskFail || e instanceof DagDone) {
            inference.closed(e.dagName(), run);
        }
    }

    /** A {@code task_fail} as the failures query groups it. */
    private record FailureRecord(long at, Run.FailedRunRef run, int tenantIfNoRun, int dag, String taskId,
            String error) {
    }

    private void recordFailure(TaskFail f, Run run, int tenantIfNoRun, int dag) {
        Run.FailedRunRef ref = null;
        if (run != null) {
            if (run.failedRunRef == null) {
                run.failedRunRef = new Run.FailedRunRef(run.id);
            }
            ref = run.failedRunRef;
        }
        failuresByMinute.computeIfAbsent(Timestamps.minuteOf(f.timestampMicros()), k -> new ArrayList<>(2))
                .add(new FailureRecord(f.timestampMicros(), ref, tenantIfNoRun, dag, f.taskId(), f.error()));
    }

    private String inferredId(SourceFeed feed, RunnerEvent e) {
        String base = RunIds.inferred(feed.name(), e.dagName(), e.timestampMicros());
        String id = base;
        for (int n = 2; runs.containsKey(id); n++) {
            id = base + "#" + n;
        }
        return id;
    }

    private void applyWithoutRun(RunnerEvent e, int dag, int tenant) {
        if (e instanceof TaskFail f) {
            recordFailure(f, null, tenant, dag);
        }
        if (e instanceof TaskEvent) {
            int kind = contributionKind(kindOf(e));
            emit(tenant, dag, Timestamps.minuteOf(e.timestampMicros()), kind, Contribution.NO_DURATION, 1);
        }
    }

    private void appendToRun(SourceFeed feed, Run run, RunnerEvent e, int dag, long seq) {
        byte kind = kindOf(e);
        long at = e.timestampMicros();
        String taskId = null;
        int num = -1;
        Object ref = null;
        if (e instanceof DagStart s) {
            num = s.taskCount() == null ? -1 : s.taskCount();
            ref = s.tenant();
        } else if (e instanceof TaskStart t) {
            taskId = t.taskId();
        } else if (e instanceof TaskRetry t) {
            taskId = t.taskId();
            num = t.attempt() == null ? -1 : t.attempt();
            ref = t.error();
        } else if (e instanceof TaskOk t) {
            taskId = t.taskId();
            num = t.attempt() == null ? -1 : t.attempt();
        } else if (e instanceof TaskFail t) {
            taskId = t.taskId();
            ref = t.error();
        } else if (e instanceof DagDone d) {
            num = d.tasksFailed() == null ? 0 : d.tasksFailed();
            ref = new Run.DoneInfo(d.tenant(), d.durationSeconds() == null ? Double.NaN : d.durationSeconds());
        } else if (e instanceof CheckpointPending p) {
            taskId = p.taskId();
            ref = p.checkpointId();
        } else if (e instanceof CheckpointApproved a) {
            ref = a.checkpointId();
        }

        if (e instanceof TaskFail f) {
            recordFailure(f, run, -1, dag);
        }
        if (run.log.appendsInOrder(feed.id(), seq, at)) {
            long duration = run.durationIfFinished(kind, taskId, at);
            run.log.append(kind, at, feed.id(), seq, dag, taskId, num, ref);
            run.step(run.log.size() - 1);
            int tenant = tenantId(run);
            if (run.appliedTenant >= 0 && run.appliedTenant != tenant) {
                emitRun(run, run.log.size() - 1, run.appliedTenant, -1);
                emitRun(run, run.log.size(), tenant, 1);
            } else if (isTaskKind(kind)) {
                emit(tenant, dag, Timestamps.minuteOf(at), contributionKind(kind), duration, 1);
            }
            run.appliedTenant = tenant;
        } else {
            if (run.appliedTenant >= 0) {
                emitRun(run, run.log.size(), run.appliedTenant, -1);
            }
            run.log.append(kind, at, feed.id(), seq, dag, taskId, num, ref);
            run.log.reorder(this::sourceRank);
            run.refold();
            int tenant = tenantId(run);
            emitRun(run, run.log.size(), tenant, 1);
            run.appliedTenant = tenant;
        }
        if (Kind.isEnd(kind)) {
            run.log.trim();
        }
        countRunStart(run);
        reindex(run);
        countStatus(run);
    }

    /** Keeps the run counters in step with a run's status and key, after anything that may have changed them. */
    private void countStatus(Run run) {
        RunStatus status = run.status();
        long key = seriesKey(tenantId(run), run.dagId);
        if (status == run.countedStatus && key == run.countedKey) {
            return;
        }
        uncountStatus(run);
        run.countedStatus = status;
        run.countedKey = key;
        switch (status) {
            case SUCCEEDED, FAILED -> {
                long[] counts = endedRuns.get(key);
                if (counts == null) {
                    counts = new long[2];
                    endedRuns.put(key, counts);
                }
                counts[status == RunStatus.SUCCEEDED ? 0 : 1]++;
            }
            default -> openRuns.add(run);
        }
    }

    private void uncountStatus(Run run) {
        if (run.countedStatus == null) {
            return;
        }
        switch (run.countedStatus) {
            case SUCCEEDED -> endedRuns.get(run.countedKey)[0]--;
            case FAILED -> endedRuns.get(run.countedKey)[1]--;
            default -> openRuns.remove(run);
        }
        run.countedStatus = null;
    }

    /** The id of a run's tenant, remembered while the tenant's name stays the same string. */
    private int tenantId(Run run) {
        String name = run.tenant();
        if (name != run.tenantName) {
            run.tenantName = name;
            run.tenantId = tenants.id(name);
        }
        return run.tenantId;
    }

    /** Ranks sources by name, so the merged order of a run never depends on which source was read first. */
    private int sourceRank(int feedId) {
        String name = feeds.get(feedId).name();
        int rank = 0;
        for (SourceFeed f : feeds) {
            int c = f.name().compareTo(name);
            if (c < 0 || (c == 0 && f.id() < feedId)) {
                rank++;
            }
        }
        return rank;
    }

    private void reindex(Run run) {
        long startedAt = run.startedAt();
        if (run.indexed && run.indexStartedAt == startedAt) {
            return;
        }
        if (run.indexed) {
            newestFirst.remove(run);
        }
        run.indexStartedAt = startedAt;
        newestFirst.add(run);
        run.indexed = true;
    }

    private void countRunStart(Run run) {
        long minute = Timestamps.minuteOf(run.startedAt());
        int tenant = run.appliedTenant;
        if (run.appliedStartMinute == minute && run.appliedStartTenant == tenant) {
            return;
        }
        if (run.appliedStartMinute != Run.NONE) {
            runStarts.get(seriesKey(run.appliedStartTenant, run.dagId)).update(run.appliedStartMinute, c -> c[0]--);
        }
        long key = seriesKey(tenant, run.dagId);
        TimeSeries<long[]> starts = runStarts.get(key);
        if (starts == null) {
            starts = new TimeSeries<>(() -> new long[1], CellCodec.COUNTER, sealing);
            runStarts.put(key, starts);
        }
        starts.update(minute, c -> c[0]++);
        run.appliedStartMinute = minute;
        run.appliedStartTenant = tenant;
    }

    /** Emits the task contributions of the first {@code count} events of a run's log, with the given sign. */
    private void emitRun(Run run, int count, int tenant, int sign) {
        RunLog log = run.log;
        Map<String, Long> lastStart = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byte kind = log.kind(i);
            if (!isTaskKind(kind)) {
                continue;
            }
            long at = log.ts(i);
            long duration = Contribution.NO_DURATION;
            if (kind == Kind.TASK_START) {
                lastStart.put(log.task(i), at);
            } else if (kind == Kind.TASK_OK || kind == Kind.TASK_FAIL) {
                Long start = lastStart.get(log.task(i));
                if (start != null) {
                    duration = at - start;
                }
            }
            emit(tenant, log.dag(i), Timestamps.minuteOf(at), contributionKind(kind), duration, sign);
        }
    }

    /** Scratch for the cells one event updates (written under the write lock only). */
    private final Object[] cellsScratch = new Object[4];
    private long lastSeriesKey = Long.MIN_VALUE;
    private TimeSeries<Cell> lastSeries;

    private void emit(int tenant, int dag, long minute, int kind, long durationMicros, int sign) {
        long key = seriesKey(tenant, dag);
        TimeSeries<Cell> series = key == lastSeriesKey ? lastSeries : taskSeries.get(key);
        if (series == null) {
            series = new TimeSeries<>(Cell::new, Cell.CODEC, sealing);
            taskSeries.put(key, series);
        }
        lastSeriesKey = key;
        lastSeries = series;
        series.cellsAt(minute, cellsScratch);
        for (Object cell : cellsScratch) {
            ((Cell) cell).add(kind, durationMicros, sign);
        }
    }

    private static long seriesKey(int tenant, int dag) {
        return ((long) (tenant + 1) << 32) | (dag & 0xffffffffL);
    }

    private static int tenantOfKey(long key) {
        return (int) (key >>> 32) - 1;
    }

    private static int dagOfKey(long key) {
        return (int) key;
    }

    private static boolean isTaskKind(byte kind) {
        return kind == Kind.TASK_START || kind == Kind.TASK_RETRY || kind == Kind.TASK_OK || kind == Kind.TASK_FAIL;
    }

    private static int contributionKind(byte kind) {
        return switch (kind) {
            case Kind.TASK_START -> Contribution.STARTED;
            case Kind.TASK_RETRY -> Contribution.RETRIED;
            case Kind.TASK_OK -> Contribution.SUCCEEDED;
            case Kind.TASK_FAIL -> Contribution.FAILED;
            default -> throw new IllegalArgumentException("not a task event kind: " + kind);
        };
    }

    private static byte kindOf(RunnerEvent e) {
        if (e instanceof DagStart) {
            return Kind.DAG_START;
        } else if (e instanceof TaskStart) {
            return Kind.TASK_START;
        } else if (e instanceof TaskRetry) {
            return Kind.TASK_RETRY;
        } else if (e instanceof TaskOk) {
            return Kind.TASK_OK;
        } else if (e instanceof TaskFail) {
            return Kind.TASK_FAIL;
        } else if (e instanceof DagDone) {
            return Kind.DAG_DONE;
        } else if (e instanceof CheckpointPending) {
            return Kind.CHECKPOINT_PENDING;
        } else {
            return Kind.CHECKPOINT_APPROVED;
        }
    }

    private void applyExpiry(CheckpointExpired x) {
        if (x.dagRunId() == null) {
            return;
        }
        Run.Expiry expiry = new Run.Expiry(x.timestampMicros(), x.checkpointId(), x.taskId());
        Run run = runs.get(x.dagRunId());
        if (run != null) {
            run.addExpiry(expiry);
            runsWithExpiries.add(run);
            countStatus(run);
        } else if (droppedRuns.get(RunIds.hash64(x.dagRunId())) == null) {
            pendingExpiries.computeIfAbsent(x.dagRunId(), k -> new ArrayList<>(1)).add(expiry);
        }
    }

    /**
     * Seals the aggregate cells of days before yesterday (of the newest event), once a day of event time, and again
     * after a million events when writes reached behind that horizon (late events, or a source read after a newer
     * one), so that live cells stay a few days' worth whatever the history covers.
     *
     * @param now the newest event's time, or the clocks' now when that is earlier
     */
    private void sealOldDays(long now) {
        if (newestEventAt == Long.MIN_VALUE) {
            return;
        }
        long before = Math.floorDiv(Timestamps.minuteOf(now), MINUTES_PER_DAY) - 1;
        boolean advanced = before > sealing.before;
        boolean late = sealing.lateWrites > 0 && eventsApplied - eventsAtLastSealing >= LATE_SEALING_EVENTS;
        if (!advanced && !late) {
            return;
        }
        sealing.before = Math.max(sealing.before, before);
        long horizon = sealing.before;
        taskSeries.forEach((key, series) -> series.sealBefore(horizon));
        runStarts.forEach((key, series) -> series.sealBefore(horizon));
        sealFailures(horizon);
        schedules.sealBefore(horizon);
        sealing.lateWrites = 0;
        eventsAtLastSealing = eventsApplied;
    }

    /**
     * Moves the failures of each day before {@code beforeDay} into the history store, once every one of them is
     * final: its run dropped by retention, or none. A day sealed before and written to again (a late failure) is
     * sealed again with its old records first, so the query reads them in the order they came.
     */
    private void sealFailures(long beforeDay) {
        java.util.NavigableMap<Long, List<FailureRecord>> old =
                failuresByMinute.headMap(beforeDay * MINUTES_PER_DAY, false);
        if (old.isEmpty()) {
            return;
        }
        java.util.TreeSet<Long> days = new java.util.TreeSet<>();
        old.keySet().forEach(minute -> days.add(Math.floorDiv(minute, MINUTES_PER_DAY)));
        Bytes.Writer out = sealing.writer;
        for (long day : days) {
            java.util.NavigableMap<Long, List<FailureRecord>> ofDay =
                    failuresByMinute.subMap(day * MINUTES_PER_DAY, true, (day + 1) * MINUTES_PER_DAY, false);
            boolean allFinal = ofDay.values().stream().flatMap(List::stream)
                    .allMatch(f -> f.run() == null || f.run().dropped);
            if (!allFinal) {
                continue;
            }
            List<FailureRecord> records = new ArrayList<>();
            long previous = sealedFailures.get(day);
            if (previous != 0) {
                readSealedFailures(day, previous, records::add);
            }
            ofDay.values().forEach(records::addAll);
            out.reset();
            long dayStart = day * MINUTES_PER_DAY * Timestamps.MICROS_PER_MINUTE;
            out.unsigned(records.size());
            for (FailureRecord f : records) {
                out.unsigned(f.at() - dayStart);
                out.signed(failureTenant(f));
                out.unsigned(f.dag());
                out.string(f.taskId());
                out.string(f.error());
            }
            // stored first, then forgotten: a store that fails loses nothing
            sealedFailures.put(day, history.put(out.array(), out.size()));
            sealedFailureBytes += out.size();
            ofDay.clear();
            if (previous != 0) {
                sealedFailureBytes -= history.get(previous).limit();
                history.release(previous);
            }
        }
    }

    /** @return the bytes of the sealed days of failures (for tests) */
    long sealedFailureBytes() {
        lock.readLock().lock();
        try {
            return sealedFailureBytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Decodes a sealed day of failures: each as a record without a run, under the tenant it had when sealed. */
    private void readSealedFailures(long day, long handle, java.util.function.Consumer<FailureRecord> into) {
        Bytes.Reader in = new Bytes.Reader(history.get(handle), 0);
        long dayStart = day * MINUTES_PER_DAY * Timestamps.MICROS_PER_MINUTE;
        long count = in.unsigned();
        for (long i = 0; i < count; i++) {
            long at = dayStart + in.unsigned();
            int tenant = (int) in.signed();
            int dag = (int) in.unsigned();
            String taskId = in.string();
            String error = in.string();
            into.accept(new FailureRecord(at, null, tenant, dag, taskId, error));
        }
    }

    /**
     * Drops the detail of the oldest runs beyond the retention: a run goes only when it is not among the newest
     * {@code retainRuns} and started more than {@code retainRunsFor} before the newest event. Its contributions to
     * counters and aggregates stay; a later event of a dropped run counts under the run's tenant, without a duration,
     * and does not bring the run back. The failures recorded for it keep its tenant.
     *
     * @param now the newest event's time, or the clocks' now when that is earlier (a future-dated event moves nothing)
     */
    private void enforceRetention(long now) {
        if (newestEventAt == Long.MIN_VALUE) {
            return;
        }
        int excess = runs.size() - settings.retainRuns();
        if (excess <= 0) {
            return;
        }
        long horizon = now - settings.retainRunsFor().toNanos() / 1000;
        Iterator<Run> oldest = newestFirst.descendingIterator();
        while (excess > 0 && oldest.hasNext()) {
            Run run = oldest.next();
            if (run.indexStartedAt >= horizon) {
                break;
            }
            if (!run.inferred) {
                // first, so that a store that fails leaves the run as it was
                droppedRuns.put(RunIds.hash64(run.id), run.appliedTenant);
            }
            oldest.remove();
            run.indexed = false;
            uncountStatus(run);
            runs.remove(run.id);
            runsWithExpiries.remove(run);
            if (run.open) {
                for (SourceFeed f : feeds) {
                    f.inference().closed(dags.name(run.dagId), run);
                }
            }
            if (run.failedRunRef != null) {
                run.failedRunRef.dropped = true;
                run.failedRunRef.tenantWhenDropped = run.appliedTenant;
            }
            excess--;
        }
    }

    // =========================================================================================================
    // queries

    @Override
    public TimeWindow resolveWindow(WindowRequest request) {
        double hours = request.hours().orElse(settings.defaultWindowHours());
        long end = request.end().map(Timestamps::toMicros).orElseGet(() -> Timestamps.toMicros(clock.instant()));
        return TimeWindow.ending(end, hours);
    }

    /**
     * The keys of the (tenant, DAG) series a request covers: the tenant and DAG filters and the caller's scope. An
     * unknown tenant or DAG, or a tenant outside the scope, covers nothing.
     */
    private java.util.function.LongPredicate selection(Optional<String> tenant, Optional<String> dagName,
            TenantScope scope) {
        int tenantFilter = -2;
        if (tenant.isPresent()) {
            tenantFilter = scope.allows(tenant.get()) ? tenants.find(tenant.get()) : -1;
            if (tenantFilter == -1) {
                return key -> false;
            }
        }
        int dagFilter = dagName.isPresent() ? dags.find(dagName.get()) : -2;
        if (dagFilter == -1) {
            return key -> false;
        }
        final int tf = tenantFilter;
        return key -> (tf == -2 || tenantOfKey(key) == tf) && visible(tenantOfKey(key), scope)
                && (dagFilter == -2 || dagOfKey(key) == dagFilter);
    }

    @Override
    public TaskSummary taskSummary(TaskSummaryQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        lock.readLock().lock();
        try {
            Cell allTime = new Cell();
            Cell inWindow = new Cell();
            java.util.function.LongPredicate selected = selection(request.tenant(), request.dagName(),
                    request.scope());
            taskSeries.forEach((key, series) -> {
                if (selected.test(key)) {
                    series.allTime().mergeInto(allTime);
                    series.sumIn(window, inWindow);
                }
            });
            return new TaskSummary(window.start(), window.end(), allTime.toStats(), inWindow.toStats());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bucket lengths a series picks from, in minutes. */
    private static final int[] BUCKET_MINUTES = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080};

    /** The bucket length that gives about 60 buckets over a window. */
    static int bucketMinutesFor(long windowMinutes) {
        for (int m : BUCKET_MINUTES) {
            if (windowMinutes <= 60L * m) {
                return m;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, (windowMinutes + 59) / 60);
    }

    @Override
    public TaskSeries taskSeries(TaskSeriesQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        int size = request.bucketMinutes().orElse(bucketMinutesFor(window.minutes()));
        long count = (window.minutes() + size - 1) / size;
        if (count > TaskSeriesQuery.MAX_BUCKETS) {
            throw new IllegalArgumentException("bucketMinutes " + size + " makes " + count + " buckets over a "
                    + window.minutes() + "-minute window; at most " + TaskSeriesQuery.MAX_BUCKETS + " are allowed");
        }
        lock.readLock().lock();
        try {
            java.util.function.LongPredicate selected = selection(request.tenant(), request.dagName(),
                    request.scope());
            List<TaskBucket> buckets = new ArrayList<>((int) count);
            for (long start = window.startMinute(); start < window.endMinute(); start += size) {
                TimeWindow bucket = new TimeWindow(start, Math.min(start + size, window.endMinute()));
                Cell cell = new Cell();
                long[] runsStarted = {0};
                taskSeries.forEach((key, series) -> {
                    if (selected.test(key)) {
                        series.sumIn(bucket, cell);
                    }
                });
                runStarts.forEach((key, series) -> {
                    if (selected.test(key)) {
                        series.sumIn(bucket, runsStarted);
                    }
                });
                buckets.add(new TaskBucket(bucket.start(), bucket.end(), cell.toStats(), runsStarted[0]));
            }
            return new TaskSeries(window.start(), window.end(), size, buckets);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<FailureGroup> failures(FailureQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        lock.readLock().lock();
        try {
            java.util.function.LongPredicate selected = selection(request.tenant(), request.dagName(),
                    request.scope());
            Map<String, FailureAccumulator> groups = new HashMap<>();
            java.util.function.Consumer<FailureRecord> group = f -> {
                int tenant = failureTenant(f);
                if (selected.test(seriesKey(tenant, f.dag()))) {
                    boolean kept = f.run() != null && !f.run().dropped;
                    groups.computeIfAbsent(ErrorSignature.of(f.error()), k -> new FailureAccumulator())
                            .add(f.at(), f.error(), dags.name(f.dag()),
                                    tenant == NO_TENANT ? null : tenants.name(tenant),
                                    kept ? f.run().id : null, f.taskId());
                }
            };
            // sealed days first: a minute's sealed failures came before its live ones (the order breaks ties)
            long startMinute = window.startMinute();
            long endMinute = window.endMinute();
            sealedFailures.forEach((day, handle) -> {
                if ((day + 1) * MINUTES_PER_DAY > startMinute && day * MINUTES_PER_DAY < endMinute) {
                    readSealedFailures(day, handle, f -> {
                        long minute = Timestamps.minuteOf(f.at());
                        if (minute >= startMinute && minute < endMinute) {
                            group.accept(f);
                        }
                    });
                }
            });
            for (List<FailureRecord> minute : failuresByMinute.subMap(startMinute, endMinute).values()) {
                minute.forEach(group);
            }
            for (Run run : runsWithExpiries) {
                int tenant = tenants.find(run.tenant());
                if (!selected.test(seriesKey(tenant, run.dagId))) {
                    continue;
                }
                for (io.dagscope.core.model.TaskRun task : run.view(dags.name(run.dagId)).tasks()) {
                    if (task.checkpoint() && task.status() == RunStatus.FAILED && task.endedAt().isPresent()
                            && window.contains(Timestamps.toMicros(task.endedAt().get()))) {
                        String error = task.error().orElse(null);
                        groups.computeIfAbsent(ErrorSignature.of(error), k -> new FailureAccumulator())
                                .add(Timestamps.toMicros(task.endedAt().get()), error, dags.name(run.dagId),
                                        run.tenant(), run.id, task.taskId());
                    }
                }
            }
            List<Map.Entry<String, FailureAccumulator>> sorted = new ArrayList<>(groups.entrySet());
            sorted.sort((a, b) -> a.getValue().count != b.getValue().count
                    ? Long.compare(b.getValue().count, a.getValue().count)
                    : Long.compare(b.getValue().last, a.getValue().last));
            List<FailureGroup> out = new ArrayList<>();
            for (Map.Entry<String, FailureAccumulator> e : sorted.subList(0, Math.min(request.first(),
                    sorted.size()))) {
                out.add(e.getValue().toGroup(e.getKey()));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private int failureTenant(FailureRecord f) {
        Run.FailedRunRef ref = f.run();
        if (ref == null) {
            return f.tenantIfNoRun();
        }
        if (ref.dropped) {
            return ref.tenantWhenDropped;
        }
        Run run = runs.get(ref.id);
        return run == null ? NO_TENANT : tenants.find(run.tenant());
    }

    /** Gathers one failure group. */
    private static final class FailureAccumulator {
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String lastError;
        String lastRun;
        String lastTask;
        final TreeSet<String> dagNames = new TreeSet<>();
        final TreeSet<String> tenantNames = new TreeSet<>();

        void add(long at, String error, String dag, String tenant, String runId, String taskId) {
            count++;
            first = Math.min(first, at);
            if (at >= last) {
                last = at;
                lastError = error;
                lastRun = runId;
                lastTask = taskId;
            }
            dagNames.add(dag);
            if (tenant != null) {
                tenantNames.add(tenant);
            }
        }

        FailureGroup toGroup(String signature) {
            return new FailureGroup(signature, lastError == null ? "" : lastError, count,
                    Timestamps.toInstant(first), Timestamps.toInstant(last), new ArrayList<>(dagNames),
                    new ArrayList<>(tenantNames), Optional.ofNullable(lastRun), lastTask);
        }
    }

    @Override
    public List<String> tenants(TenantScope scope) {
        lock.readLock().lock();
        try {
            TreeSet<String> out = new TreeSet<>();
            taskSeries.forEach((key, series) -> addTenant(out, tenantOfKey(key), scope));
            runStarts.forEach((key, series) -> addTenant(out, tenantOfKey(key), scope));
            return new ArrayList<>(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void addTenant(TreeSet<String> out, int tenant, TenantScope scope) {
        if (tenant != NO_TENANT && visible(tenant, scope)) {
            out.add(tenants.name(tenant));
        }
    }

    @Override
    public List<String> dagNames(TenantScope scope) {
        lock.readLock().lock();
        try {
            TreeSet<String> out = new TreeSet<>();
            java.util.function.BiConsumer<Long, Object> add = (key, series) -> {
                if (visible(tenantOfKey(key), scope)) {
                    out.add(dags.name(dagOfKey(key)));
                }
            };
            taskSeries.forEach(add::accept);
            runStarts.forEach(add::accept);
            return new ArrayList<>(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RunCounts runCounts(java.time.Duration staleAfter, Optional<String> tenant, Optional<String> dagName,
            TenantScope scope) {
        long now = Timestamps.toMicros(clock.instant());
        long staleBefore = now - staleAfter.toNanos() / 1000;
        lock.readLock().lock();
        try {
            long running = 0;
            long paused = 0;
            long stale = 0;
            long[] ended = {0, 0};
            java.util.function.LongPredicate selected = selection(tenant, dagName, scope);
            endedRuns.forEach((key, counts) -> {
                if (selected.test(key)) {
                    ended[0] += counts[0];
                    ended[1] += counts[1];
                }
            });
            // only the open runs are looked at: a count costs the same whatever the history
            for (Run run : openRuns) {
                if (!selected.test(run.countedKey)) {
                    continue;
                }
                if (run.maxTs < staleBefore) {
                    stale++;
                } else if (run.countedStatus == RunStatus.PAUSED) {
                    paused++;
                } else {
                    running++;
                }
            }
            long succeeded = ended[0];
            long failed = ended[1];
            return new RunCounts(Timestamps.toInstant(now), running, paused, stale, succeeded, failed);
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean visible(int tenant, TenantScope scope) {
        if (scope.isAll()) {
            return true;
        }
        return tenant != NO_TENANT && scope.allows(tenants.name(tenant));
    }

    @Override
    public List<TenantLoad> tenantLoad(WindowRequest windowRequest, TenantScope scope) {
        TimeWindow window = resolveWindow(windowRequest);
        lock.readLock().lock();
        try {
            Map<Integer, Cell> cells = new HashMap<>();
            taskSeries.forEach((key, series) -> {
                int tenant = tenantOfKey(key);
                if (tenant == NO_TENANT || !visible(tenant, scope)) {
                    return;
                }
                Cell c = cells.computeIfAbsent(tenant, t -> new Cell());
                series.sumIn(window, c);
            });
            List<TenantLoad> rows = new ArrayList<>();
            for (int tenant = 0; tenant < tenants.size(); tenant++) {
                if (!visible(tenant, scope)) {
                    continue;
                }
                long[] started = {0};
                final int t = tenant;
                runStarts.forEach((key, starts) -> {
                    if (tenantOfKey(key) == t) {
                        starts.sumIn(window, started);
                    }
                });
                Cell c = cells.getOrDefault(tenant, new Cell());
                if (started[0] == 0 && c.finished() == 0) {
                    continue;
                }
                rows.add(new TenantLoad(tenants.name(tenant), started[0], c.finished(),
                        io.dagscope.core.model.TaskStats.errorRate(c.succeeded, c.failed), c.avgSeconds(),
                        c.quantileSeconds(0.95)));
            }
            rows.sort(Comparator.comparingLong(TenantLoad::runs).reversed().thenComparing(TenantLoad::tenant));
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<ScheduleSummary> schedules(WindowRequest windowRequest, TenantScope scope) {
        TimeWindow window = resolveWindow(windowRequest);
        lock.readLock().lock();
        try {
            return schedules.summaries(window, scope);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RunPage dagRuns(DagRunQuery.Request request) {
        Filter filter = request.filter();
        long after = filter.startedAfter().map(Timestamps::toMicros).orElse(Long.MIN_VALUE);
        long before = filter.startedBefore().map(Timestamps::toMicros).orElse(Long.MAX_VALUE);
        Run from = request.after().map(RunIds::decodeCursor).orElse(null);
        boolean unfiltered = filter.equals(Filter.ALL) && request.scope().isAll();
        lock.readLock().lock();
        try {
            int tenantFilter = filter.tenant().map(tenants::find).orElse(-2);
            List<RunPage.Entry> entries = new ArrayList<>(Math.min(request.first(), 64));
            boolean hasNext = false;
            // from the cursor on, newest first: a page costs what it shows, whatever the history
            java.util.NavigableSet<Run> rest = from == null ? newestFirst : newestFirst.tailSet(from, false);
            for (Run run : rest) {
                if (!matches(run, filter, tenantFilter, after, before, request.scope())) {
                    continue;
                }
                if (entries.size() < request.first()) {
                    entries.add(new RunPage.Entry(RunIds.cursor(run), run.view(dags.name(run.dagId))));
                } else {
                    hasNext = true;
                    break;
                }
            }
            long total = -1;
            if (request.countTotal()) {
                if (unfiltered) {
                    total = newestFirst.size();
                } else {
                    total = 0;
                    for (Run run : newestFirst) {
                        if (matches(run, filter, tenantFilter, after, before, request.scope())) {
                            total++;
                        }
                    }
                }
            }
            Optional<String> endCursor = entries.isEmpty() ? Optional.empty()
                    : Optional.of(entries.get(entries.size() - 1).cursor());
            return new RunPage(entries, hasNext, endCursor, total);
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean matches(Run run, Filter filter, int tenantFilter, long after, long before, TenantScope scope) {
        if (run.indexStartedAt < after || run.indexStartedAt >= before) {
            return false;
        }
        if (tenantFilter != -2 && tenants.find(run.tenant()) != tenantFilter) {
            return false;
        }
        if (!scope.allows(run.tenant())) {
            return false;
        }
        if (filter.dagName().isPresent() && !filter.dagName().get().equals(dags.name(run.dagId))) {
            return false;
        }
        return filter.statuses().isEmpty() || filter.statuses().contains(run.status());
    }

    @Override
    public Optional<DagRun> dagRun(String id, TenantScope scope) {
        lock.readLock().lock();
        try {
            Run run = runs.get(id);
            if (run == null || !run.hasEvents() || !scope.allows(run.tenant())) {
                return Optional.empty();
            }
            return Optional.of(run.view(dags.name(run.dagId)));
        } finally {
            lock.readLock().unlock();
        }
    }
}
