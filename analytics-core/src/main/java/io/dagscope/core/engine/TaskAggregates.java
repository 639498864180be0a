package io.dagscope.core.engine;

import io.dagscope.core.model.TaskBucket;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;

/**
 * Task aggregates by series: for each (tenant, DAG), the task events' {@link Cell}s and the runs started, per minute
 * rolled up by hour and day ({@link TimeSeries}). The fold emits a run's contributions here; the windowed queries
 * (task summary, series, tenant load) and the catalog are sums over them.
 */
final class TaskAggregates {

    /** Bucket lengths a series picks from, in minutes. */
    private static final int[] BUCKET_MINUTES = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080};

    private final Dictionaries names;
    private final TimeSeries.Sealing sealing;
    private final LongMap<TimeSeries<Cell>> taskSeries = new LongMap<>();
    private final LongMap<TimeSeries<long[]>> runStarts = new LongMap<>();

    /** Scratch for the cells one event updates (written under the write lock only). */
    private final Object[] cellsScratch = new Object[4];
    private long lastSeriesKey = Long.MIN_VALUE;
    private TimeSeries<Cell> lastSeries;

    TaskAggregates(Dictionaries names, TimeSeries.Sealing sealing) {
        this.names = names;
        this.sealing = sealing;
    }

    // =========================================================================================================
    // the fold's side

    void emit(int tenant, int dag, long minute, int kind, long durationMicros, int sign) {
        long key = Dictionaries.seriesKey(tenant, dag);
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

    /** Emits the task contributions of the first {@code count} events of a run's log, with the given sign. */
    void emitRun(Run run, int count, int tenant, int sign) {
        RunLog log = run.log;
        Map<String, Long> lastStart = new HashMap<>();
        for (int i = 0; i < count; i++) {
            byte kind = log.kind(i);
            if (!Kind.isTask(kind)) {
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
            emit(tenant, log.dag(i), Timestamps.minuteOf(at), Kind.contribution(kind), duration, sign);
        }
    }

    /** Counts a run's start in the minute and under the tenant it has now, moving it from where it was counted. */
    void countRunStart(Run run) {
        long minute = Timestamps.minuteOf(run.startedAt());
        int tenant = run.appliedTenant;
        if (run.appliedStartMinute == minute && run.appliedStartTenant == tenant) {
            return;
        }
        if (run.appliedStartMinute != Run.NONE) {
            runStarts.get(Dictionaries.seriesKey(run.appliedStartTenant, run.dagId))
                    .update(run.appliedStartMinute, c -> c[0]--);
        }
        long key = Dictionaries.seriesKey(tenant, run.dagId);
        TimeSeries<long[]> starts = runStarts.get(key);
        if (starts == null) {
            starts = new TimeSeries<>(() -> new long[1], CellCodec.COUNTER, sealing);
            runStarts.put(key, starts);
        }
        starts.update(minute, c -> c[0]++);
        run.appliedStartMinute = minute;
        run.appliedStartTenant = tenant;
    }

    /** Takes back a run start counted in a minute under a tenant (the start of a run merged with another). */
    void uncountRunStart(long minute, int tenant, int dag) {
        if (minute != Run.NONE) {
            runStarts.get(Dictionaries.seriesKey(tenant, dag)).update(minute, c -> c[0]--);
        }
    }

    /**
     * Adds the series of another engine's aggregates (a partial being merged in), their keys mapped to this
     * engine's tenant and DAG ids.
     */
    void mergeFrom(TaskAggregates other, Remap remap) {
        other.taskSeries.forEach((key, series) -> {
            long mine = remap.seriesKey(key);
            TimeSeries<Cell> into = taskSeries.get(mine);
            if (into == null) {
                into = new TimeSeries<>(Cell::new, Cell.CODEC, sealing);
                taskSeries.put(mine, into);
            }
            into.mergeFrom(series);
        });
        other.runStarts.forEach((key, series) -> {
            long mine = remap.seriesKey(key);
            TimeSeries<long[]> into = runStarts.get(mine);
            if (into == null) {
                into = new TimeSeries<>(() -> new long[1], CellCodec.COUNTER, sealing);
                runStarts.put(mine, into);
            }
            into.mergeFrom(series);
        });
        lastSeriesKey = Long.MIN_VALUE;
        lastSeries = null;
    }

    /** Writes every series, task cells then run starts, for a snapshot. */
    void write(StateOutput out) throws IOException {
        Bytes.Writer scratch = new Bytes.Writer();
        for (LongMap<? extends TimeSeries<?>> level : List.of(taskSeries, runStarts)) {
            out.unsigned(level.size());
            IOException[] failed = {null};
            level.forEach((key, series) -> {
                if (failed[0] == null) {
                    try {
                        out.signed(key);
                        series.write(out, scratch);
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
    }

    /** Reads into these empty aggregates what {@link #write} wrote. */
    void read(StateInput in) throws IOException {
        int tenants = names.tenants.size();
        int dags = names.dags.size();
        for (int level = 0; level < 2; level++) {
            int n = in.count(Integer.MAX_VALUE, "series");
            for (int i = 0; i < n; i++) {
                long key = in.signed();
                int tenant = Dictionaries.tenantOfKey(key);
                int dag = Dictionaries.dagOfKey(key);
                if (tenant < Dictionaries.NO_TENANT || tenant >= tenants || dag < 0 || dag >= dags) {
                    throw StateInput.corrupt("a series of tenant " + tenant + " and DAG " + dag);
                }
                if (level == 0) {
                    TimeSeries<Cell> series = new TimeSeries<>(Cell::new, Cell.CODEC, sealing);
                    series.read(in);
                    taskSeries.put(key, series);
                } else {
                    TimeSeries<long[]> series = new TimeSeries<>(() -> new long[1], CellCodec.COUNTER, sealing);
                    series.read(in);
                    runStarts.put(key, series);
                }
            }
        }
    }

    /** Seals the days of every series before {@code horizon} (see {@link TimeSeries#sealBefore}). */
    void sealBefore(long horizon) {
        taskSeries.forEach((key, series) -> series.sealBefore(horizon));
        runStarts.forEach((key, series) -> series.sealBefore(horizon));
    }

    // =========================================================================================================
    // queries

    TaskSummary summary(TimeWindow window, LongPredicate selected) {
        Cell allTime = new Cell();
        Cell inWindow = new Cell();
        taskSeries.forEach((key, series) -> {
            if (selected.test(key)) {
                series.allTime().mergeInto(allTime);
                series.sumIn(window, inWindow);
            }
        });
        return new TaskSummary(window.start(), window.end(), allTime.toStats(), inWindow.toStats());
    }

    /** The bucket length that gives about 60 buckets over a window. */
    static int bucketMinutesFor(long windowMinutes) {
        for (int m : BUCKET_MINUTES) {
            if (windowMinutes <= 60L * m) {
                return m;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, (windowMinutes + 59) / 60);
    }

    /**
     * The window in buckets of {@code size} minutes.
     *
     * @throws IllegalArgumentException if that makes more than {@link TaskSeriesQuery#MAX_BUCKETS} buckets
     */
    static long bucketCount(TimeWindow window, int size) {
        long count = (window.minutes() + size - 1) / size;
        if (count > TaskSeriesQuery.MAX_BUCKETS) {
            throw new IllegalArgumentException("bucketMinutes " + size + " makes " + count + " buckets over a "
                    + window.minutes() + "-minute window; at most " + TaskSeriesQuery.MAX_BUCKETS + " are allowed");
        }
        return count;
    }

    TaskSeries series(TimeWindow window, int size, long count, LongPredicate selected) {
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
    }

    List<TenantLoad> tenantLoad(TimeWindow window, TenantScope scope) {
        Map<Integer, Cell> cells = new HashMap<>();
        taskSeries.forEach((key, series) -> {
            int tenant = Dictionaries.tenantOfKey(key);
            if (tenant == Dictionaries.NO_TENANT || !names.visible(tenant, scope)) {
                return;
            }
            Cell c = cells.computeIfAbsent(tenant, t -> new Cell());
            series.sumIn(window, c);
        });
        List<TenantLoad> rows = new ArrayList<>();
        for (int tenant = 0; tenant < names.tenants.size(); tenant++) {
            if (!names.visible(tenant, scope)) {
                continue;
            }
            long[] started = {0};
            final int t = tenant;
            runStarts.forEach((key, starts) -> {
                if (Dictionaries.tenantOfKey(key) == t) {
                    starts.sumIn(window, started);
                }
            });
            Cell c = cells.getOrDefault(tenant, new Cell());
            if (started[0] == 0 && c.finished() == 0) {
                continue;
            }
            rows.add(new TenantLoad(names.tenants.name(tenant), started[0], c.finished(),
                    TaskStats.errorRate(c.succeeded, c.failed), c.avgSeconds(), c.quantileSeconds(0.95)));
        }
        rows.sort(Comparator.comparingLong(TenantLoad::runs).reversed().thenComparing(TenantLoad::tenant));
        return rows;
    }

    /**
     * @return the tenants with figures a caller of this scope sees, by name (a series whose contributions all moved
     *     to another tenant, as when a run's tenant became known late, holds none)
     */
    List<String> tenants(TenantScope scope) {
        TreeSet<String> out = new TreeSet<>();
        taskSeries.forEach((key, series) -> {
            if (!series.isEmpty()) {
                addTenant(out, Dictionaries.tenantOfKey(key), scope);
            }
        });
        runStarts.forEach((key, series) -> {
            if (!series.isEmpty()) {
                addTenant(out, Dictionaries.tenantOfKey(key), scope);
            }
        });
        return new ArrayList<>(out);
    }

    private void addTenant(TreeSet<String> out, int tenant, TenantScope scope) {
        if (tenant != Dictionaries.NO_TENANT && names.visible(tenant, scope)) {
            out.add(names.tenants.name(tenant));
        }
    }

    /** @return the DAGs with figures under a tenant a caller of this scope sees, by name (as for {@link #tenants}) */
    List<String> dagNames(TenantScope scope) {
        TreeSet<String> out = new TreeSet<>();
        java.util.function.BiConsumer<Long, TimeSeries<?>> add = (key, series) -> {
            if (!series.isEmpty() && names.visible(Dictionaries.tenantOfKey(key), scope)) {
                out.add(names.dags.name(Dictionaries.dagOfKey(key)));
            }
        };
        taskSeries.forEach(add::accept);
        runStarts.forEach(add::accept);
        return new ArrayList<>(out);
    }

    /** Hands each series' all-time cell to {@code action}, with the series key. */
    void forEachAllTime(BiConsumer<Long, Cell> action) {
        taskSeries.forEach((key, series) -> action.accept(key, series.allTime()));
    }

    /** @return the task cells kept (every level, live or sealed), of them the sealed ones, and the sealed bytes */
    long[] cellCounts() {
        long[] total = {0, 0, 0};
        taskSeries.forEach((k, s) -> {
            total[0] += s.cells();
            total[1] += s.sealedCells();
            total[2] += s.sealedBytes();
        });
        return total;
    }
}
