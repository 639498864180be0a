package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The runs kept in detail: by id, newest first (the order of run pages), and counted by status per (tenant, DAG);
 * the expiries of runs not seen yet; and retention, which drops the detail of the oldest runs and remembers them in
 * {@link DroppedRuns}, so that their late events keep their tenant and never bring them back.
 */
final class RunIndex {

    private static final Comparator<Run> NEWEST_FIRST = (a, b) -> {
        int c = Long.compare(b.indexStartedAt, a.indexStartedAt);
        return c != 0 ? c : a.id.compareTo(b.id);
    };

    private final Dictionaries names;
    private final Map<String, Run> runs = new HashMap<>(1 << 16);
    private final TreeSet<Run> newestFirst = new TreeSet<>(NEWEST_FIRST);
    /** Per (tenant, DAG) series key: runs succeeded and failed, kept as runs change. */
    private final LongMap<long[]> endedRuns = new LongMap<>();
    /**
     * Per (tenant, DAG) series key: how many times a run reached SUCCEEDED and FAILED. Unlike {@link #endedRuns} it
     * never counts a run down (retention, a run resumed after its {@code dag_done}), so that monitoring can export it
     * as a counter; a run whose tenant changes after it ended moves with it. Merged by adding, and written in
     * snapshots, since the runs held cannot give it again.
     */
    private LongMap<long[]> runEndings = new LongMap<>();
    /** Runs running or paused, as last counted. */
    private final Set<Run> openRuns = new HashSet<>();
    private final Set<Run> runsWithExpiries = new HashSet<>();
    private final Map<String, List<Run.Expiry>> pendingExpiries = new HashMap<>();
    private final DroppedRuns droppedRuns;

    RunIndex(Dictionaries names, HistoryStore history) {
        this.names = names;
        this.droppedRuns = new DroppedRuns(history);
    }

    // =========================================================================================================
    // the fold's side

    Run get(String id) {
        return runs.get(id);
    }

    boolean containsId(String id) {
        return runs.containsKey(id);
    }

    /** @return the tenant id a dropped run was dropped under, or null when no run of that id was dropped */
    Integer droppedTenant(String runId) {
        return droppedRuns.get(RunIds.hash64(runId));
    }

    /** A new run with a run id, with the expiries that named it before it was seen. */
    Run open(String runId, int dag, String dagName) {
        Run run = new Run(runId, false, dag);
        run.dagName = dagName;
        runs.put(runId, run);
        List<Run.Expiry> expiries = pendingExpiries.remove(runId);
        if (expiries != null) {
            expiries.forEach(run::addExpiry);
            runsWithExpiries.add(run);
        }
        return run;
    }

    /** A new run inferred from a log without run ids. */
    Run openInferred(String id, int dag) {
        Run run = new Run(id, true, dag);
        runs.put(run.id, run);
        return run;
    }

    void applyExpiry(CheckpointExpired x) {
        if (x.dagRunId() == null) {
            return;
        }
        Run.Expiry expiry = new Run.Expiry(x.timestampMicros(), x.checkpointId(), x.taskId());
        Run run = runs.get(x.dagRunId());
        if (run != null) {
            run.addExpiry(expiry);
            runsWithExpiries.add(run);
            countStatus(run);
        } else if (droppedTenant(x.dagRunId()) == null) {
            pendingExpiries.computeIfAbsent(x.dagRunId(), k -> new ArrayList<>(1)).add(expiry);
        }
    }

    /** Keeps the run's place in the newest-first order in step with its start. */
    void reindex(Run run) {
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

    /** Keeps the run counters in step with a run's status and key, after anything that may have changed them. */
    void countStatus(Run run) {
        RunStatus status = run.status();
        long key = Dictionaries.seriesKey(names.tenantId(run), run.dagId);
        if (status == run.countedStatus && key == run.countedKey) {
            return;
        }
        countEnding(run, status, key);
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

    /** Counts a run's arrival at an end, or moves its last ending when only its key changed. */
    private void countEnding(Run run, RunStatus status, long key) {
        boolean ended = status == RunStatus.SUCCEEDED || status == RunStatus.FAILED;
        if (!ended) {
            return;
        }
        int slot = status == RunStatus.SUCCEEDED ? 0 : 1;
        if (status == run.countedStatus) {
            runEndings.get(run.countedKey)[slot]--;
        }
        long[] endings = runEndings.get(key);
        if (endings == null) {
            endings = new long[2];
            runEndings.put(key, endings);
        }
        endings[slot]++;
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

    /**
     * Drops the detail of the oldest runs beyond the retention: a run goes only when it is not among the newest
     * {@code retainRuns} and started more than {@code retainRunsFor} before now. Its contributions to counters and
     * aggregates stay; a later event of a dropped run counts under the run's tenant, without a duration, and does not
     * bring the run back. The failures recorded for it keep its tenant.
     *
     * @param now the newest event's time, or the clocks' now when that is earlier (a future-dated event moves nothing)
     * @param retainRunsFor run detail younger than this is kept
     * @param retainRuns this many newest runs are kept
     * @param closeOpen told of each dropped run that a run inference still holds open
     */
    void enforceRetention(long now, Duration retainRunsFor, int retainRuns, Consumer<Run> closeOpen) {
        int excess = runs.size() - retainRuns;
        if (excess <= 0) {
            return;
        }
        long horizon = now - retainRunsFor.toNanos() / 1000;
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
            retire(run, closeOpen);
            excess--;
        }
    }

    /** Forgets a run's detail once it is out of the newest-first order: its contributions stay where they are. */
    private void retire(Run run, Consumer<Run> closeOpen) {
        run.indexed = false;
        uncountStatus(run);
        runs.remove(run.id);
        runsWithExpiries.remove(run);
        if (run.open) {
            closeOpen.accept(run);
        }
        if (run.failedRunRef != null) {
            run.failedRunRef.dropped = true;
            run.failedRunRef.tenantWhenDropped = run.appliedTenant;
        }
    }

    /**
     * Adds another engine's runs (a partial being merged in), once the feeds, dictionaries and aggregates are merged:
     * its dropped runs first, then each of its runs kept in detail, copied here; a run that both engines hold (its
     * events came from sources folded apart) becomes one run of both logs in the merged order, its contributions
     * taken out as each engine applied them and put back as the one run gives them. A run either engine dropped stays
     * dropped. Then its expiries of runs not seen yet.
     *
     * @param other the other engine's runs
     * @param remap its ids to this engine's; the runs it maps are added to it
     * @param aggregates this engine's aggregates, already holding the other's
     * @param ranks how this engine ranks its feeds, for the merged order of a run of both
     * @param closeOpen told of each run the merge drops that a run inference holds open
     */
    void mergeFrom(RunIndex other, Remap remap, TaskAggregates aggregates, RunLog.SourceRank ranks,
            Consumer<Run> closeOpen) {
        LongMap<long[]> endings = copyOf(runEndings);
        other.runEndings.forEach((key, e) -> add(endings, remap.seriesKey(key), e));
        droppedRuns.mergeFrom(other.droppedRuns, remap::tenant);
        for (Run o : other.newestFirst) {
            Run mine = runs.get(o.id);
            if (mine == null && !o.inferred && droppedTenant(o.id) != null) {
                remap.runs.put(o, null); // dropped here: its contributions are in the aggregates already
                continue;
            }
            Run copy = o.copy(remap.feeds, remap.dags);
            copy.appliedTenant = remap.tenant(o.appliedTenant);
            copy.appliedStartMinute = o.appliedStartMinute;
            copy.appliedStartTenant = remap.tenant(o.appliedStartTenant);
            remap.runs.put(o, mine == null ? adopt(copy, aggregates) : combine(mine, copy, aggregates, ranks));
        }
        other.pendingExpiries.forEach((id, expiries) -> {
            Run run = runs.get(id);
            if (run != null) {
                expiries.forEach(run::addExpiry);
                runsWithExpiries.add(run);
                countStatus(run);
            } else if (droppedTenant(id) == null) {
                pendingExpiries.computeIfAbsent(id, k -> new ArrayList<>(1)).addAll(expiries);
            }
        });
        // runs kept here that the other engine dropped
        List<Run> dropped = new ArrayList<>();
        for (Run run : newestFirst) {
            if (!run.inferred && other.droppedTenant(run.id) != null) {
                dropped.add(run);
            }
        }
        for (Run run : dropped) {
            newestFirst.remove(run);
            retire(run, closeOpen);
        }
        // the endings each engine counted, not those the runs taken in counted again here
        runEndings = endings;
    }

    private static LongMap<long[]> copyOf(LongMap<long[]> endings) {
        LongMap<long[]> copy = new LongMap<>();
        endings.forEach((key, e) -> copy.put(key, e.clone()));
        return copy;
    }

    private static void add(LongMap<long[]> endings, long key, long[] e) {
        long[] mine = endings.get(key);
        if (mine == null) {
            endings.put(key, e.clone());
        } else {
            mine[0] += e[0];
            mine[1] += e[1];
        }
    }

    /**
     * Writes the runs kept in detail (newest first), the expiries of runs not seen yet and the dropped runs, for a
     * snapshot. A run's state is not written: it is the fold of its log, folded again when read.
     */
    void write(StateOutput out) throws IOException {
        if (newestFirst.size() != runs.size()) {
            throw new IllegalStateException("a run is not indexed: the engine is between two events");
        }
        out.unsigned(newestFirst.size());
        for (Run run : newestFirst) {
            out.text(run.id);
            out.bool(run.inferred);
            out.unsigned(run.dagId);
            out.string(run.dagName);
            out.signed(run.appliedTenant);
            out.signed(run.appliedStartMinute);
            out.signed(run.appliedStartTenant);
            out.bool(run.failedRunRef != null);
            writeExpiries(out, run.expiries == null ? List.of() : run.expiries);
            run.log.write(out);
        }
        out.unsigned(pendingExpiries.size());
        for (Map.Entry<String, List<Run.Expiry>> e : pendingExpiries.entrySet()) {
            out.text(e.getKey());
            writeExpiries(out, e.getValue());
        }
        droppedRuns.write(out);
        java.util.TreeMap<Long, long[]> endings = new java.util.TreeMap<>();
        runEndings.forEach(endings::put);
        out.unsigned(endings.size());
        for (Map.Entry<Long, long[]> e : endings.entrySet()) {
            out.signed(e.getKey());
            out.signed(e.getValue()[0]);
            out.signed(e.getValue()[1]);
        }
    }

    private static void writeExpiries(StateOutput out, List<Run.Expiry> expiries) throws IOException {
        out.unsigned(expiries.size());
        for (Run.Expiry x : expiries) {
            out.signed(x.at());
            out.string(x.checkpointId());
            out.string(x.taskId());
        }
    }

    /**
     * Reads into this empty index what {@link #write} wrote: each run's state folded again from its log, indexed and
     * counted.
     *
     * @param feeds how many feeds the engine has
     */
    void read(StateInput in, int feeds) throws IOException {
        int tenants = names.tenants.size();
        int dags = names.dags.size();
        int n = in.count(Integer.MAX_VALUE, "runs");
        for (int i = 0; i < n; i++) {
            String id = in.text();
            boolean inferred = in.bool();
            int dag = in.count(dags - 1L, "a run's DAG");
            String dagName = in.string();
            int appliedTenant = in.intIn(-1, tenants - 1L, "a run's tenant");
            long appliedStartMinute = in.signed();
            int appliedStartTenant = in.intIn(-1, tenants - 1L, "a run's tenant");
            boolean failedBefore = in.bool();
            List<Run.Expiry> expiries = readExpiries(in);
            Run run = new Run(id, inferred, dag, RunLog.read(in, feeds, dags));
            if (id == null || runs.putIfAbsent(id, run) != null) {
                throw StateInput.corrupt("run '" + id + "' twice, or without an id");
            }
            run.dagName = dagName;
            run.appliedTenant = appliedTenant;
            run.appliedStartMinute = appliedStartMinute;
            run.appliedStartTenant = appliedStartTenant;
            if (failedBefore) {
                run.failedRunRef = new Run.FailedRunRef(id);
            }
            if (!expiries.isEmpty()) {
                run.expiries = new ArrayList<>(expiries);
                runsWithExpiries.add(run);
            }
            run.refold();
            reindex(run);
            countStatus(run);
        }
        int pending = in.count(Integer.MAX_VALUE, "runs expired before they were seen");
        for (int i = 0; i < pending; i++) {
            String id = in.text();
            pendingExpiries.put(id, new ArrayList<>(readExpiries(in)));
        }
        droppedRuns.read(in, tenants);
        // the endings as counted before the snapshot, not as the runs read back counted them again
        LongMap<long[]> endings = new LongMap<>();
        int series = in.count(Integer.MAX_VALUE, "series with run endings");
        for (int i = 0; i < series; i++) {
            long key = in.signed();
            int tenant = Dictionaries.tenantOfKey(key);
            int dag = Dictionaries.dagOfKey(key);
            if (tenant < -1 || tenant >= tenants || dag < 0 || dag >= dags || endings.get(key) != null) {
                throw StateInput.corrupt("run endings of series " + key);
            }
            endings.put(key, new long[] {in.signed(), in.signed()});
        }
        runEndings = endings;
    }

    private static List<Run.Expiry> readExpiries(StateInput in) throws IOException {
        int n = in.count(Integer.MAX_VALUE, "expiries");
        List<Run.Expiry> out = new ArrayList<>(Math.min(n, 16));
        for (int i = 0; i < n; i++) {
            out.add(new Run.Expiry(in.signed(), in.string(), in.string()));
        }
        return out;
    }

    /** Takes in a copy of another engine's run, with the expiries that named it here before. */
    private Run adopt(Run copy, TaskAggregates aggregates) {
        runs.put(copy.id, copy);
        List<Run.Expiry> expiries = pendingExpiries.remove(copy.id);
        if (expiries != null) {
            expiries.forEach(copy::addExpiry);
        }
        if (copy.expiries != null) {
            runsWithExpiries.add(copy);
        }
        int tenant = names.tenantId(copy);
        if (tenant != copy.appliedTenant) {
            aggregates.emitRun(copy, copy.log.size(), copy.appliedTenant, -1);
            aggregates.emitRun(copy, copy.log.size(), tenant, 1);
            copy.appliedTenant = tenant;
        }
        aggregates.countRunStart(copy);
        reindex(copy);
        countStatus(copy);
        return copy;
    }

    /** Makes one run of a run kept here and another engine's copy of the same run (events of other sources). */
    private Run combine(Run mine, Run copy, TaskAggregates aggregates, RunLog.SourceRank ranks) {
        aggregates.emitRun(mine, mine.log.size(), mine.appliedTenant, -1);
        aggregates.emitRun(copy, copy.log.size(), copy.appliedTenant, -1);
        aggregates.uncountRunStart(copy.appliedStartMinute, copy.appliedStartTenant, copy.dagId);
        RunLog log = copy.log;
        for (int i = 0; i < log.size(); i++) {
            mine.log.append(log.kind(i), log.ts(i), log.source(i), log.sequence(i), log.dag(i), log.task(i),
                    log.num(i), log.ref(i));
        }
        mine.log.reorder(ranks);
        mine.refold();
        if (copy.expiries != null) {
            copy.expiries.forEach(mine::addExpiry);
            runsWithExpiries.add(mine);
        }
        int tenant = names.tenantId(mine);
        aggregates.emitRun(mine, mine.log.size(), tenant, 1);
        mine.appliedTenant = tenant;
        aggregates.countRunStart(mine);
        reindex(mine);
        countStatus(mine);
        return mine;
    }

    // =========================================================================================================
    // queries

    /** @return the runs with a {@code checkpoint_expired}, for the failures their expiries make */
    Set<Run> runsWithExpiries() {
        return runsWithExpiries;
    }

    /** @return the tenant id of a run kept in detail, or {@link Dictionaries#NO_TENANT} if it is not kept */
    int tenantOf(String runId) {
        Run run = runs.get(runId);
        return run == null ? Dictionaries.NO_TENANT : names.tenants.find(run.tenant());
    }

    RunPage dagRuns(DagRunQuery.Request request) {
        DagRunQuery.Filter filter = request.filter();
        long after = filter.startedAfter().map(Timestamps::toMicros).orElse(Long.MIN_VALUE);
        long before = filter.startedBefore().map(Timestamps::toMicros).orElse(Long.MAX_VALUE);
        Run from = request.after().map(RunIds::decodeCursor).orElse(null);
        boolean unfiltered = filter.equals(DagRunQuery.Filter.ALL) && request.scope().isAll();
        int tenantFilter = filter.tenant().map(names.tenants::find).orElse(-2);
        List<RunPage.Entry> entries = new ArrayList<>(Math.min(request.first(), 64));
        boolean hasNext = false;
        // from the cursor on, newest first: a page costs what it shows, whatever the history
        NavigableSet<Run> rest = from == null ? newestFirst : newestFirst.tailSet(from, false);
        for (Run run : rest) {
            if (!matches(run, filter, tenantFilter, after, before, request.scope())) {
                continue;
            }
            if (entries.size() < request.first()) {
                entries.add(new RunPage.Entry(RunIds.cursor(run), run.view(names.dags.name(run.dagId))));
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
    }

    private boolean matches(Run run, DagRunQuery.Filter filter, int tenantFilter, long after, long before,
            TenantScope scope) {
        if (run.indexStartedAt < after || run.indexStartedAt >= before) {
            return false;
        }
        if (tenantFilter != -2 && names.tenants.find(run.tenant()) != tenantFilter) {
            return false;
        }
        if (!scope.allows(run.tenant())) {
            return false;
        }
        if (filter.dagName().isPresent() && !filter.dagName().get().equals(names.dags.name(run.dagId))) {
            return false;
        }
        return filter.statuses().isEmpty() || filter.statuses().contains(run.status());
    }

    Optional<DagRun> dagRun(String id, TenantScope scope) {
        Run run = runs.get(id);
        if (run == null || !run.hasEvents() || !scope.allows(run.tenant())) {
            return Optional.empty();
        }
        return Optional.of(run.view(names.dags.name(run.dagId)));
    }

    RunCounts runCounts(long now, long staleBefore, LongPredicate selected) {
        long running = 0;
        long paused = 0;
        long stale = 0;
        long[] ended = {0, 0};
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
        return new RunCounts(Timestamps.toInstant(now), running, paused, stale, ended[0], ended[1]);
    }

    /**
     * The run figures monitoring exports, by (tenant, DAG) series key: {@code [succeeded endings, failed endings,
     * running, paused, stale, last event of the longest-paused run or Long.MAX_VALUE]}.
     *
     * @param staleBefore an open run whose last event is older than this is stale
     * @return the figures of every series with an ending or an open run
     */
    Map<Long, long[]> monitoringFigures(long staleBefore) {
        Map<Long, long[]> out = new HashMap<>();
        runEndings.forEach((key, endings) -> {
            long[] f = out.computeIfAbsent(key, k -> newFigures());
            f[0] = endings[0];
            f[1] = endings[1];
        });
        for (Run run : openRuns) {
            long[] f = out.computeIfAbsent(run.countedKey, k -> newFigures());
            if (run.maxTs < staleBefore) {
                f[4]++;
            } else if (run.countedStatus == RunStatus.PAUSED) {
                f[3]++;
                f[5] = Math.min(f[5], run.maxTs);
            } else {
                f[2]++;
            }
        }
        return out;
    }

    private static long[] newFigures() {
        long[] f = new long[6];
        f[5] = Long.MAX_VALUE;
        return f;
    }

    /** @return runs kept in detail */
    int size() {
        return runs.size();
    }

    /** @return runs dropped by retention so far */
    long dropped() {
        return droppedRuns.dropped();
    }
}
