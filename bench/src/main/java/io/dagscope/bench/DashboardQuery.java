package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's queries as one GraphQL document, and how its response becomes {@link Answers}.
 */
public final class DashboardQuery {

    private DashboardQuery() {
    }

    /**
     * The document: task summary (all time and window), tenant load, the {@value Answers#NEWEST_RUNS} newest runs
     * with the total, the schedules, and what the sources read.
     *
     * @param hours the window's length
     * @param end the window's end (rounded down to the minute by the API)
     * @return the document's text
     */
    public static String document(double hours, Instant end) {
        String window = String.format(Locale.ROOT, "{hours: %s, end: \"%s\"}", hours, end);
        return "{\n"
                + "  taskSummary(window: " + window + ") {\n"
                + "    windowStart windowEnd allTime { ...stats } window { ...stats }\n"
                + "  }\n"
                + "  tenantLoad(window: " + window + ") {\n"
                + "    tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds\n"
                + "  }\n"
                + "  dagRuns(first: " + Answers.NEWEST_RUNS + ") {\n"
                + "    totalCount\n"
                + "    edges { node { id dagName tenant status startedAt endedAt durationSeconds taskCount\n"
                + "                   tasksSucceeded tasksFailed tasksRetried error } }\n"
                + "  }\n"
                + "  schedules(window: " + window + ") {\n"
                + "    id enqueued started finished succeeded failed retried avgDurationSeconds lastRunAt lastStatus\n"
                + "  }\n"
                + "  sources { name eventsRead linesSkipped }\n"
                + "}\n"
                + "fragment stats on TaskStats {\n"
                + "  started succeeded failed retried errorRate durations\n"
                + "  avgDurationSeconds p50DurationSeconds p95DurationSeconds p99DurationSeconds\n"
                + "}\n";
    }

    /**
     * Reads a response to {@link #document}.
     *
     * @param response the whole response ({@code data}, maybe {@code errors})
     * @return the answers
     * @throws IllegalArgumentException if the response has errors or no data
     */
    public static Answers answers(JsonNode response) {
        JsonNode errors = response.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new IllegalArgumentException("the GraphQL response has errors: " + errors);
        }
        JsonNode data = response.path("data");
        if (!data.isObject()) {
            throw new IllegalArgumentException("the GraphQL response has no data: " + response);
        }
        JsonNode summary = data.path("taskSummary");
        List<Answers.Tenant> tenants = new ArrayList<>();
        for (JsonNode t : data.path("tenantLoad")) {
            tenants.add(new Answers.Tenant(t.path("tenant").asText(), t.path("runs").asLong(), t.path("tasks").asLong(),
                    t.path("errorRate").asDouble(), number(t, "avgLatencySeconds"), number(t, "p95LatencySeconds")));
        }
        List<Answers.Run> runs = new ArrayList<>();
        for (JsonNode edge : data.path("dagRuns").path("edges")) {
            JsonNode n = edge.path("node");
            runs.add(new Answers.Run(n.path("id").asText(), n.path("dagName").asText(), n.path("tenant").asText(),
                    n.path("status").asText(), micros(n.path("startedAt").asText()), instant(n, "endedAt"),
                    number(n, "durationSeconds"), n.path("taskCount").isNull() ? null : n.path("taskCount").asInt(),
                    n.path("tasksSucceeded").asLong(), n.path("tasksFailed").asLong(),
                    n.path("tasksRetried").asLong(), text(n, "error")));
        }
        List<Answers.Schedule> schedules = new ArrayList<>();
        for (JsonNode s : data.path("schedules")) {
            schedules.add(new Answers.Schedule(s.path("id").asText(), s.path("enqueued").asLong(),
                    s.path("started").asLong(), s.path("finished").asLong(), s.path("succeeded").asLong(),
                    s.path("failed").asLong(), s.path("retried").asLong(), number(s, "avgDurationSeconds"),
                    instant(s, "lastRunAt"), text(s, "lastStatus")));
        }
        long events = 0;
        for (JsonNode source : data.path("sources")) {
            events += source.path("eventsRead").asLong();
        }
        return new Answers(events, micros(summary.path("windowStart").asText()),
                micros(summary.path("windowEnd").asText()), stats(summary.path("allTime")),
                stats(summary.path("window")), tenants, data.path("dagRuns").path("totalCount").asLong(), runs,
                schedules);
    }

    private static Answers.Stats stats(JsonNode s) {
        return new Answers.Stats(s.path("started").asLong(), s.path("succeeded").asLong(), s.path("failed").asLong(),
                s.path("retried").asLong(), s.path("errorRate").asDouble(), s.path("durations").asLong(),
                number(s, "avgDurationSeconds"), number(s, "p50DurationSeconds"), number(s, "p95DurationSeconds"),
                number(s, "p99DurationSeconds"));
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static Long instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? micros(v.asText()) : null;
    }

    static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }
}
