package io.dagscope.core.engine;

import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.sketch.HistogramBounds;
import io.dagscope.core.time.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the figures monitoring exports out of the parts, as they are: the task counters and durations from the
 * all-time cells of {@link TaskAggregates}, the run endings and open runs from {@link RunIndex}, the schedules from
 * {@link ScheduleBook}. It keeps nothing of its own; the engine calls it under its read lock.
 */
final class FleetReader {

    /**
     * The task-duration histogram's bounds: powers of the square root of two from 2^-6 s (15.6 ms) to 2^16 s
     * (18.2 h), each moved up onto the quantile sketch's bins (at most 0.5 % above the power), so that the buckets
     * count the durations exactly.
     */
    static final HistogramBounds DURATION_BOUNDS = durationBounds();

    private final Dictionaries names;
    private final TaskAggregates aggregates;
    private final RunIndex runs;
    private final ScheduleBook schedules;

    FleetReader(Dictionaries names, TaskAggregates aggregates, RunIndex runs, ScheduleBook schedules) {
        this.names = names;
        this.aggregates = aggregates;
        this.runs = runs;
        this.schedules = schedules;
    }

    private static HistogramBounds durationBounds() {
        double[] targets = new double[45];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Math.pow(2, (i - 12) / 2.0) * Timestamps.MICROS_PER_SECOND;
        }
        return HistogramBounds.onSketchBins(targets);
    }

    /** @return the bounds of {@link #DURATION_BOUNDS}, in seconds */
    static List<Double> boundsInSeconds() {
        List<Double> out = new ArrayList<>(DURATION_BOUNDS.size());
        for (int i = 0; i < DURATION_BOUNDS.size(); i++) {
            out.add(DURATION_BOUNDS.bound(i) / (double) Timestamps.MICROS_PER_SECOND);
        }
        return out;
    }

    FleetFigures read(long now, long staleBefore) {
        Map<Long, Cell> cells = new HashMap<>();
        aggregates.forEachAllTime(cells::put);
        Map<Long, long[]> runFigures = runs.monitoringFigures(staleBefore);
        List<FleetFigures.DagFigures> dags = new ArrayList<>(cells.size() + runFigures.size());
        int buckets = DURATION_BOUNDS.size() + 1;
        cells.forEach((key, cell) -> dags.add(dag(key, cell, runFigures.remove(key), buckets)));
        runFigures.forEach((key, figures) -> dags.add(dag(key, null, figures, buckets)));
        // by name, not by the dictionaries' numbers, which depend on the order events and merged parts came in
        dags.sort(java.util.Comparator.comparing(FleetFigures.DagFigures::tenant)
                .thenComparing(FleetFigures.DagFigures::dagName));
        return new FleetFigures(Timestamps.toInstant(now), boundsInSeconds(), dags, schedules.figures(now));
    }

    private FleetFigures.DagFigures dag(long key, Cell cell, long[] run, int bucketCount) {
        int tenant = Dictionaries.tenantOfKey(key);
        long[] durations = new long[bucketCount];
        if (cell != null) {
            cell.addDurationBuckets(DURATION_BOUNDS, durations);
        }
        long[] r = run == null ? new long[] {0, 0, 0, 0, 0, Long.MAX_VALUE} : run;
        return new FleetFigures.DagFigures(tenant == Dictionaries.NO_TENANT ? "" : names.tenants.name(tenant),
                names.dags.name(Dictionaries.dagOfKey(key)), cell == null ? 0 : cell.started,
                cell == null ? 0 : cell.succeeded, cell == null ? 0 : cell.failed, cell == null ? 0 : cell.retried,
                durations, cell == null ? 0 : cell.durationSumSeconds(), r[0], r[1], r[2], r[3], r[4],
                r[5] == Long.MAX_VALUE ? Optional.empty() : Optional.of(Timestamps.toInstant(r[5])));
    }
}
