package io.dagscope.server.snapshots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A GraphQL document that asks for every kind of answer, for comparing a server or query with another. */
public final class SnapshotDocuments {

    private static final String STATS = "started succeeded failed retried errorRate avgDurationSeconds "
            + "p50DurationSeconds p95DurationSeconds p99DurationSeconds";

    private SnapshotDocuments() {
    }

    /**
     * @param end the window's end, ISO-8601
     * @param withSources whether to ask for the sources' figures too (lag left out: a one-shot read has none)
     * @return the document
     */
    public static String everything(String end, boolean withSources) {
        String w = "{hours: 24, end: \"" + end + "\"}";
        String week = "{hours: 2000, end: \"" + end + "\"}";
        return "{ s: taskSummary(window: " + w + ") { windowStart windowEnd allTime { " + STATS + " } window { "
                + STATS + " } }\n"
                + "wk: taskSummary(window: " + week + ") { window { " + STATS + " } }\n"
                + "runs: dagRuns(first: 1000) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id "
                + "dagName tenant status startedAt endedAt durationSeconds taskCount tasksSucceeded tasksFailed "
                + "tasksRetried error tasks { taskId status startedAt endedAt durationSeconds attempts error "
                + "checkpoint } } } }\n"
                + "failedRuns: dagRuns(first: 1000, filter: {statuses: [FAILED, PAUSED]}) { totalCount edges { node "
                + "{ id error endedAt } } }\n"
                + "load: tenantLoad(window: " + week + ") { tenant runs tasks errorRate avgLatencySeconds "
                + "p95LatencySeconds }\n"
                + "schedules(window: " + w + ") { id tenant dagPath cron enabled lastRunAt lastStatus nextRunAt "
                + "missedRuns }\n"
                + "series: taskSeries(window: " + w + ") { windowStart bucketMinutes buckets { start end runsStarted "
                + "stats { " + STATS + " } } }\n"
                + "failures(window: " + week + ", first: 1000) { signature exampleError count firstSeen lastSeen dags "
                + "tenants exampleRunId exampleTaskId }\n"
                + "counts: runCounts { running paused stale succeeded failed }\n"
                + "tenants dagNames\n"
                + (withSources ? "sources { name kind location eventsRead linesSkipped ignored firstEventAt "
                        + "lastEventAt healthy error skippedByReason { reason count } }\n" : "")
                + "}";
    }

    /** @return the data without the sources' figures */
    public static JsonNode withoutSources(JsonNode data) {
        ObjectNode copy = data.deepCopy();
        copy.remove("sources");
        return copy;
    }
}
