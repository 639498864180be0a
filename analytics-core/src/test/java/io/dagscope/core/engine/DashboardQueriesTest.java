package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.TaskBucket;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
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
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

    private static final Instant NOW = Instant.parse("2025-10-05T00:00:00Z");
    private final AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private void feed(String source, List<Event> events) {
        SourceFeed f = engine.feed(source);
        events.forEach(f::accept);
        f.flush();
    }

    private static long t(String iso) {
        return Timestamps.parseMicros(iso);
    }

    @Test
    void aSeriesBucketsTheWindowAndItsBucketsAddUpToTheWindowsFigures() {
        Random rnd = new Random(3);
        List<Event> events = new java.util.ArrayList<>();
        long base = t("2025-10-04T00:00:00Z");
        for (int i = 0; i < 400; i++) {
            long at = base + (long) (rnd.nextDouble() * 24 * 3600e6);
            String run = "r" + i;
            events.add(new DagStart(at, "dag" + (i % 2), run, "tenant" + (i % 3), 1));
            events.add(new TaskStart(at + 1, "dag" + (i % 2), run, "x"));
            events.add(rnd.nextInt(10) == 0 ? new TaskFail(at + 2_000_000, "dag" + (i % 2), run, "x", "boom")
                    : new TaskOk(at + 2_000_000, "dag" + (i % 2), run, "x", 1));
        }
        events.sort(java.util.Comparator.comparingLong(Event::timestampMicros));
        feed("events", events);
        WindowRequest window = WindowRequest.of(24, NOW);
        TaskSeries series = engine.taskSeries(new TaskSeriesQuery.Request(window, OptionalInt.empty(),
                Optional.of("tenant1"), Optional.empty(), TenantScope.ALL));
        assertEquals(30, series.bucketMinutes(), "about 60 buckets over a day");
        assertEquals(48, series.buckets().size());
        assertEquals(Instant.parse("2025-10-04T00:00:00Z"), series.buckets().get(0).start());
        assertEquals(NOW, series.buckets().get(47).end());
        TaskSummary summary = engine.taskSummary(new TaskSummaryQuery.Request(window, Optional.of("tenant1"),
                Optional.empty(), TenantScope.ALL));
        assertEquals(summary.window().succeeded(), series.buckets().stream().mapToLong(b -> b.stats().succeeded())
                .sum());
        assertEquals(summary.window().failed(), series.buckets().stream().mapToLong(b -> b.stats().failed()).sum());
        assertEquals(133, series.buckets().stream().mapToLong(TaskBucket::runsStarted).sum(),
                "tenant1 started runs 1, 4, ..., 397 of 400");
        TaskSeries given = engine.taskSeries(new TaskSeriesQuery.Request(WindowRequest.of(1.5, NOW),
                OptionalInt.of(20), Optional.empty(), Optional.empty(), TenantScope.ALL));
        assertEquals(List.of(20L, 20L, 20L, 20L, 10L), given.buckets().stream()
                .map(b -> Duration.between(b.start(), b.end()).toMinutes()).toList(), "the last bucket is shorter");
        assertThrows(IllegalArgumentException.class, () -> engine.taskSeries(new TaskSeriesQuery.Request(
                WindowRequest.of(48, NOW), OptionalInt.of(1), Optional.empty(), Optional.empty(), TenantScope.ALL)));
    }

    @Test
    void failuresGroupBySignatureWithCountsTimesDagsTenantsAndAnExample() {
        feed("events", List.of(
                new DagStart(t("2025-10-04T10:00:00Z"), "crm", "a", "acme", 1),
                new TaskStart(t("2025-10-04T10:00:01Z"), "crm", "a", "fetch"),
                new TaskFail(t("2025-10-04T10:00:05Z"), "crm", "a", "fetch",
                        "HTTPSConnectionPool(host='api.hubapi.com', port=443): Max retries exceeded (0x7f628c5df281)"),
                new DagStart(t("2025-10-04T11:00:00Z"), "sync", "b", "globex", 1),
                new TaskStart(t("2025-10-04T11:00:01Z"), "sync", "b", "fetch"),
                new TaskFail(t("2025-10-04T11:00:07Z"), "sync", "b", "fetch",
                        "HTTPSConnectionPool(host='api.other.com', port=8443): Max retries exceeded (0x7f0000000001)"),
                new DagStart(t("2025-10-04T12:00:00Z"), "sync", "c", "globex", 1),
                new TaskStart(t("2025-10-04T12:00:01Z"), "sync", "c", "load"),
                new TaskFail(t("2025-10-04T12:00:02Z"), "sync", "c", "load", "'thread_id'"),
                new DagStart(t("2025-10-03T12:00:00Z"), "sync", "old", "globex", 1),
                new TaskStart(t("2025-10-03T12:00:01Z"), "sync", "old", "load"),
                new TaskFail(t("2025-10-03T12:00:02Z"), "sync", "old", "load", "outside the window"),
                new DagStart(t("2025-10-04T08:00:00Z"), "invoice", "p", "acme", 2),
                new CheckpointPending(t("2025-10-04T08:00:01Z"), "invoice", "p", "signoff", "p_signoff")));
        feed("state", List.of(new CheckpointExpired(t("2025-10-04T16:00:02Z"), "p_signoff", "p", "signoff")));
        List<FailureGroup> groups = engine.failures(new FailureQuery.Request(WindowRequest.of(24, NOW),
                Optional.empty(), Optional.empty(), 10, TenantScope.ALL));
        assertEquals(3, groups.size(), groups.toString());
        FailureGroup http = groups.get(0);
        assertEquals(2, http.count());
        assertEquals("HTTPSConnectionPool(host=<str>, port=<n>): Max retries exceeded (<hex>)", http.signature());
        assertEquals(List.of("crm", "sync"), http.dags());
        assertEquals(List.of("acme", "globex"), http.tenants());
        assertEquals(Instant.parse("2025-10-04T10:00:05Z"), http.firstSeen());
        assertEquals(Instant.parse("2025-10-04T11:00:07Z"), http.lastSeen());
        assertEquals(Optional.of("b"), http.exampleRunId());
        assertTrue(http.exampleError().contains("api.other.com"));
        assertTrue(groups.stream().anyMatch(g -> g.signature().equals("checkpoint p_signoff expired")
                && g.exampleRunId().equals(Optional.of("p")) && g.exampleTaskId().equals("signoff")),
                "an expired checkpoint is a failed task too: " + groups);
        List<FailureGroup> acme = engine.failures(new FailureQuery.Request(WindowRequest.of(24, NOW),
                Optional.empty(), Optional.empty(), 10, TenantScope.of(Set.of("acme"))));
        assertTrue(acme.stream().allMatch(g -> g.tenants().equals(List.of("acme"))), acme.toString());
        assertEquals(2, acme.size());
    }

    @Test
    void runCountsSetApartOpenRunsWithNoRecentEventAsStale() {
        feed("events", List.of(
                new DagStart(t("2025-10-04T23:00:00Z"), "d", "live", "acme", 1),
                new TaskStart(t("2025-10-04T23:00:01Z"), "d", "live", "x"),
                new DagStart(t("2025-10-04T10:00:00Z"), "d", "crashed", "acme", 1),
                new TaskStart(t("2025-10-04T10:00:01Z"), "d", "crashed", "x"),
                new DagStart(t("2025-10-04T22:00:00Z"), "d", "waiting", "globex", 1),
                new CheckpointPending(t("2025-10-04T22:00:01Z"), "d", "waiting", "ok", "w_ok"),
                new DagStart(t("2025-10-04T21:00:00Z"), "d", "done", "acme", 1),
                new TaskStart(t("2025-10-04T21:00:01Z"), "d", "done", "x"),
                new TaskFail(t("2025-10-04T21:00:02Z"), "d", "done", "x", "e")));
        RunCounts all = engine.runCounts(Duration.ofHours(6), TenantScope.ALL);
        assertEquals(new RunCounts(NOW, 1, 1, 1, 0, 1), all);
        assertEquals(new RunCounts(NOW, 1, 0, 1, 0, 1), engine.runCounts(Duration.ofHours(6),
                TenantScope.of(Set.of("acme"))));
    }

    @Test
    void runCountsOfOneTenantOrDagCountOnlyItsRunsAndStayWithinTheScope() {
        feed("events", List.of(
                new DagStart(t("2025-10-04T23:00:00Z"), "sync", "a1", "acme", 1),
                new DagStart(t("2025-10-04T23:10:00Z"), "digest", "a2", "acme", 1),
                new DagStart(t("2025-10-04T10:00:00Z"), "sync", "a3", "acme", 1),
                new DagStart(t("2025-10-04T22:00:00Z"), "sync", "g1", "globex", 1),
                new CheckpointPending(t("2025-10-04T22:00:01Z"), "sync", "g1", "ok", "w_ok"),
                new DagStart(t("2025-10-04T21:00:00Z"), "digest", "g2", "globex", 1),
                new TaskStart(t("2025-10-04T21:00:01Z"), "digest", "g2", "x"),
                new TaskFail(t("2025-10-04T21:00:02Z"), "digest", "g2", "x", "e")));

        assertEquals(new RunCounts(NOW, 2, 0, 1, 0, 0), engine.runCounts(Duration.ofHours(6), Optional.of("acme"),
                Optional.empty(), TenantScope.ALL));
        assertEquals(new RunCounts(NOW, 1, 1, 1, 0, 0), engine.runCounts(Duration.ofHours(6), Optional.empty(),
                Optional.of("sync"), TenantScope.ALL));
        assertEquals(new RunCounts(NOW, 0, 0, 0, 0, 1), engine.runCounts(Duration.ofHours(6), Optional.of("globex"),
                Optional.of("digest"), TenantScope.ALL));
        assertEquals(new RunCounts(NOW, 0, 0, 0, 0, 0), engine.runCounts(Duration.ofHours(6), Optional.of("globex"),
                Optional.empty(), TenantScope.of(Set.of("acme"))), "a tenant outside the scope shows nothing");
        assertEquals(new RunCounts(NOW, 0, 0, 0, 0, 0), engine.runCounts(Duration.ofHours(6), Optional.of("nobody"),
                Optional.empty(), TenantScope.ALL));
    }

    @Test
    void signaturesNormaliseWhatVariesAndKeepWhatDoesNot() {
        assertEquals("Timeout after <n>s talking to <str> (request <id>)", ErrorSignature.of(
                "Timeout after 60s talking to 'graph.microsoft.com' (request 3f1c2d4e-1111-2222-3333-444455556666)"));
        assertEquals("KeyError <str>", ErrorSignature.of("KeyError 'thread_id'"));
        assertEquals("'thread_id'", ErrorSignature.of("'thread_id'"), "a message that is one quoted value keeps it");
        assertEquals("line one line two", ErrorSignature.of("line one\n\tline two"));
        assertEquals("(no error message)", ErrorSignature.of(null));
        assertEquals("Error code: <n> - rate limited", ErrorSignature.of("Error code: 429 - rate limited"));
    }
}
