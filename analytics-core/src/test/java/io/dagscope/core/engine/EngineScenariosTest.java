package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
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
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineScenariosTest {

    private static final Instant NOW = Instant.parse("2025-10-05T00:00:00Z");

    private final AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS,
            Clock.fixed(NOW, ZoneOffset.UTC));

    static long t(String iso) {
        long micros = Timestamps.parseMicros(iso);
        assertTrue(micros != Timestamps.INVALID, iso);
        return micros;
    }

    private void feed(String source, Event... events) {
        SourceFeed f = engine.feed(source);
        for (Event e : events) {
            f.accept(e);
        }
        f.flush();
    }

    private DagRun run(String id) {
        return engine.dagRun(id, TenantScope.ALL).orElseThrow(() -> new AssertionError("no run " + id));
    }

    private List<DagRun> allRuns() {
        return engine.dagRuns(new DagRunQuery.Request(1000, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.ALL)).entries().stream().map(RunPage.Entry::run).toList();
    }

    private TaskSummary summary(Optional<String> tenant, Optional<String> dag) {
        return engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24, NOW), tenant, dag,
                TenantScope.ALL));
    }

    @Test
    void twoRunsAreTrackedNewestFirstWhateverTheLineOrder() {
        // the newer run's lines come first in the file
        feed("events",
                new DagStart(t("2025-10-04T12:00:00Z"), "etl", "b", "acme", 1),
                new TaskStart(t("2025-10-04T12:00:01Z"), "etl", "b", "load"),
                new TaskFail(t("2025-10-04T12:00:31Z"), "etl", "b", "load", "disk full"),
                new DagStart(t("2025-10-04T10:00:00Z"), "etl", "a", "acme", 1),
                new TaskStart(t("2025-10-04T10:00:01Z"), "etl", "a", "load"),
                new TaskOk(t("2025-10-04T10:00:11Z"), "etl", "a", "load", 1),
                new DagDone(t("2025-10-04T10:00:12Z"), "etl", "a", "acme", 1, 0, 12.0));
        List<DagRun> runs = allRuns();
        assertEquals(List.of("b", "a"), runs.stream().map(DagRun::id).toList());
        DagRun b = runs.get(0);
        assertEquals(RunStatus.FAILED, b.status());
        assertEquals(31.0, b.durationSeconds().getAsDouble(), 1e-9);
        assertEquals(Optional.of("disk full"), b.error());
        DagRun a = runs.get(1);
        assertEquals(RunStatus.SUCCEEDED, a.status());
        assertEquals(12.0, a.durationSeconds().getAsDouble(), 1e-9);
        assertEquals(1, a.taskCount().getAsInt());
        assertEquals(10.0, a.tasks().get(0).durationSeconds().getAsDouble(), 1e-9);
    }

    @Test
    void countersAllTimeAndInTheWindowAndTheErrorRate() {
        feed("events",
                new DagStart(t("2025-10-03T10:00:00Z"), "etl", "old", "acme", 1),
                new TaskStart(t("2025-10-03T10:00:00Z"), "etl", "old", "x"),
                new TaskFail(t("2025-10-03T10:00:05Z"), "etl", "old", "x", "e"),
                new DagStart(t("2025-10-04T10:00:00Z"), "etl", "new", "acme", 2),
                new TaskStart(t("2025-10-04T10:00:00Z"), "etl", "new", "x"),
                new TaskRetry(t("2025-10-04T10:00:01Z"), "etl", "new", "x", 1, "flaky"),
                new TaskOk(t("2025-10-04T10:00:04Z"), "etl", "new", "x", 2),
                new TaskStart(t("2025-10-04T10:00:04Z"), "etl", "new", "y"),
                new TaskOk(t("2025-10-04T10:00:06Z"), "etl", "new", "y", 1));
        TaskSummary s = summary(Optional.empty(), Optional.empty());
        assertEquals(3, s.allTime().started());
        assertEquals(2, s.allTime().succeeded());
        assertEquals(1, s.allTime().failed());
        assertEquals(1, s.allTime().retried());
        assertEquals(1.0 / 3, s.allTime().errorRate(), 1e-12);
        assertEquals(2, s.window().started());
        assertEquals(0, s.window().failed());
        assertEquals(0.0, s.window().errorRate());
        assertEquals(3.0, s.window().avgDurationSeconds().getAsDouble(), 1e-9);
        assertEquals(Instant.parse("2025-10-04T00:00:00Z"), s.windowStart());
        DagRun run = run("new");
        TaskRun x = run.tasks().get(0);
        assertEquals(2, x.attempts());
        assertEquals(Optional.of("flaky"), x.error(), "a recovered task still shows why it was retried");
        assertEquals(List.of(new io.dagscope.core.model.TaskRun.Retry(Instant.parse("2025-10-04T10:00:01Z"),
                java.util.OptionalInt.of(1), Optional.of("flaky"))), x.retries());
        assertEquals(List.of(), run.tasks().get(1).retries());
    }

    @Test
    void tasksInheritTheirRunsTenantEvenWhenTheStartIsReadLast() {
        feed("events-2", new TaskStart(t("2025-10-04T10:00:01Z"), "etl", "r1", "x"),
                new TaskOk(t("2025-10-04T10:00:03Z"), "etl", "r1", "x", 1),
                new DagDone(t("2025-10-04T10:00:04Z"), "etl", "r1", "fallback", 1, 0, 4.0));
        assertEquals("fallback", run("r1").tenant(), "dag_done's tenant until a dag_start says otherwise");
        feed("events-1", new DagStart(t("2025-10-04T10:00:00Z"), "etl", "r1", "globex", 1));
        assertEquals("globex", run("r1").tenant());
        assertEquals(1, summary(Optional.of("globex"), Optional.empty()).window().succeeded());
        assertEquals(0, summary(Optional.of("fallback"), Optional.empty()).window().succeeded());
        List<TenantLoad> load = engine.tenantLoad(WindowRequest.of(24, NOW), TenantScope.ALL);
        assertEquals(1, load.size());
        assertEquals(new TenantLoad("globex", 1, 1, 0.0, load.get(0).avgLatencySeconds(),
                load.get(0).p95LatencySeconds()), load.get(0));
        assertEquals(2.0, load.get(0).avgLatencySeconds().getAsDouble(), 1e-9);
    }

    @Test
    void overlappingRunsWithoutIdsAreInferredFromHowTheRunnerWorks() {
        // two tenants start one DAG 13 µs apart; their tasks interleave
        feed("legacy",
                new DagStart(t("2025-10-04T10:15:00.100000"), "weekly", null, "globex", 2),
                new DagStart(t("2025-10-04T10:15:00.100013"), "weekly", null, "initech", 2),
                new TaskStart(t("2025-10-04T10:15:00.200000"), "weekly", null, "sweep"),
                new TaskStart(t("2025-10-04T10:15:00.300000"), "weekly", null, "sweep"),
                new TaskRetry(t("2025-10-04T10:15:02"), "weekly", null, "sweep", 1, "timeout"),
                new TaskOk(t("2025-10-04T10:15:03"), "weekly", null, "sweep", 1),
                new TaskStart(t("2025-10-04T10:15:03.1"), "weekly", null, "report"),
                new TaskOk(t("2025-10-04T10:15:05"), "weekly", null, "sweep", 2),
                new TaskOk(t("2025-10-04T10:15:06"), "weekly", null, "report", 1),
                // the initech run ends first; dag_done's duration points at its start (to the microsecond)
                new DagDone(t("2025-10-04T10:15:06.5"), "weekly", null, "initech", 2, 0, 6.399987),
                new TaskStart(t("2025-10-04T10:15:07"), "weekly", null, "report"),
                new TaskFail(t("2025-10-04T10:15:09"), "weekly", null, "report", "KeyError"));
        List<DagRun> runs = allRuns();
        assertEquals(2, runs.size());
        DagRun initech = runs.get(0);
        DagRun globex = runs.get(1);
        assertEquals("initech", initech.tenant());
        assertEquals("inferred|legacy|weekly|2025-10-04T10:15:00.100013Z", initech.id());
        assertEquals(RunStatus.SUCCEEDED, initech.status());
        assertEquals(Instant.parse("2025-10-04T10:15:06.5Z"), initech.endedAt().orElseThrow());
        assertEquals(1, initech.tasksSucceeded(), "initech ran only sweep before its dag_done");
        assertEquals("globex", globex.tenant());
        assertEquals(RunStatus.FAILED, globex.status());
        assertEquals(Optional.of("KeyError"), globex.error());
        // the retry with attempt 1 went to the run whose sweep had had no retry yet (newest first: initech)
        assertEquals(1, initech.tasksRetried());
        assertEquals(2, initech.tasks().get(0).attempts());
        assertEquals(0, globex.tasksRetried());
    }

    @Test
    void eventsWithoutAnOpenRunCountOverallAndPerDagButInNoTenant() {
        feed("legacy", new TaskStart(t("2025-10-04T10:00:00"), "lost", null, "x"),
                new TaskOk(t("2025-10-04T10:00:02"), "lost", null, "x", 1));
        assertEquals(1, summary(Optional.empty(), Optional.empty()).window().succeeded());
        assertEquals(1, summary(Optional.empty(), Optional.of("lost")).window().succeeded());
        assertTrue(summary(Optional.empty(), Optional.empty()).window().avgDurationSeconds().isEmpty(),
                "no run, so no task_start in the same run, so no duration");
        assertTrue(engine.tenantLoad(WindowRequest.of(24, NOW), TenantScope.ALL).isEmpty());
        assertEquals(0, summary(Optional.empty(), Optional.empty()).allTime().failed());
        assertTrue(allRuns().isEmpty());
        assertEquals(0, engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24, NOW),
                Optional.empty(), Optional.empty(), TenantScope.of(Set.of("acme")))).window().succeeded());
    }

    private static Event[] pausedRun(String id) {
        return new Event[] {
            new DagStart(t("2025-10-04T08:00:00Z"), "invoice", id, "acme", 3),
            new TaskStart(t("2025-10-04T08:00:01Z"), "invoice", id, "prepare"),
            new TaskOk(t("2025-10-04T08:00:05Z"), "invoice", id, "prepare", 1),
            new CheckpointPending(t("2025-10-04T08:00:06Z"), "invoice", id, "signoff", id + "_signoff"),
        };
    }

    @Test
    void aPausedRunResumesAndItsDurationIncludesTheWait() {
        feed("events", pausedRun("p1"));
        assertEquals(RunStatus.PAUSED, run("p1").status());
        assertTrue(run("p1").endedAt().isEmpty());
        assertEquals(RunStatus.PAUSED, run("p1").tasks().get(1).status());
        feed("events-resumed",
                new CheckpointApproved(t("2025-10-04T09:00:06Z"), "invoice", "p1", "p1_signoff", "Admin"),
                new TaskStart(t("2025-10-04T09:00:07Z"), "invoice", "p1", "pay"),
                new TaskOk(t("2025-10-04T09:00:09Z"), "invoice", "p1", "pay", 1),
                new DagDone(t("2025-10-04T09:00:10Z"), "invoice", "p1", "acme", 2, 0, 4.0),
                // an operator resumes again: a second dag_done; the run keeps its last end
                new CheckpointApproved(t("2025-10-04T09:30:00Z"), "invoice", "p1", "p1_signoff", "Admin"),
                new TaskStart(t("2025-10-04T09:30:01Z"), "invoice", "p1", "pay"),
                new TaskOk(t("2025-10-04T09:30:02Z"), "invoice", "p1", "pay", 1),
                new DagDone(t("2025-10-04T09:30:03Z"), "invoice", "p1", "acme", 3, 0, 3.0));
        DagRun r = run("p1");
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertEquals(Instant.parse("2025-10-04T09:30:03Z"), r.endedAt().orElseThrow());
        assertEquals(5403.0, r.durationSeconds().getAsDouble(), 1e-9);
        TaskRun signoff = r.tasks().get(1);
        assertEquals("signoff", signoff.taskId());
        assertEquals(RunStatus.SUCCEEDED, signoff.status());
        assertEquals(3600.0, signoff.durationSeconds().getAsDouble(), 1e-9, "the first approval ends the wait");
        assertEquals(0, signoff.attempts());
        assertEquals(3, summary(Optional.empty(), Optional.empty()).allTime().succeeded(),
                "a checkpoint is in no counter");
    }

    @Test
    void anExpiryFailsAPausedRunWhicheverLogIsReadFirst() {
        Event expiry = new CheckpointExpired(t("2025-10-04T16:00:01Z"), "x1_signoff", "x1", "signoff");
        feed("state", expiry, new CheckpointExpired(t("2025-10-04T16:00:01Z"), "ghost_signoff", "ghost", "signoff"));
        feed("events", pausedRun("x1"));
        DagRun r = run("x1");
        assertEquals(RunStatus.FAILED, r.status());
        assertEquals(Optional.of("checkpoint x1_signoff expired"), r.error());
        assertEquals(Instant.parse("2025-10-04T16:00:01Z"), r.endedAt().orElseThrow());
        TaskRun signoff = r.tasks().get(1);
        assertEquals(RunStatus.FAILED, signoff.status());
        assertEquals(Optional.of("checkpoint x1_signoff expired"), signoff.error());
        assertEquals(1, allRuns().size(), "an expiry for a run never seen changes nothing");
        // and in the other order
        AnalyticsEngine other = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
        SourceFeed events = other.feed("events");
        for (Event e : pausedRun("x1")) {
            events.accept(e);
        }
        events.flush();
        SourceFeed state = other.feed("state");
        state.accept(expiry);
        state.flush();
        assertEquals(r, other.dagRun("x1", TenantScope.ALL).orElseThrow());
    }

    @Test
    void aFailureIsFinalEvenWhenADagDoneFollows() {
        feed("events", new DagStart(t("2025-10-04T08:00:00Z"), "etl", "f", "acme", 1),
                new TaskStart(t("2025-10-04T08:00:01Z"), "etl", "f", "x"),
                new TaskFail(t("2025-10-04T08:00:02Z"), "etl", "f", "x", "bad"),
                new DagDone(t("2025-10-04T08:00:03Z"), "etl", "f", "acme", 0, 0, 3.0));
        assertEquals(RunStatus.FAILED, run("f").status());
        assertEquals(Instant.parse("2025-10-04T08:00:03Z"), run("f").endedAt().orElseThrow());
        assertEquals(Optional.of("bad"), run("f").error());
    }

    @Test
    void runsPageWithCursorsAndFilter() {
        for (int i = 0; i < 25; i++) {
            String id = String.format("r%02d", i);
            long start = t("2025-10-04T00:00:00Z") + i * 60_000_000L;
            feed("e" + i, new DagStart(start, i % 2 == 0 ? "even" : "odd", id, i % 3 == 0 ? "a" : "b", 1),
                    new TaskStart(start + 1, i % 2 == 0 ? "even" : "odd", id, "x"),
                    new TaskOk(start + 2, i % 2 == 0 ? "even" : "odd", id, "x", 1),
                    new DagDone(start + 3, i % 2 == 0 ? "even" : "odd", id, "a", 1, 0, 0.000003));
        }
        DagRunQuery.Filter evenOfA = new DagRunQuery.Filter(Optional.of("a"), Optional.of("even"),
                Set.of(RunStatus.SUCCEEDED), Optional.of(Instant.parse("2025-10-04T00:03:00Z")),
                Optional.of(Instant.parse("2025-10-04T00:24:00Z")));
        // a: 0,3,6,...; even: 0,6,12,18,24; started in [00:03, 00:24): 6, 12, 18
        RunPage first = engine.dagRuns(new DagRunQuery.Request(2, Optional.empty(), evenOfA, TenantScope.ALL));
        assertEquals(3, first.totalCount());
        assertEquals(List.of("r18", "r12"), first.entries().stream().map(e -> e.run().id()).toList());
        assertTrue(first.hasNextPage());
        RunPage uncounted = engine.dagRuns(new DagRunQuery.Request(2, Optional.empty(), evenOfA, TenantScope.ALL,
                false));
        assertEquals(-1, uncounted.totalCount(), "not counted unless asked for");
        assertEquals(first.entries(), uncounted.entries());
        assertEquals(25, engine.dagRuns(new DagRunQuery.Request(1, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.ALL)).totalCount());
        RunPage second = engine.dagRuns(new DagRunQuery.Request(2, first.endCursor(), evenOfA, TenantScope.ALL));
        assertEquals(List.of("r06"), second.entries().stream().map(e -> e.run().id()).toList());
        assertFalse(second.hasNextPage());
        assertThrows(IllegalArgumentException.class, () -> engine.dagRuns(new DagRunQuery.Request(2,
                Optional.of("not a cursor"), evenOfA, TenantScope.ALL)));
        RunPage scoped = engine.dagRuns(new DagRunQuery.Request(100, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.of(Set.of("b"))));
        assertTrue(scoped.entries().stream().allMatch(e -> e.run().tenant().equals("b")));
        assertTrue(engine.dagRun("r00", TenantScope.of(Set.of("b"))).isEmpty(), "another tenant's run is invisible");
    }

    @Test
    void aScheduleRunTwiceCountsBothAndKeepsTheLastStatus() {
        feed("state",
                new ScheduleEnqueued(t("2025-10-04T10:00:01Z"), "s", "dags/x.yaml", "acme", t("2025-10-04T10:00:00Z")
                        / 60_000_000L),
                new RunStarted(t("2025-10-04T10:00:02Z"), "s", "dags/x.yaml", "acme"),
                new RunFinished(t("2025-10-04T10:00:12Z"), "s", "dags/x.yaml", "acme", "success", null, 10.0),
                new ScheduleEnqueued(t("2025-10-04T11:00:01Z"), "s", "dags/x.yaml", "acme", t("2025-10-04T11:00:00Z")
                        / 60_000_000L),
                new RunStarted(t("2025-10-04T11:00:02Z"), "s", "dags/x.yaml", "acme"),
                new RunFinished(t("2025-10-04T11:00:22Z"), "s", "dags/x.yaml", "acme", "failed", "boom", 20.0));
        ScheduleSummary s = engine.schedules(WindowRequest.of(24, NOW), TenantScope.ALL).get(0);
        assertEquals(List.of(2L, 2L, 2L, 1L, 1L), List.of(s.enqueued(), s.started(), s.finished(), s.succeeded(),
                s.failed()));
        assertEquals(Optional.of("failed"), s.lastStatus());
        assertEquals(Optional.of(Instant.parse("2025-10-04T11:00:02Z")), s.lastRunAt());
        assertEquals(15.0, s.avgDurationSeconds().getAsDouble(), 1e-12);
        assertTrue(s.cron().isEmpty() && s.missedRuns().isEmpty() && s.nextRunAt().isEmpty());
        assertEquals(List.of("success", "failed"), s.recentOutcomes().stream().map(ScheduleSummary.Outcome::status)
                .toList(), "recent outcomes, oldest first");
    }

    @Test
    void aScheduleKeepsItsLatestOutcomesInTimeOrderWhateverTheReadOrder() {
        SourceFeed late = engine.feed("state-late");
        SourceFeed early = engine.feed("state-early");
        long base = t("2025-10-04T00:00:00Z");
        for (int i = 30; i < 60; i++) {
            late.accept(new RunFinished(base + i * 60_000_000L, "s", null, null, i % 2 == 0 ? "success" : "failed",
                    null, (double) i));
        }
        late.flush();
        for (int i = 0; i < 30; i++) {
            early.accept(new RunFinished(base + i * 60_000_000L, "s", null, null, "retry", null, (double) i));
        }
        early.flush();
        List<ScheduleSummary.Outcome> recent = engine.schedules(WindowRequest.of(24, NOW), TenantScope.ALL).get(0)
                .recentOutcomes();
        assertEquals(ScheduleSummary.RECENT_OUTCOMES, recent.size());
        assertEquals(Instant.parse("2025-10-04T00:40:00Z"), recent.get(0).at());
        assertEquals(Instant.parse("2025-10-04T00:59:00Z"), recent.get(19).at());
        assertTrue(recent.stream().noneMatch(o -> o.status().equals("retry")), "older outcomes read later stay out");
    }

    @Test
    void retentionDropsOldRunDetailButKeepsEveryCounter() {
        AnalyticsEngine small = new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 2),
                Clock.fixed(NOW, ZoneOffset.UTC));
        SourceFeed f = small.feed("events");
        for (int d = 0; d < 5; d++) {
            long start = t("2025-09-30T00:00:00Z") + d * 86_400_000_000L;
            String id = "d" + d;
            f.accept(new DagStart(start, "etl", id, "acme", 1));
            f.accept(new TaskStart(start + 1_000_000, "etl", id, "x"));
            f.accept(new TaskOk(start + 3_000_000, "etl", id, "x", 1));
            f.flush();
        }
        assertEquals(2, small.stats().runsKept());
        assertEquals(3, small.stats().runsDropped());
        assertTrue(small.dagRun("d0", TenantScope.ALL).isEmpty());
        // a late event of a dropped run counts, under its tenant, with no duration, and does not bring it back
        f.accept(new TaskRetry(t("2025-09-30T00:00:05Z"), "etl", "d0", "y", 1, "late"));
        f.flush();
        assertTrue(small.dagRun("d0", TenantScope.ALL).isEmpty());
        TaskSummary s = small.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24 * 30, NOW),
                Optional.of("acme"), Optional.empty(), TenantScope.ALL));
        assertEquals(5, s.allTime().succeeded());
        assertEquals(1, s.allTime().retried());
        assertEquals(5, s.allTime().durations());
    }

    @Test
    void theCatalogListsOnlyTenantsWithFigures() {
        // the tasks count under the dag_done's tenant until the dag_start, read last, moves them to its own
        feed("events-2", new TaskStart(t("2025-10-04T10:00:01Z"), "etl", "r1", "x"),
                new TaskOk(t("2025-10-04T10:00:03Z"), "etl", "r1", "x", 1),
                new DagDone(t("2025-10-04T10:00:04Z"), "etl", "r1", "fallback", 1, 0, 4.0));
        feed("events-1", new DagStart(t("2025-10-04T10:00:00Z"), "etl", "r1", "globex", 1));
        assertEquals(List.of("globex"), engine.tenants(TenantScope.ALL), "no figure is left under 'fallback'");
        assertEquals(List.of(), engine.dagNames(TenantScope.of(Set.of("fallback"))));
        assertEquals(List.of("etl"), engine.dagNames(TenantScope.of(Set.of("globex"))));
    }

    @Test
    void ofTwoExpiriesOfOneCheckpointTheLaterCountsWhicheverArrivesFirst() {
        Event early = new CheckpointExpired(t("2025-10-04T14:00:00Z"), "x1_signoff", "x1", "signoff");
        Event late = new CheckpointExpired(t("2025-10-04T16:00:01Z"), "x1_signoff", "x1", "signoff");
        feed("events", pausedRun("x1"));
        feed("state", late, early);
        AnalyticsEngine other = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
        SourceFeed events = other.feed("events");
        for (Event e : pausedRun("x1")) {
            events.accept(e);
        }
        events.flush();
        SourceFeed state = other.feed("state");
        state.accept(early);
        state.accept(late);
        state.flush();
        DagRun r = run("x1");
        assertEquals(Instant.parse("2025-10-04T16:00:01Z"), r.tasks().get(1).endedAt().orElseThrow());
        assertEquals(r, other.dagRun("x1", TenantScope.ALL).orElseThrow());
    }

    @Test
    void failureGroupsDoNotDependOnTheOrderFailuresArriveIn() {
        long at = t("2025-10-04T10:00:05Z");
        Event[] a = {new DagStart(at - 5_000_000, "etl", "a", "acme", 1), new TaskStart(at - 1, "etl", "a", "load"),
            new TaskFail(at, "etl", "a", "load", "Timeout after 30 s")};
        Event[] b = {new DagStart(at - 5_000_000, "crm", "b", "acme", 1), new TaskStart(at - 1, "crm", "b", "sync"),
            new TaskFail(at, "crm", "b", "sync", "Timeout after 31 s")};
        feed("events-1", a);
        feed("events-2", b);
        AnalyticsEngine other = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
        for (Event[] events : List.of(b, a)) {
            SourceFeed f = other.feed(events == a ? "events-1" : "events-2");
            for (Event e : events) {
                f.accept(e);
            }
            f.flush();
        }
        io.dagscope.core.port.in.FailureQuery.Request request = new io.dagscope.core.port.in.FailureQuery.Request(
                WindowRequest.of(24, NOW), Optional.empty(), Optional.empty(), 10, TenantScope.ALL);
        List<io.dagscope.core.model.FailureGroup> groups = engine.failures(request);
        assertEquals(1, groups.size());
        assertEquals(2, groups.get(0).count());
        assertEquals(groups, other.failures(request), "the same example, at a tie, whatever came first");
    }
}
