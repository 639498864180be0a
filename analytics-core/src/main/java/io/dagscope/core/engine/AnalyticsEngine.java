package io.dagscope.core.engine;

import io.dagscope.core.event.Event;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.CatalogQuery;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>The engine is a facade over parts that each do one job ({@code docs/architecture.md}): the {@link Fold} routes
 * events, the {@link TaskAggregates} keep the task figures by series, the {@link RunIndex} keeps runs in detail and
 * applies retention, the {@link FailureLog} keeps failures, the {@link ScheduleBook} the scheduler's side, the
 * {@link Dictionaries} number tenants and DAGs, and {@link Upkeep} seals what no longer changes; the {@link FleetReader}
 * reads the figures monitoring exports out of them. The facade only locks and delegates.
 *
 * <p>Thread-safe: one writer at a time (through {@link SourceFeed}s), any number of concurrent readers.
 */
public final class AnalyticsEngine implements AutoCloseable, TaskSummaryQuery, DagRunQuery, TenantLoadQuery,
        ScheduleQuery, ResolveWindowUseCase, TaskSeriesQuery, FailureQuery, RunCountsQuery, CatalogQuery,
        FleetFiguresQuery {

    private final EngineSettings settings;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Where history the engine no longer changes goes: sealed days, dropped runs, final failures. */
    private final HistoryStore history;

    private final Dictionaries names = new Dictionaries();
    private final TaskAggregates aggregates;
    private final RunIndex runs;
    private final FailureLog failures;
    private final ScheduleBook schedules;
    private final Fold fold;
    private final Upkeep upkeep;
    private final FleetReader fleet;
    private volatile long version;

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
        this.history = Objects.requireNonNull(history, "history");
        TimeSeries.Sealing sealing = new TimeSeries.Sealing(history);
        this.aggregates = new TaskAggregates(names, sealing);
        this.runs = new RunIndex(names, history);
        this.failures = new FailureLog(names, history, sealing.writer);
        this.schedules = new ScheduleBook(history);
        this.fold = new Fold(names, runs, aggregates, failures, schedules);
        this.upkeep = new Upkeep(settings, clock, Objects.requireNonNull(wallClock, "wallClock"), fold, runs,
                aggregates, failures, schedules, sealing);
        this.fleet = new FleetReader(names, aggregates, runs, schedules);
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
            return fold.addFeed(this, sourceName);
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
            long[] cells = aggregates.cellCounts();
            return new EngineStats(upkeep.eventsApplied(), runs.size(), runs.dropped(), cells[0], cells[1], cells[2],
                    names.tenants.size(), names.dags.size(), schedules.size(), history.usage(),
                    upkeep.historyFailures(), upkeep.lastHistoryFailure());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Folds a feed's batch in, then lets retention and sealing pass; readers see whole batches. */
    void apply(SourceFeed feed, List<Event> batch, long firstSeq) {
        lock.writeLock().lock();
        try {
            fold.apply(feed, batch, firstSeq);
            upkeep.afterBatch(batch.size());
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Merges another engine's state into this one: afterwards this engine answers every query as one engine that had
     * folded both engines' events would, provided each source's events of one DAG went to one of them, in the
     * source's order (the state log's events split by schedule; {@code docs/snapshots.md} states the rule and its
     * one exception, retention reaching runs that later events still name). Partials merge in any order and tree.
     *
     * <p>Feeds are matched by source name; a feed this engine lacks is added, for a source to claim with
     * {@link #feed(String)}. The other engine is only read: close it afterwards. Call this while nothing feeds either
     * engine, with every feed flushed. Schedule definitions and settings stay this engine's. If the history store
     * fails part-way (a full disk), this engine is left part-merged: discard it.
     *
     * @param other a partial of the same kind: an engine of this version, folded from other events
     * @throws IllegalArgumentException if {@code other} is this engine
     * @throws IllegalStateException if a feed of either engine holds events not folded in yet
     */
    public void merge(AnalyticsEngine other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("an engine cannot be merged into itself");
        }
        lock.writeLock().lock();
        other.lock.readLock().lock();
        try {
            int[] feedIds = fold.mergeFeeds(other.fold, this);
            upkeep.mergeHorizon(other.upkeep);
            Remap remap = new Remap(Dictionaries.absorb(names.tenants, other.names.tenants),
                    Dictionaries.absorb(names.dags, other.names.dags), feedIds);
            aggregates.mergeFrom(other.aggregates, remap);
            runs.mergeFrom(other.runs, remap, aggregates, fold.ranks(), fold::closeEverywhere);
            failures.mergeFrom(other.failures, remap, other.runs, runs);
            schedules.mergeFrom(other.schedules);
            fold.mergeInference(other.fold, remap);
            upkeep.afterMerge(other.upkeep);
            version++;
        } finally {
            other.lock.readLock().unlock();
            lock.writeLock().unlock();
        }
    }

    /** The version of the state {@link #writeState} writes; {@link #readState} reads this one only. */
    public static final int STATE_VERSION = 1;

    /** Ends the state, so that a reader that got out of step notices. */
    private static final long STATE_END = 0x5EA1EDL;

    /**
     * Writes this engine's whole state to a stream ({@code docs/snapshots.md}, "The engine's state"): its tenants and
     * DAGs, feeds, task aggregates (live and sealed days), runs kept in detail, dropped runs, failures, schedules and
     * counts. Queries go on meanwhile (this takes the read lock); call it while nothing feeds the engine, with every
     * feed flushed, as {@link #merge} asks. The stream is left open.
     *
     * @param out where to write; buffer it
     * @throws IOException if writing fails
     * @throws IllegalStateException if a feed holds events not folded in yet
     */
    public void writeState(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        lock.readLock().lock();
        try {
            StateOutput state = new StateOutput(out);
            state.unsigned(STATE_VERSION);
            state.signed(settings.retainRunsFor().getSeconds());
            state.unsigned(settings.retainRunsFor().getNano());
            state.unsigned(settings.retainRuns());
            names.write(state);
            fold.writeFeeds(state);
            upkeep.write(state);
            aggregates.write(state);
            runs.write(state);
            fold.writeInference(state);
            failures.write(state);
            schedules.write(state);
            state.unsigned(STATE_END);
            state.drain();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Reads into this engine, which must be new (no feed, nothing folded), a state that {@link #writeState} wrote:
     * afterwards it answers every query as the engine that wrote it did, and folds on exactly as that engine would
     * have. Its feeds come back by name and wait for their sources ({@link #feed(String)}). Its schedule definitions
     * are its own (configuration, not state). If this throws, the engine is left part-read: close it.
     *
     * @param in the state; read up to its end, perhaps beyond (buffered)
     * @throws IOException if the state is damaged or ends early, with what is wrong
     * @throws IllegalArgumentException if the state is of another version, or was made with another retention
     * @throws IllegalStateException if this engine is not new
     */
    public void readState(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        lock.writeLock().lock();
        try {
            if (fold.feedCount() > 0 || upkeep.eventsApplied() > 0 || runs.size() > 0 || names.dags.size() > 0) {
                throw new IllegalStateException("a state can be read only into a new engine");
            }
            StateInput state = new StateInput(in);
            long stateVersion = state.unsigned();
            if (stateVersion != STATE_VERSION) {
                throw new IllegalArgumentException("the engine's state is of version " + stateVersion
                        + "; this dagscope reads version " + STATE_VERSION);
            }
            Duration age = Duration.ofSeconds(state.signed(), state.count(999_999_999, "nanoseconds"));
            long keep = state.unsigned();
            if (!age.equals(settings.retainRunsFor()) || keep != settings.retainRuns()) {
                throw new IllegalArgumentException("the state was folded keeping run detail for " + age
                        + " or " + keep + " runs; this engine keeps it for " + settings.retainRunsFor() + " or "
                        + settings.retainRuns() + " runs (--retain-days, --retain-runs)");
            }
            names.read(state);
            fold.readFeeds(state, this);
            upkeep.read(state);
            aggregates.read(state);
            runs.read(state, fold.feedCount());
            fold.readInference(state);
            failures.read(state, runs);
            schedules.read(state);
            if (state.unsigned() != STATE_END) {
                throw StateInput.corrupt("it does not end where it should");
            }
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the bytes of the sealed days of failures (for tests) */
    long sealedFailureBytes() {
        lock.readLock().lock();
        try {
            return failures.sealedBytes();
        } finally {
            lock.readLock().unlock();
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

    @Override
    public TaskSummary taskSummary(TaskSummaryQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        lock.readLock().lock();
        try {
            return aggregates.summary(window, names.selection(request.tenant(), request.dagName(), request.scope()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public TaskSeries taskSeries(TaskSeriesQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        int size = request.bucketMinutes().orElse(TaskAggregates.bucketMinutesFor(window.minutes()));
        long count = TaskAggregates.bucketCount(window, size);
        lock.readLock().lock();
        try {
            return aggregates.series(window, size, count,
                    names.selection(request.tenant(), request.dagName(), request.scope()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<FailureGroup> failures(FailureQuery.Request request) {
        TimeWindow window = resolveWindow(request.window());
        lock.readLock().lock();
        try {
            return failures.failures(window, names.selection(request.tenant(), request.dagName(), request.scope()),
                    request.first(), runs);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> tenants(TenantScope scope) {
        lock.readLock().lock();
        try {
            return aggregates.tenants(scope);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> dagNames(TenantScope scope) {
        lock.readLock().lock();
        try {
            return aggregates.dagNames(scope);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RunCounts runCounts(Duration staleAfter, Optional<String> tenant, Optional<String> dagName,
            TenantScope scope) {
        long now = Timestamps.toMicros(clock.instant());
        long staleBefore = now - staleAfter.toNanos() / 1000;
        lock.readLock().lock();
        try {
            return runs.runCounts(now, staleBefore, names.selection(tenant, dagName, scope));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public FleetFigures fleetFigures(Duration staleAfter) {
        long now = Timestamps.toMicros(clock.instant());
        long staleBefore = now - staleAfter.toNanos() / 1000;
        lock.readLock().lock();
        try {
            return fleet.read(now, staleBefore);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<TenantLoad> tenantLoad(WindowRequest windowRequest, TenantScope scope) {
        TimeWindow window = resolveWindow(windowRequest);
        lock.readLock().lock();
        try {
            return aggregates.tenantLoad(window, scope);
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
        lock.readLock().lock();
        try {
            return runs.dagRuns(request);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<DagRun> dagRun(String id, TenantScope scope) {
        lock.readLock().lock();
        try {
            return runs.dagRun(id, scope);
        } finally {
            lock.readLock().unlock();
        }
    }
}
