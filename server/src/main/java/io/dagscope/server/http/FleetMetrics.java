package io.dagscope.server.http;

import static io.dagscope.server.http.ServerMetrics.counterPoint;
import static io.dagscope.server.http.ServerMetrics.point;

import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.FleetFigures.DagFigures;
import io.dagscope.core.model.FleetFigures.ScheduleFigures;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The orchestration as metrics, read from the engine at each scrape ({@link FleetFiguresQuery}): nothing is counted
 * here, so the values are the engine's and cost nothing between scrapes. Per (tenant, DAG): task outcomes, task
 * durations as a histogram on the engine's sketch bins, run endings, open runs; per schedule: the scheduler's counters,
 * missed runs, its times and whether it is enabled. At most {@link MetricsLimits#maxSeries()} (tenant, DAG) series and
 * as many schedule series, in name order; the rest are summed into one series whose labels are all {@value #OTHER},
 * and {@code dagscope_metrics_series_folded} says how many were.
 */
final class FleetMetrics implements MultiCollector {

    /** The label value of the series the ones beyond the cap are summed into. */
    static final String OTHER = "other";

    private static final Comparator<DagFigures> BY_NAME = Comparator.comparing(DagFigures::tenant)
            .thenComparing(DagFigures::dagName);

    private final FleetFiguresQuery fleet;
    private final MetricsLimits limits;

    FleetMetrics(FleetFiguresQuery fleet, MetricsLimits limits) {
        this.fleet = fleet;
        this.limits = limits;
    }

    @Override
    public MetricSnapshots collect() {
        FleetFigures figures = fleet.fleetFigures(limits.staleAfter());
        List<DagFigures> dags = new ArrayList<>(figures.dags());
        dags.sort(BY_NAME);
        int foldedDags = Math.max(0, dags.size() - limits.maxSeries());
        if (foldedDags > 0) {
            // a real series labelled like the sum would clash with it: it joins the sum
            moveLast(dags, d -> d.tenant().equals(OTHER) && d.dagName().equals(OTHER));
            List<DagFigures> kept = new ArrayList<>(dags.subList(0, limits.maxSeries()));
            kept.add(sum(dags.subList(limits.maxSeries(), dags.size()), figures.durationBoundsSeconds().size()));
            dags = kept;
        }
        List<ScheduleFigures> schedules = new ArrayList<>(figures.schedules());
        int foldedSchedules = Math.max(0, schedules.size() - limits.maxSeries());
        if (foldedSchedules > 0) {
            moveLast(schedules, s -> s.id().equals(OTHER));
            List<ScheduleFigures> kept = new ArrayList<>(schedules.subList(0, limits.maxSeries()));
            kept.add(sum(schedules.subList(limits.maxSeries(), schedules.size())));
            schedules = kept;
        }
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new ArrayList<>();
        dagMetrics(dags, figures.durationBoundsSeconds(), out);
        scheduleMetrics(schedules, out);
        out.add(GaugeSnapshot.builder().name("dagscope_metrics_series_folded")
                .help("Series summed into the one labelled \"other\" because there were more than the cap "
                        + "(dagscope serve --metrics-max-series), by kind: dag ((tenant, DAG) pairs) or schedule.")
                .dataPoint(point(foldedDags, "kind", "dag")).dataPoint(point(foldedSchedules, "kind", "schedule"))
                .build());
        return new MetricSnapshots(out);
    }

    private static void dagMetrics(List<DagFigures> dags, List<Double> bounds,
            List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out) {
        CounterSnapshot.Builder started = CounterSnapshot.builder().name("dagscope_tasks_started")
                .help("Task executions started (task_start), by tenant and DAG.");
        CounterSnapshot.Builder outcomes = CounterSnapshot.builder().name("dagscope_tasks")
                .help("Task outcomes, by tenant, DAG and outcome: succeeded (task_ok), failed (task_fail), retried "
                        + "(task_retry: an attempt failed and will be tried again).");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("dagscope_task_duration_seconds")
                .help("Task durations (task_ok or task_fail minus its task_start), by tenant and DAG; the bucket "
                        + "bounds lie on the engine's quantile-sketch bins, so the counts are exact.");
        CounterSnapshot.Builder endings = CounterSnapshot.builder().name("dagscope_runs_finished")
                .help("Runs that reached an end, by tenant, DAG and status (succeeded or failed); a run resumed "
                        + "after its dag_done and done again counts again.");
        GaugeSnapshot.Builder open = GaugeSnapshot.builder().name("dagscope_runs_open")
                .help("Runs not ended, by tenant, DAG and state: running, paused (waiting for an approval) or "
                        + "stale (no event for longer than the stale time, 6 hours).");
        GaugeSnapshot.Builder pause = GaugeSnapshot.builder().name("dagscope_runs_oldest_pause_timestamp_seconds")
                .help("When the paused run that has waited longest for its approval paused (its last event), by "
                        + "tenant and DAG; absent when none is paused.");
        double[] upper = new double[bounds.size() + 1];
        for (int i = 0; i < bounds.size(); i++) {
            upper[i] = bounds.get(i);
        }
        upper[bounds.size()] = Double.POSITIVE_INFINITY;
        for (DagFigures d : dags) {
            String[] labels = {"tenant", d.tenant(), "dag", d.dagName()};
            started.dataPoint(counterPoint(d.tasksStarted(), labels));
            outcomes.dataPoint(counterPoint(d.tasksSucceeded(), with(labels, "outcome", "succeeded")));
            outcomes.dataPoint(counterPoint(d.tasksFailed(), with(labels, "outcome", "failed")));
            outcomes.dataPoint(counterPoint(d.tasksRetried(), with(labels, "outcome", "retried")));
            durations.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, d.durationBuckets()))
                    .sum(d.durationSumSeconds()).labels(Labels.of(labels)).build());
            endings.dataPoint(counterPoint(d.runsSucceeded(), with(labels, "status", "succeeded")));
            endings.dataPoint(counterPoint(d.runsFailed(), with(labels, "status", "failed")));
            open.dataPoint(point(d.running(), with(labels, "state", "running")));
            open.dataPoint(point(d.paused(), with(labels, "state", "paused")));
            open.dataPoint(point(d.stale(), with(labels, "state", "stale")));
            d.oldestPauseAt().ifPresent(at -> pause.dataPoint(point(seconds(at), labels)));
        }
        out.add(started.build());
        out.add(outcomes.build());
        out.add(durations.build());
        out.add(endings.build());
        out.add(open.build());
        out.add(pause.build());
    }

    private static void scheduleMetrics(List<ScheduleFigures> schedules,
            List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out) {
        CounterSnapshot.Builder enqueued = CounterSnapshot.builder().name("dagscope_schedule_runs_enqueued")
                .help("Runs the scheduler enqueued (schedule_enqueued), by schedule.");
        CounterSnapshot.Builder started = CounterSnapshot.builder().name("dagscope_schedule_runs_started")
                .help("Runs the scheduler started (run_started, job retries included), by schedule.");
        CounterSnapshot.Builder finished = CounterSnapshot.builder().name("dagscope_schedule_runs_finished")
                .help("Runs the scheduler saw finish (run_finished), by schedule and status: succeeded, failed, "
                        + "or retried (failed, and to be run again).");
        CounterSnapshot.Builder missed = CounterSnapshot.builder().name("dagscope_schedule_missed_runs")
                .help("Cron minutes of an enabled schedule that no schedule_enqueued named within 10 minutes, since "
                        + "its first event; it only grows.");
        GaugeSnapshot.Builder lastRun = GaugeSnapshot.builder().name("dagscope_schedule_last_run_timestamp_seconds")
                .help("The latest run_started of a schedule.");
        GaugeSnapshot.Builder lastSuccess = GaugeSnapshot.builder()
                .name("dagscope_schedule_last_success_timestamp_seconds")
                .help("The latest run_finished with status success of a schedule.");
        GaugeSnapshot.Builder first = GaugeSnapshot.builder()
                .name("dagscope_schedule_first_event_timestamp_seconds")
                .help("A schedule's first event in the state log, of any type: for one that never succeeded, what "
                        + "the time without a success is measured from.");
        GaugeSnapshot.Builder next = GaugeSnapshot.builder().name("dagscope_schedule_next_run_timestamp_seconds")
                .help("The next cron minute of an enabled schedule.");
        GaugeSnapshot.Builder interval = GaugeSnapshot.builder().name("dagscope_schedule_interval_seconds")
                .help("The longest gap between two consecutive cron minutes of a schedule, over the next 8 days.");
        GaugeSnapshot.Builder enabled = GaugeSnapshot.builder().name("dagscope_schedule_enabled")
                .help("1 when a schedule's definition is enabled, 0 when it is switched off.");
        for (ScheduleFigures s : schedules) {
            String[] labels = {"schedule", s.id(), "tenant", s.tenant().orElse(""), "dag_path",
                    s.dagPath().orElse("")};
            enqueued.dataPoint(counterPoint(s.enqueued(), labels));
            started.dataPoint(counterPoint(s.started(), labels));
            finished.dataPoint(counterPoint(s.succeeded(), with(labels, "status", "succeeded")));
            finished.dataPoint(counterPoint(s.failed(), with(labels, "status", "failed")));
            finished.dataPoint(counterPoint(s.retried(), with(labels, "status", "retried")));
            s.missedRuns().ifPresent(n -> missed.dataPoint(counterPoint(n, labels)));
            s.lastRunAt().ifPresent(at -> lastRun.dataPoint(point(seconds(at), labels)));
            s.lastSuccessAt().ifPresent(at -> lastSuccess.dataPoint(point(seconds(at), labels)));
            s.firstEventAt().ifPresent(at -> first.dataPoint(point(seconds(at), labels)));
            s.nextRunAt().ifPresent(at -> next.dataPoint(point(seconds(at), labels)));
            s.intervalSeconds().ifPresent(n -> interval.dataPoint(point(n, labels)));
            s.enabled().ifPresent(on -> enabled.dataPoint(point(on ? 1 : 0, labels)));
        }
        out.add(enqueued.build());
        out.add(started.build());
        out.add(finished.build());
        out.add(missed.build());
        out.add(lastRun.build());
        out.add(lastSuccess.build());
        out.add(first.build());
        out.add(next.build());
        out.add(interval.build());
        out.add(enabled.build());
    }

    /** The (tenant, DAG) series beyond the cap, summed; gauges of times are left out. */
    private static DagFigures sum(List<DagFigures> rest, int bounds) {
        long[] counters = new long[9];
        long[] buckets = new long[bounds + 1];
        double sum = 0;
        Optional<Instant> oldestPause = Optional.empty();
        for (DagFigures d : rest) {
            counters[0] += d.tasksStarted();
            counters[1] += d.tasksSucceeded();
            counters[2] += d.tasksFailed();
            counters[3] += d.tasksRetried();
            counters[4] += d.runsSucceeded();
            counters[5] += d.runsFailed();
            counters[6] += d.running();
            counters[7] += d.paused();
            counters[8] += d.stale();
            long[] b = d.durationBuckets();
            for (int i = 0; i < b.length; i++) {
                buckets[i] += b[i];
            }
            sum += d.durationSumSeconds();
            if (d.oldestPauseAt().isPresent() && (oldestPause.isEmpty()
                    || d.oldestPauseAt().get().isBefore(oldestPause.get()))) {
                oldestPause = d.oldestPauseAt();
            }
        }
        return new DagFigures(OTHER, OTHER, counters[0], counters[1], counters[2], counters[3], buckets, sum,
                counters[4], counters[5], counters[6], counters[7], counters[8], oldestPause);
    }

    /** The schedule series beyond the cap, summed: their counters only. */
    private static ScheduleFigures sum(List<ScheduleFigures> rest) {
        long[] c = new long[6];
        boolean anyMissed = false;
        for (ScheduleFigures s : rest) {
            c[0] += s.enqueued();
            c[1] += s.started();
            c[2] += s.succeeded();
            c[3] += s.failed();
            c[4] += s.retried();
            if (s.missedRuns().isPresent()) {
                anyMissed = true;
                c[5] += s.missedRuns().getAsLong();
            }
        }
        return new ScheduleFigures(OTHER, Optional.of(OTHER), Optional.of(OTHER), Optional.empty(), c[0], c[1],
                c[2], c[3], c[4], anyMissed ? java.util.OptionalLong.of(c[5]) : java.util.OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), java.util.OptionalLong.empty(), Optional.empty());
    }

    /** Moves the first element that matches to the end of the list. */
    private static <T> void moveLast(List<T> list, java.util.function.Predicate<T> match) {
        for (int i = 0; i < list.size(); i++) {
            if (match.test(list.get(i))) {
                list.add(list.remove(i));
                return;
            }
        }
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = name;
        out[labels.length + 1] = value;
        return out;
    }

    private static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
