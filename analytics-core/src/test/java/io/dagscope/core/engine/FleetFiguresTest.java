package io.dagscope.core.engine;

import static io.dagscope.core.engine.EngineScenariosTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.FleetFigures.DagFigures;
import io.dagscope.core.model.FleetFigures.ScheduleFigures;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.CronSchedule;
import io.dagscope.core.port.out.ScheduleDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The figures monitoring exports, read from the engine's parts as they are. */
class FleetFiguresTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock(Instant.parse("2025-10-05T00:00:00Z"));

    private static void feed(AnalyticsEngine engine, String source, Event... events) {
        SourceFeed f = engine.feed(source);
        for (Event e : events) {
            f.accept(e);
        }
        f.flush();
    }

    private static DagFigures dag(FleetFigures figures, String tenant, String dag) {
        return figures.dags().stream().filter(d -> d.tenant().equals(tenant) && d.dagName().equals(dag)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + tenant + "/" + dag + " in " + figures.dags()));
    }

    /** What Prometheus's histogram_quantile computes from cumulative buckets: linear inside the bucket. */
    static double histogramQuantile(double q, List<Double> bounds, long[] buckets) {
        long total = 0;
        for (long b : buckets) {
            total += b;
        }
        double rank = q * total;
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            if (cumulative + buckets[i] >= rank) {
                if (i == bounds.size()) {
                    return bounds.get(i - 1);
                }
                double lower = i == 0 ? 0 : bounds.get(i - 1);
                return lower + (bounds.get(i) - lower) * (rank - cumulative) / buckets[i];
            }
            cumulative += buckets[i];
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void taskCountersAndDurationsPerTenantAndDagAgreeWithTheTaskSummary() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, clock);
        Random rnd = new Random(3);
        SourceFeed f = engine.feed("events");
        long at = t("2025-10-04T00:00:00Z");
        for (int run = 0; run < 300; run++) {
            String tenant = run % 3 == 0 ? "globex" : "acme";
            String dag = run % 2 == 0 ? "etl" : "report";
            String id = "r" + run;
            f.accept(new DagStart(at, dag, id, tenant, 2));
            for (String task : List.of("a", "b")) {
                f.accept(new TaskStart(at, dag, id, task));
                long micros = (long) Math.exp(rnd.nextDouble() * Math.log(5e8)) + 1;
                at += micros;
                if (rnd.nextInt(10) == 0) {
                    f.accept(new TaskRetry(at, dag, id, task, 1, "flaky"));
                }
                f.accept(rnd.nextInt(20) == 0 ? new TaskFail(at, dag, id, task, "boom")
                        : new TaskOk(at, dag, id, task, 1));
            }
            at += 1000;
        }
        f.accept(new TaskOk(at, "loose", null, "x", 1)); // of no run: no tenant's
        f.flush();
        FleetFigures figures = engine.fleetFigures(RunCountsQuery.DEFAULT_STALE_AFTER);
        assertEquals(45, figures.durationBoundsSeconds().size());
        assertEquals(5, figures.dags().size(), figures.dags().toString());
        for (DagFigures d : figures.dags()) {
            Optional<String> tenant = d.tenant().isEmpty() ? Optional.empty() : Optional.of(d.tenant());
            TaskSummary s = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24, clock.now),
                    tenant.isEmpty() ? Optional.of("nobody") : tenant, Optional.of(d.dagName()), TenantScope.ALL));
            if (tenant.isEmpty()) {
                assertEquals(List.of(0L, 1L, 0L, 0L), List.of(d.tasksStarted(), d.tasksSucceeded(), d.tasksFailed(),
                        d.tasksRetried()));
                continue;
            }
            assertEquals(List.of(s.allTime().started(), s.allTime().succeeded(), s.allTime().failed(),
                    s.allTime().retried()), List.of(d.tasksStarted(), d.tasksSucceeded(), d.tasksFailed(),
                    d.tasksRetried()), d.toString());
            assertEquals(s.allTime().durations(), d.durationCount());
            assertEquals(s.allTime().avgDurationSeconds().getAsDouble() * d.durationCount(), d.durationSumSeconds(),
                    1e-6 * d.durationSumSeconds());
            // Prometheus's estimate and the engine's p95 lie in the same bucket
            double p95 = s.allTime().p95DurationSeconds().getAsDouble();
            double estimate = histogramQuantile(0.95, figures.durationBoundsSeconds(), d.durationBuckets());
            int bucket = 0;
            while (bucket < figures.durationBoundsSeconds().size()
                    && p95 > figures.durationBoundsSeconds().get(bucket)) {
                bucket++;
            }
            double lower = bucket == 0 ? 0 : figures.durationBoundsSeconds().get(bucket - 1);
            double upper = figures.durationBoundsSeconds().get(bucket);
            assertTrue(estimate >= lower && estimate <= upper, estimate + " and " + p95 + " in (" + lower + ", "
                    + upper + "]");
        }
    }

    @Test
    void runEndingsOnlyGrowThroughRetentionAndAResumeAfterDone() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ZERO, 1), clock,
                new HeapHistoryStore());
        feed(engine, "events",
                new DagStart(t("2025-10-04T10:00:00Z"), "etl", "a", "acme", 1),
                new TaskStart(t("2025-10-04T10:00:00Z"), "etl", "a", "x"),
                new TaskOk(t("2025-10-04T10:00:05Z"), "etl", "a", "x", 1),
                new DagDone(t("2025-10-04T10:00:06Z"), "etl", "a", "acme", 1, 0, 6.0),
                new DagStart(t("2025-10-04T11:00:00Z"), "etl", "b", "acme", 1),
                new TaskStart(t("2025-10-04T11:00:00Z"), "etl", "b", "x"),
                new TaskFail(t("2025-10-04T11:00:05Z"), "etl", "b", "x", "boom"));
        feed(engine, "events-2",
                new DagStart(t("2025-10-04T12:00:00Z"), "pay", "c", "acme", 1),
                new CheckpointPending(t("2025-10-04T12:00:01Z"), "pay", "c", "approve", "cp1"),
                new CheckpointApproved(t("2025-10-04T12:10:00Z"), "pay", "c", "cp1", "Admin"),
                new DagDone(t("2025-10-04T12:10:01Z"), "pay", "c", "acme", 1, 0, 1.0),
                new CheckpointApproved(t("2025-10-04T12:20:00Z"), "pay", "c", "cp1", "Admin"),
                new DagDone(t("2025-10-04T12:20:01Z"), "pay", "c", "acme", 1, 0, 1.0));
        // retention keeps one run: a and b are gone from the run counts, not from the endings
        assertEquals(1, engine.stats().runsKept());
        assertEquals(0, engine.runCounts(Duration.ofHours(6), Optional.of("acme"), Optional.of("etl"),
                TenantScope.ALL).succeeded());
        FleetFigures figures = engine.fleetFigures(Duration.ofHours(6));
        DagFigures etl = dag(figures, "acme", "etl");
        assertEquals(List.of(1L, 1L), List.of(etl.runsSucceeded(), etl.runsFailed()));
        DagFigures pay = dag(figures, "acme", "pay");
        assertEquals(2, pay.runsSucceeded(), "done twice, after two approvals");
    }

    @Test
    void openRunsByStateWithTheLongestPause() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, clock);
        feed(engine, "events",
                new DagStart(t("2025-10-04T23:50:00Z"), "etl", "running", "acme", 1),
                new DagStart(t("2025-10-04T20:00:00Z"), "pay", "p1", "acme", 1),
                new CheckpointPending(t("2025-10-04T20:00:01Z"), "pay", "p1", "approve", "cp"),
                new DagStart(t("2025-10-04T21:00:00Z"), "pay", "p2", "acme", 1),
                new CheckpointPending(t("2025-10-04T21:00:01Z"), "pay", "p2", "approve", "cp"),
                new DagStart(t("2025-10-04T01:00:00Z"), "etl", "crashed", "acme", 1));
        FleetFigures figures = engine.fleetFigures(Duration.ofHours(6));
        DagFigures etl = dag(figures, "acme", "etl");
        assertEquals(List.of(1L, 0L, 1L), List.of(etl.running(), etl.paused(), etl.stale()));
        DagFigures pay = dag(figures, "acme", "pay");
        assertEquals(List.of(0L, 2L, 0L), List.of(pay.running(), pay.paused(), pay.stale()));
        assertEquals(Optional.of(Instant.parse("2025-10-04T20:00:01Z")), pay.oldestPauseAt());
        assertEquals(Optional.empty(), etl.oldestPauseAt());
    }

    /** Fires at minutes 0 and 10 of every hour: gaps of 10 and 50 minutes. */
    private static final CronSchedule TWICE_AN_HOUR = new CronSchedule() {
        @Override
        public boolean matches(long minute) {
            long m = Math.floorMod(minute, 60);
            return m == 0 || m == 10;
        }

        @Override
        public long nextAfter(long minute) {
            long m = minute + 1;
            while (!matches(m)) {
                m++;
            }
            return m;
        }
    };

    private static ScheduleEnqueued enqueued(String at, String schedule, String minute) {
        return new ScheduleEnqueued(t(at), schedule, "dags/x.yaml", "acme", t(minute) / 60_000_000L);
    }

    @Test
    void missedRunsOnlyGrowAndTheScheduleTimesAreItsOwn() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, clock);
        engine.defineSchedules(List.of(
                new ScheduleDefinition("s", Optional.of("0,10 * * * *"), Optional.of("dags/x.yaml"),
                        Optional.of("acme"), true, "test"),
                new ScheduleDefinition("off", Optional.of("0,10 * * * *"), Optional.empty(), Optional.of("acme"),
                        false, "test"),
                new ScheduleDefinition("never-ran", Optional.of("0,10 * * * *"), Optional.empty(),
                        Optional.of("acme"), true, "test")), expr -> TWICE_AN_HOUR);
        clock.now = Instant.parse("2025-10-04T12:05:00Z");
        feed(engine, "state",
                enqueued("2025-10-04T10:00:01Z", "s", "2025-10-04T10:00:00Z"),
                new RunStarted(t("2025-10-04T10:00:02Z"), "s", "dags/x.yaml", "acme"),
                new RunFinished(t("2025-10-04T10:00:12Z"), "s", "dags/x.yaml", "acme", "success", null, 10.0),
                // 10:10 missed
                enqueued("2025-10-04T11:00:01Z", "s", "2025-10-04T11:00:00Z"),
                new RunStarted(t("2025-10-04T11:00:02Z"), "s", "dags/x.yaml", "acme"),
                new RunFinished(t("2025-10-04T11:00:12Z"), "s", "dags/x.yaml", "acme", "failed", "boom", 10.0));
        // 11:10 and 12:00 missed; 12:00 is not 10 minutes old yet
        ScheduleFigures s = schedule(engine.fleetFigures(Duration.ofHours(6)), "s");
        assertEquals(OptionalLong.of(2), s.missedRuns());
        assertEquals(Optional.of(Instant.parse("2025-10-04T10:00:12Z")), s.lastSuccessAt());
        assertEquals(Optional.of(Instant.parse("2025-10-04T11:00:02Z")), s.lastRunAt());
        assertEquals(Optional.of(Instant.parse("2025-10-04T12:10:00Z")), s.nextRunAt());
        assertEquals(OptionalLong.of(50 * 60), s.intervalSeconds(), "the longest gap between its minutes");
        assertEquals(Optional.of(Instant.parse("2025-10-04T10:00:01Z")), s.firstEventAt(), "its first event");
        assertEquals(List.of(2L, 2L, 1L, 1L, 0L), List.of(s.enqueued(), s.started(), s.succeeded(), s.failed(),
                s.retried()));
        // from the state log's first event on, for a schedule that never ran: 10:10, 11:00, 11:10
        assertEquals(OptionalLong.of(3), schedule(engine.fleetFigures(Duration.ofHours(6)), "never-ran")
                .missedRuns());
        assertEquals(Optional.empty(), schedule(engine.fleetFigures(Duration.ofHours(6)), "never-ran").firstEventAt(),
                "no event, no first event");
        ScheduleFigures off = schedule(engine.fleetFigures(Duration.ofHours(6)), "off");
        assertEquals(OptionalLong.of(0), off.missedRuns());
        assertEquals(Optional.empty(), off.nextRunAt());

        // time passes: 12:00 is now late; an enqueue for 11:10 read late takes nothing back
        clock.now = Instant.parse("2025-10-04T12:15:00Z");
        feed(engine, "state-late", enqueued("2025-10-04T11:10:05Z", "s", "2025-10-04T11:10:00Z"));
        assertEquals(OptionalLong.of(3), schedule(engine.fleetFigures(Duration.ofHours(6)), "s").missedRuns());
        assertEquals(OptionalLong.of(3), schedule(engine.fleetFigures(Duration.ofHours(6)), "s").missedRuns(),
                "reading again counts nothing twice");
        // an enqueue in time is not a miss
        clock.now = Instant.parse("2025-10-04T12:30:00Z");
        feed(engine, "state-3", enqueued("2025-10-04T12:10:01Z", "s", "2025-10-04T12:10:00Z"));
        assertEquals(OptionalLong.of(3), schedule(engine.fleetFigures(Duration.ofHours(6)), "s").missedRuns());
    }

    private static ScheduleFigures schedule(FleetFigures figures, String id) {
        return figures.schedules().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
