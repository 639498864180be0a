package io.dagscope.graphql;

import static io.dagscope.graphql.Paths.at;
import static io.dagscope.graphql.Paths.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fields the dashboard added: series, failures, run counts, the catalog, and schedules' extras. */
class DashboardFieldsTest {

    private final FakeEngine engine = new FakeEngine();
    private final GraphQlApi api = GraphQlApi.of(engine);

    private Map<String, Object> ok(String query, TenantScope scope) {
        Map<String, Object> result = api.execute(query, null, null, scope);
        assertEquals(List.of(), errors(result), "errors");
        return result;
    }

    @Test
    void taskSeriesPassesItsArgumentsAndReturnsBucketsWithStats() {
        Map<String, Object> r = ok("{ taskSeries(window: {hours: 2, end: \"2025-10-21T18:00:00Z\"}, bucketMinutes: 60, "
                + "tenant: \"acme\") { windowStart bucketMinutes buckets { start end runsStarted stats { failed "
                + "p95DurationSeconds } } } }", TenantScope.ALL);
        assertEquals(60, at(r, "data.taskSeries.bucketMinutes"));
        assertEquals("2025-10-21T16:00:00Z", at(r, "data.taskSeries.buckets[0].start"));
        assertEquals(4L, at(r, "data.taskSeries.buckets[0].runsStarted"));
        assertEquals(7L, at(r, "data.taskSeries.buckets[0].stats.failed"));
        assertEquals(null, at(r, "data.taskSeries.buckets[1].stats.p95DurationSeconds"));
        var request = engine.seriesRequests.get(0);
        assertEquals(WindowRequest.of(2, Instant.parse("2025-10-21T18:00:00Z")), request.window());
        assertEquals(OptionalInt.of(60), request.bucketMinutes());
        assertEquals(Optional.of("acme"), request.tenant());
    }

    @Test
    void aBucketSizeThatMakesTooManyBucketsOrIsBelowOneIsAnArgumentError() {
        Map<String, Object> tooMany = api.execute("{ taskSeries(bucketMinutes: 1) { bucketMinutes } }", null, null,
                TenantScope.ALL);
        assertTrue(String.valueOf(errors(tooMany).get(0).get("message")).contains("1440 buckets"), tooMany.toString());
        Map<String, Object> zero = api.execute("{ taskSeries(bucketMinutes: 0) { bucketMinutes } }", null, null,
                TenantScope.ALL);
        assertTrue(String.valueOf(errors(zero).get(0).get("message")).contains("bucketMinutes must be at least 1"));
        Map<String, Object> stale = api.execute("{ runCounts(staleAfterHours: -2) { stale } }", null, null,
                TenantScope.ALL);
        assertTrue(String.valueOf(errors(stale).get(0).get("message")).contains("staleAfterHours"));
        Map<String, Object> first = api.execute("{ failures(first: 0) { count } }", null, null, TenantScope.ALL);
        assertTrue(String.valueOf(errors(first).get(0).get("message")).contains("between 1 and 1000"));
    }

    @Test
    void failuresRunCountsAndTheCatalogAnswer() {
        Map<String, Object> r = ok("{ failures { signature exampleError count firstSeen lastSeen dags tenants "
                + "exampleRunId exampleTaskId } runCounts(staleAfterHours: 12) { asOf running paused stale succeeded "
                + "failed } tenants dagNames }", TenantScope.ALL);
        assertEquals("KeyError <str>", at(r, "data.failures[0].signature"));
        assertEquals(3L, at(r, "data.failures[0].count"));
        assertEquals("run-1", at(r, "data.failures[0].exampleRunId"));
        assertEquals(12L, at(r, "data.runCounts.running"), "12 hours reached the port");
        assertEquals(5_000_000_000L, at(r, "data.runCounts.succeeded"));
        assertEquals(List.of("acme", "globex"), at(r, "data.tenants"));
        assertEquals(List.of("crm_sync", "nightly_rollup"), at(r, "data.dagNames"));
        Map<String, Object> filtered = ok("{ runCounts(tenant: \"globex\", dagName: \"crm_sync\") { paused stale } }",
                TenantScope.ALL);
        assertEquals(6L, at(filtered, "data.runCounts.paused"), "the tenant reached the port (its length comes back)");
        assertEquals(8L, at(filtered, "data.runCounts.stale"), "the DAG reached the port (its length comes back)");
        Map<String, Object> scoped = ok("{ tenants }", TenantScope.of(Set.of("globex")));
        assertEquals(List.of("globex"), at(scoped, "data.tenants"), "the scope reaches the catalog");
    }

    @Test
    void schedulesCarryTheirCronInWordsAndRecentOutcomes() {
        Map<String, Object> r = ok("{ schedules { id cronDescription recentOutcomes { at status durationSeconds } } }",
                TenantScope.ALL);
        assertEquals("every day at 02:00 UTC", at(r, "data.schedules[0].cronDescription"));
        assertEquals("2025-10-21T02:00:12.500Z", at(r, "data.schedules[0].recentOutcomes[0].at"));
        assertEquals("success", at(r, "data.schedules[0].recentOutcomes[0].status"));
        assertEquals(List.of(), at(r, "data.schedules[1].recentOutcomes"));
    }

    @Test
    void aTaskListsTheAttemptsThatWereRetried() {
        Map<String, Object> r = ok("{ dagRun(id: \"run-1\") { tasks { taskId retries { at attempt error } } } }",
                TenantScope.ALL);
        assertEquals("2025-10-21T17:00:11Z", at(r, "data.dagRun.tasks[0].retries[0].at"));
        assertEquals(1, at(r, "data.dagRun.tasks[0].retries[0].attempt"));
        assertEquals("timeout", at(r, "data.dagRun.tasks[0].retries[0].error"));
        assertEquals(null, at(r, "data.dagRun.tasks[0].retries[1].attempt"));
        assertEquals(List.of(), at(r, "data.dagRun.tasks[1].retries"));
    }
}
