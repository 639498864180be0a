package io.dagscope.graphql;

import static io.dagscope.graphql.Paths.at;
import static io.dagscope.graphql.Paths.errors;
import static io.dagscope.graphql.Paths.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dagscope.core.model.RunStatus;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each query against fake ports: the JSON it returns, and what it asked the ports. */
class QueriesTest {

    private static final String TASK_STATS = "started succeeded failed retried errorRate avgDurationSeconds "
            + "p50DurationSeconds p95DurationSeconds p99DurationSeconds durations";
    private static final String DAG_RUN = "id dagName tenant status startedAt endedAt durationSeconds taskCount "
            + "tasksSucceeded tasksFailed tasksRetried error lastEventAt inferred "
            + "tasks { taskId status startedAt endedAt durationSeconds attempts error checkpoint }";

    private final FakeEngine engine = new FakeEngine();
    private final GraphQlApi api = GraphQlApi.of(engine);

    @Test
    void taskSummaryReturnsBothStatsWithLongCountersAndNullsForAbsentDurations() {
        Map<String, Object> result = run("{ taskSummary(window: {hours: 12, end: \"2025-10-21T18:00:00Z\"}, "
                + "tenant: \"acme\") { windowStart windowEnd allTime { " + TASK_STATS + " } window { " + TASK_STATS
                + " } } }");

        assertEquals("2025-10-21T06:00:00Z", at(result, "data.taskSummary.windowStart"));
        assertEquals("2025-10-21T18:00:00Z", at(result, "data.taskSummary.windowEnd"));
        assertEquals(ordered("started", 5_000_000_000L, "succeeded", 4_999_999_990L, "failed", 7L, "retried", 3L,
                "errorRate", 7.0 / 4_999_999_997L, "avgDurationSeconds", 1.5, "p50DurationSeconds", 1.25,
                "p95DurationSeconds", 4.0, "p99DurationSeconds", 9.75, "durations", 4_999_999_997L),
                map(result, "data.taskSummary.allTime"));
        assertEquals(ordered("started", 0L, "succeeded", 0L, "failed", 0L, "retried", 0L, "errorRate", 0.0,
                "avgDurationSeconds", null, "p50DurationSeconds", null, "p95DurationSeconds", null,
                "p99DurationSeconds", null, "durations", 0L), map(result, "data.taskSummary.window"));
        assertEquals(new TaskSummaryQuery.Request(WindowRequest.of(12, Instant.parse("2025-10-21T18:00:00Z")),
                Optional.of("acme"), Optional.empty(), TenantScope.ALL), engine.lastRequest());
    }

    @Test
    void taskSummaryWithoutArgumentsAsksForTheDefaultWindowOfEverything() {
        run("{ taskSummary { windowEnd } }");

        assertEquals(new TaskSummaryQuery.Request(WindowRequest.DEFAULT, Optional.empty(), Optional.empty(),
                TenantScope.ALL), engine.lastRequest());
    }

    @Test
    void dagRunsReturnsAConnectionWithRunsTasksCursorsAndPageInfo() {
        Map<String, Object> result = run("{ dagRuns(first: 1) { totalCount pageInfo { hasNextPage endCursor } "
                + "edges { cursor node { " + DAG_RUN + " } } } }");

        assertEquals(2L, at(result, "data.dagRuns.totalCount"));
        assertEquals(ordered("hasNextPage", true, "endCursor", "cursor:0"), map(result, "data.dagRuns.pageInfo"));
        assertEquals("cursor:0", at(result, "data.dagRuns.edges[0].cursor"));
        Map<String, Object> run = map(result, "data.dagRuns.edges[0].node");
        Map<String, Object> expected = ordered("id", "run-1", "dagName", "nightly_rollup", "tenant", "acme",
                "status", "FAILED", "startedAt", "2025-10-21T17:00:00.123456Z", "endedAt", "2025-10-21T17:01:00Z",
                "durationSeconds", 59.876544, "taskCount", 3, "tasksSucceeded", 1, "tasksFailed", 1,
                "tasksRetried", 2, "error", "boom", "lastEventAt", "2025-10-21T17:01:00Z", "inferred", false);
        expected.put("tasks", List.of(
                ordered("taskId", "extract", "status", "SUCCEEDED", "startedAt", "2025-10-21T17:00:01Z",
                        "endedAt", "2025-10-21T17:00:31Z", "durationSeconds", 30.0, "attempts", 3,
                        "error", "retried: timeout", "checkpoint", false),
                ordered("taskId", "approve", "status", "PAUSED", "startedAt", null, "endedAt", null,
                        "durationSeconds", null, "attempts", 0, "error", null, "checkpoint", true)));
        assertEquals(expected, run);
        assertEquals(List.of(), errors(result));
    }

    @Test
    void dagRunsContinuesAfterACursorAndGivesNullsForARunStillGoing() {
        Map<String, Object> result = run("{ dagRuns(first: 5, after: \"cursor:0\") { pageInfo { hasNextPage "
                + "endCursor } edges { node { " + DAG_RUN + " } } } }");

        assertEquals(ordered("hasNextPage", false, "endCursor", "cursor:1"), map(result, "data.dagRuns.pageInfo"));
        Map<String, Object> run = map(result, "data.dagRuns.edges[0].node");
        assertEquals("RUNNING", run.get("status"));
        assertEquals(true, run.get("inferred"));
        assertEquals(List.of(), run.get("tasks"));
        for (String absent : List.of("endedAt", "durationSeconds", "taskCount", "error")) {
            assertNull(run.get(absent), absent);
            assertEquals(true, run.containsKey(absent), absent);
        }
        assertEquals(Optional.of("cursor:0"), ((DagRunQuery.Request) engine.lastRequest()).after());
    }

    @Test
    void anEmptyPageHasNoEdgesAndANullEndCursor() {
        Map<String, Object> result = run("{ dagRuns(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage "
                + "endCursor } } }");

        assertEquals(List.of(), at(result, "data.dagRuns.edges"));
        assertNull(at(result, "data.dagRuns.pageInfo.endCursor"));
        assertEquals(true, at(result, "data.dagRuns.pageInfo.hasNextPage"));
        assertEquals(2L, at(result, "data.dagRuns.totalCount"));
    }

    @Test
    void dagRunsPassesTheFilterWithEnumStatusesAndOffsetInstantsToThePort() {
        run("{ dagRuns(filter: {tenant: \"acme\", dagName: \"nightly_rollup\", statuses: [FAILED, PAUSED], "
                + "startedAfter: \"2025-10-21T00:00:00+02:00\", startedBefore: \"2025-10-21T18:00:00Z\"}) "
                + "{ totalCount } }");

        assertEquals(new DagRunQuery.Request(20, Optional.empty(), new DagRunQuery.Filter(Optional.of("acme"),
                Optional.of("nightly_rollup"), Set.of(RunStatus.FAILED, RunStatus.PAUSED),
                Optional.of(Instant.parse("2025-10-20T22:00:00Z")), Optional.of(Instant.parse("2025-10-21T18:00:00Z"))),
                TenantScope.ALL), engine.lastRequest());
    }

    @Test
    void dagRunsWithoutArgumentsListsTwentyRunsOfEveryKindAndANullFirstMeansTheSame() {
        run("{ dagRuns { totalCount } }");
        DagRunQuery.Request omitted = (DagRunQuery.Request) engine.lastRequest();
        run("{ dagRuns(first: null, filter: {statuses: []}) { totalCount } }");
        DagRunQuery.Request nulled = (DagRunQuery.Request) engine.lastRequest();

        DagRunQuery.Request expected = new DagRunQuery.Request(20, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.ALL);
        assertEquals(expected, omitted);
        assertEquals(expected, nulled);
    }

    @Test
    void dagRunReturnsTheRunWithItsTasks() {
        Map<String, Object> result = run("{ dagRun(id: \"run-1\") { id status tasks { taskId status } } }");

        assertEquals(ordered("id", "run-1", "status", "FAILED", "tasks", List.of(
                ordered("taskId", "extract", "status", "SUCCEEDED"),
                ordered("taskId", "approve", "status", "PAUSED"))), map(result, "data.dagRun"));
    }

    @Test
    void anUnknownRunIdGivesNullAndNoError() {
        Map<String, Object> result = run("{ dagRun(id: \"no-such-run\") { id } }");

        assertEquals(List.of(), errors(result));
        assertEquals(true, map(result, "data").containsKey("dagRun"));
        assertNull(at(result, "data.dagRun"));
        assertEquals("no-such-run", engine.lastRequest());
    }

    @Test
    void tenantLoadReturnsEachTenantWithLongCountsAndNullLatenciesWhenNoTaskFinished() {
        Map<String, Object> result = run("{ tenantLoad(window: {hours: 6}) { tenant runs tasks errorRate "
                + "avgLatencySeconds p95LatencySeconds } }");

        assertEquals(List.of(
                ordered("tenant", "acme", "runs", 5_000_000_000L, "tasks", 12L, "errorRate", 0.25,
                        "avgLatencySeconds", 2.5, "p95LatencySeconds", 8.0),
                ordered("tenant", "quiet", "runs", 1L, "tasks", 0L, "errorRate", 0.0, "avgLatencySeconds", null,
                        "p95LatencySeconds", null)), at(result, "data.tenantLoad"));
        assertEquals(new WindowRequest(OptionalDouble.of(6), Optional.empty()), engine.lastRequest());
    }

    @Test
    void schedulesReturnsDefinitionsCountsAndTheCronErrorWithNullsWhereUnknown() {
        Map<String, Object> result = run("{ schedules(window: {end: \"2025-10-21T18:00:00Z\"}) { id tenant dagPath "
                + "cron enabled lastRunAt lastStatus nextRunAt missedRuns enqueued started finished succeeded "
                + "failed retried avgDurationSeconds firstEventAt error } }");

        assertEquals(List.of(
                ordered("id", "nightly", "tenant", "acme", "dagPath", "dags/nightly.yaml", "cron", "0 2 * * *",
                        "enabled", true, "lastRunAt", "2025-10-21T02:00:00Z", "lastStatus", "success",
                        "nextRunAt", "2025-10-22T02:00:00Z", "missedRuns", 2, "enqueued", 5_000_000_000L,
                        "started", 4L, "finished", 3L, "succeeded", 2L, "failed", 1L, "retried", 0L,
                        "avgDurationSeconds", 12.5, "firstEventAt", "2025-10-01T02:00:00Z", "error", null),
                ordered("id", "weekly", "tenant", null, "dagPath", null, "cron", "not a cron", "enabled", false,
                        "lastRunAt", null, "lastStatus", null, "nextRunAt", null, "missedRuns", null,
                        "enqueued", 0L, "started", 0L, "finished", 0L, "succeeded", 0L, "failed", 0L,
                        "retried", 0L, "avgDurationSeconds", null, "firstEventAt", null,
                        "error", "cannot parse cron 'not a cron'")), at(result, "data.schedules"));
        assertEquals(new WindowRequest(OptionalDouble.empty(), Optional.of(Instant.parse("2025-10-21T18:00:00Z"))),
                engine.lastRequest());
    }

    @Test
    void sourcesReturnsCountsSkipsByReasonInReasonOrderLagAndHealth() {
        Map<String, Object> result = run("{ sources { name kind location eventsRead linesSkipped ignored "
                + "firstEventAt lastEventAt healthy error skippedByReason { reason count } lagBytes lagObjects } }");

        assertEquals(List.of(
                ordered("name", "events", "kind", "jsonl", "location", "/var/log/orch/events.jsonl",
                        "eventsRead", 5_000_000_000L, "linesSkipped", 5_000_000_003L, "ignored", 2L,
                        "firstEventAt", "2025-10-01T00:00:00Z", "lastEventAt", "2025-10-21T17:59:59.500Z",
                        "healthy", true, "error", null, "skippedByReason", List.of(
                                ordered("reason", "bad_timestamp", "count", 5_000_000_000L),
                                ordered("reason", "malformed_json", "count", 3L)),
                        "lagBytes", 5_000_000_000L, "lagObjects", null),
                ordered("name", "archive", "kind", "s3", "location", "s3://bucket/prefix", "eventsRead", 0L,
                        "linesSkipped", 0L, "ignored", 0L, "firstEventAt", null, "lastEventAt", null,
                        "healthy", false, "error", "access denied", "skippedByReason", List.of(),
                        "lagBytes", null, "lagObjects", 4L)), at(result, "data.sources"));
    }

    @Test
    void windowOfResolvesTheWindowToWholeMinutesInUtc() {
        Map<String, Object> result = run("{ windowOf(window: {hours: 1.5, end: \"2025-10-21T18:00:59.9+02:00\"}) "
                + "{ start end hours } }");

        assertEquals(ordered("start", "2025-10-21T14:30:00Z", "end", "2025-10-21T16:00:00Z", "hours", 1.5),
                map(result, "data.windowOf"));
    }

    @Test
    void windowOfWithoutAWindowGivesTheDefault() {
        Map<String, Object> result = run("{ windowOf { start end hours } }");

        assertEquals(ordered("start", "2025-10-20T18:00:00Z", "end", "2025-10-21T18:00:00Z", "hours", 24.0),
                map(result, "data.windowOf"));
    }

    private Map<String, Object> run(String query) {
        Map<String, Object> result = api.execute(query, null, null, TenantScope.ALL);
        assertEquals(List.of(), errors(result), "errors");
        return result;
    }

    /** A map in the given order that may hold nulls, as the result does. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
