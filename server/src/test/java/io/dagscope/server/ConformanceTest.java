package io.dagscope.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every number METRICS.md defines, asked of the CLI on the sample logs and compared with the contract's expected
 * answers (fixtures/conformance, computed by an independent implementation), with the contract's tolerances:
 * counts and times exactly, durations to 1 ms, quantiles within 1 %. The same comparison as
 * {@code ../shared/conformance/run}, but over every run's tasks rather than a sample.
 */
class ConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATS = "started succeeded failed retried errorRate avgDurationSeconds "
            + "p50DurationSeconds p95DurationSeconds p99DurationSeconds";
    private static final String RUN = "id dagName tenant status startedAt endedAt durationSeconds taskCount "
            + "tasksSucceeded tasksFailed tasksRetried error tasks { taskId status startedAt endedAt durationSeconds "
            + "attempts error }";

    private final List<String> mismatches = new ArrayList<>();
    private int checks;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"legacy-27c", "head"})
    void everyAnswerMatchesTheExpectedAnswers(String set) throws IOException {
        Path dir = CliRun.SAMPLES.resolve(set);
        Path expectedDir = Path.of("..", "fixtures", "conformance");
        JsonNode want = JSON.readTree(expectedDir.resolve(set + ".json").toFile());
        Map<String, String> params = params(expectedDir.resolve(set + ".params"));
        String window = "{hours: " + params.get("HOURS") + ", end: \"" + params.get("END") + "\"}";
        String[] inputs = {"--events", dir.resolve("orchestrator_events.jsonl").toString(), "--state",
            dir.resolve("orchestrator_state.jsonl").toString(), "--schedules",
            dir.resolve("configs/schedules").toString()};

        List<String> tenants = sortedNames(want.get("taskSummaryByTenant"));
        List<String> dags = sortedNames(want.get("taskSummaryByDag"));
        StringBuilder q = new StringBuilder("{ all: taskSummary(window: " + window + ") { windowStart windowEnd "
                + "allTime { " + STATS + " } window { " + STATS + " } }\n");
        for (int i = 0; i < tenants.size(); i++) {
            q.append("t").append(i).append(": taskSummary(window: ").append(window).append(", tenant: ")
                    .append(JSON.writeValueAsString(tenants.get(i))).append(") { allTime { ").append(STATS)
                    .append(" } window { ").append(STATS).append(" } }\n");
        }
        for (int i = 0; i < dags.size(); i++) {
            q.append("d").append(i).append(": taskSummary(window: ").append(window).append(", dagName: ")
                    .append(JSON.writeValueAsString(dags.get(i))).append(") { window { ").append(STATS)
                    .append(" } }\n");
        }
        q.append("load: tenantLoad(window: ").append(window)
                .append(") { tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds }\n");
        q.append("schedules: schedules(window: ").append(window).append(") { id tenant dagPath cron enabled lastRunAt "
                + "lastStatus nextRunAt missedRuns enqueued started finished succeeded failed retried "
                + "avgDurationSeconds } }");
        JsonNode d = CliRun.run(concat(new String[] {"query", "--compact"}, inputs, new String[] {q.toString()}))
                .data();

        time("windowStart", want.get("windowStart"), d.at("/all/windowStart"));
        time("windowEnd", want.get("windowEnd"), d.at("/all/windowEnd"));
        stats("allTime", want.at("/taskSummary/allTime"), d.at("/all/allTime"));
        stats("window", want.at("/taskSummary/window"), d.at("/all/window"));
        for (int i = 0; i < tenants.size(); i++) {
            JsonNode w = want.get("taskSummaryByTenant").get(tenants.get(i));
            stats("tenant " + tenants.get(i) + " allTime", w.get("allTime"), d.at("/t" + i + "/allTime"));
            stats("tenant " + tenants.get(i) + " window", w.get("window"), d.at("/t" + i + "/window"));
        }
        for (int i = 0; i < dags.size(); i++) {
            stats("dag " + dags.get(i), want.get("taskSummaryByDag").get(dags.get(i)).get("window"),
                    d.at("/d" + i + "/window"));
        }
        List<String> wantOrder = new ArrayList<>();
        want.get("tenantLoad").forEach(x -> wantOrder.add(x.get("tenant").asText()));
        List<String> gotOrder = new ArrayList<>();
        d.get("load").forEach(x -> gotOrder.add(x.get("tenant").asText()));
        eq("tenantLoad order", wantOrder, gotOrder);
        for (int i = 0; i < Math.min(wantOrder.size(), gotOrder.size()); i++) {
            JsonNode w = want.get("tenantLoad").get(i);
            JsonNode g = d.get("load").get(i);
            String where = "tenantLoad " + w.get("tenant").asText();
            eq(where + " runs", w.get("runs").asLong(), g.get("runs").asLong());
            eq(where + " tasks", w.get("tasks").asLong(), g.get("tasks").asLong());
            num(where + " errorRate", w.get("errorRate"), g.get("errorRate"), 0, 1e-9);
            num(where + " avg", w.get("avgLatencySeconds"), g.get("avgLatencySeconds"), 0, 1e-3);
            num(where + " p95", w.get("p95LatencySeconds"), g.get("p95LatencySeconds"), 0.01, 1e-3);
        }
        Map<String, JsonNode> gotSchedules = new HashMap<>();
        d.get("schedules").forEach(s -> gotSchedules.put(s.get("id").asText(), s));
        eq("schedule count", want.get("schedules").size(), d.get("schedules").size());
        for (JsonNode w : want.get("schedules")) {
            JsonNode g = gotSchedules.get(w.get("id").asText());
            String where = "schedule " + w.get("id").asText();
            if (g == null) {
                mismatches.add(where + " missing");
                continue;
            }
            for (String k : List.of("enqueued", "started", "finished", "succeeded", "failed", "retried", "lastStatus",
                    "tenant", "dagPath", "cron", "missedRuns", "enabled")) {
                eq(where + " " + k, w.get(k), g.get(k));
            }
            time(where + " lastRunAt", w.get("lastRunAt"), g.get("lastRunAt"));
            time(where + " nextRunAt", w.get("nextRunAt"), g.get("nextRunAt"));
            num(where + " avg", w.get("avgDurationSeconds"), g.get("avgDurationSeconds"), 0, 1e-3);
        }

        // every run, paged, with every task
        List<JsonNode> runs = new ArrayList<>();
        String after = null;
        long total = -1;
        do {
            String args = "first: 400" + (after == null ? "" : ", after: " + JSON.writeValueAsString(after));
            JsonNode page = CliRun.run(concat(new String[] {"query", "--compact"}, inputs, new String[] {
                "{ dagRuns(" + args + ") { totalCount pageInfo { hasNextPage endCursor } edges { node { " + RUN
                        + " } } } }"})).data().get("dagRuns");
            total = page.get("totalCount").asLong();
            page.get("edges").forEach(e -> runs.add(e.get("node")));
            after = page.at("/pageInfo/hasNextPage").asBoolean() ? page.at("/pageInfo/endCursor").asText() : null;
        } while (after != null);
        JsonNode wantRuns = want.get("dagRuns");
        eq("dagRuns totalCount", (long) wantRuns.size(), total);
        eq("dagRuns count", wantRuns.size(), runs.size());
        for (int i = 0; i < Math.min(wantRuns.size(), runs.size()); i++) {
            JsonNode w = wantRuns.get(i);
            JsonNode g = runs.get(i);
            String where = "run #" + i + " " + w.get("dagName").asText() + " " + w.get("startedAt").asText();
            eq(where + " dagName", w.get("dagName"), g.get("dagName"));
            time(where + " startedAt", w.get("startedAt"), g.get("startedAt"));
            if (!w.get("id").asText().contains("|")) {
                eq(where + " id", w.get("id"), g.get("id"));
            }
            for (String k : List.of("tenant", "status", "taskCount", "tasksSucceeded", "tasksFailed", "tasksRetried",
                    "error")) {
                eq(where + " " + k, w.get(k), g.get(k));
            }
            time(where + " endedAt", w.get("endedAt"), g.get("endedAt"));
            num(where + " duration", w.get("durationSeconds"), g.get("durationSeconds"), 0, 1e-3);
            Map<String, JsonNode> gotTasks = new HashMap<>();
            g.get("tasks").forEach(t -> gotTasks.put(t.get("taskId").asText(), t));
            eq(where + " task count", w.get("tasks").size(), g.get("tasks").size());
            for (JsonNode wt : w.get("tasks")) {
                JsonNode gt = gotTasks.get(wt.get("taskId").asText());
                String tw = where + " task " + wt.get("taskId").asText();
                if (gt == null) {
                    mismatches.add(tw + " missing");
                    continue;
                }
                eq(tw + " status", wt.get("status"), gt.get("status"));
                eq(tw + " attempts", wt.get("attempts"), gt.get("attempts"));
                eq(tw + " error", wt.get("error"), gt.get("error"));
                time(tw + " startedAt", wt.get("startedAt"), gt.get("startedAt"));
                time(tw + " endedAt", wt.get("endedAt"), gt.get("endedAt"));
                num(tw + " duration", wt.get("durationSeconds"), gt.get("durationSeconds"), 0, 1e-3);
            }
        }
        assertTrue(checks > 1000, "the comparison ran");
        assertEquals(List.of(), mismatches.subList(0, Math.min(25, mismatches.size())),
                mismatches.size() + " mismatches in " + checks + " checks");
    }

    private void stats(String where, JsonNode want, JsonNode got) {
        for (String k : List.of("started", "succeeded", "failed", "retried")) {
            eq(where + " " + k, want.get(k).asLong(), got.get(k).asLong());
        }
        num(where + " errorRate", want.get("errorRate"), got.get("errorRate"), 0, 1e-9);
        num(where + " avg", want.get("avgDurationSeconds"), got.get("avgDurationSeconds"), 0, 1e-3);
        for (String k : List.of("p50DurationSeconds", "p95DurationSeconds", "p99DurationSeconds")) {
            num(where + " " + k, want.get(k), got.get(k), 0.01, 1e-3);
        }
    }

    private void eq(String where, Object want, Object got) {
        checks++;
        Object w = want instanceof JsonNode n && n.isNull() ? null : want;
        Object g = got instanceof JsonNode n && (n.isNull() || n.isMissingNode()) ? null : got;
        if (w instanceof JsonNode wn && g instanceof JsonNode gn && wn.isNumber() && gn.isNumber()) {
            w = wn.asLong();
            g = gn.asLong();
        }
        if (w == null ? g != null : !w.equals(g)) {
            mismatches.add(where + ": want " + w + ", got " + g);
        }
    }

    private void num(String where, JsonNode want, JsonNode got, double rel, double abs) {
        checks++;
        boolean wNull = want == null || want.isNull();
        boolean gNull = got == null || got.isNull() || got.isMissingNode();
        if (wNull || gNull) {
            if (wNull != gNull) {
                mismatches.add(where + ": want " + want + ", got " + got);
            }
            return;
        }
        double w = want.asDouble();
        double g = got.asDouble();
        if (Math.abs(w - g) > Math.max(abs, rel * Math.abs(w)) + 1e-9) {
            mismatches.add(where + ": want " + w + ", got " + g);
        }
    }

    private void time(String where, JsonNode want, JsonNode got) {
        checks++;
        boolean wNull = want == null || want.isNull();
        boolean gNull = got == null || got.isNull() || got.isMissingNode();
        if (wNull || gNull) {
            if (wNull != gNull) {
                mismatches.add(where + ": want " + want + ", got " + got);
            }
            return;
        }
        Instant w = OffsetDateTime.parse(want.asText()).toInstant();
        String text = got.asText();
        if (!text.endsWith("Z")) {
            mismatches.add(where + ": output must be UTC with Z, got " + text);
            return;
        }
        Instant g = Instant.parse(text);
        if (Math.abs(w.toEpochMilli() * 1000 + w.getNano() / 1000 % 1000 - (g.toEpochMilli() * 1000
                + g.getNano() / 1000 % 1000)) > 1) {
            mismatches.add(where + ": want " + w + ", got " + g);
        }
    }

    private static Map<String, String> params(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private static List<String> sortedNames(JsonNode object) {
        TreeSet<String> names = new TreeSet<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return new ArrayList<>(names);
    }

    private static String[] concat(String[]... parts) {
        List<String> out = new ArrayList<>();
        for (String[] p : parts) {
            out.addAll(List.of(p));
        }
        return out.toArray(new String[0]);
    }
}
