package io.dagscope.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The CLI on every sample log, checked against numbers this test derives on its own from the raw lines (read with a
 * plain JSON tree parser, not the product's decoder), and against the sample README's published line counts.
 */
class SampleLogsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static long micros(String ts) {
        String s = ts.replace("Z", "+00:00");
        boolean hasOffset = s.length() > 19 && (s.lastIndexOf('+') > 10 || s.lastIndexOf('-') > 10);
        java.time.Instant i = hasOffset ? OffsetDateTime.parse(s).toInstant()
                : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    private static long count(List<JsonNode> lines, String event) {
        return lines.stream().filter(l -> l.path("event").asText().equals(event)).count();
    }

    private static CliRun query(String set, String document) {
        Path dir = CliRun.SAMPLES.resolve(set);
        return CliRun.run("query", "--events", dir.resolve("orchestrator_events.jsonl").toString(), "--state",
                dir.resolve("orchestrator_state.jsonl").toString(), "--schedules",
                dir.resolve("configs/schedules").toString(), document);
    }

    @Test
    void headRunsCountersAndDurationsEqualWhatTheRawLinesSay() throws IOException {
        Path dir = CliRun.SAMPLES.resolve("head");
        List<JsonNode> runner = lines(dir.resolve("orchestrator_events.jsonl"));
        List<JsonNode> state = lines(dir.resolve("orchestrator_state.jsonl"));
        // the README's published counts
        assertEquals(13_137, runner.size());
        assertEquals(5_201, count(runner, "task_start"));

        Set<String> runIds = new HashSet<>();
        runner.forEach(l -> runIds.add(l.get("dag_run_id").asText()));
        // durations: each task_ok/task_fail minus the latest earlier task_start of the task in its run, in file order
        Map<String, Long> lastStart = new HashMap<>();
        List<Long> durations = new ArrayList<>();
        Set<String> failedRuns = new HashSet<>();
        Map<String, JsonNode> lastEvent = new HashMap<>();
        for (JsonNode l : runner) {
            String run = l.get("dag_run_id").asText();
            String key = run + "/" + l.path("task_id").asText();
            long at = micros(l.get("timestamp").asText());
            JsonNode prev = lastEvent.get(run);
            if (prev == null || micros(prev.get("timestamp").asText()) <= at) {
                lastEvent.put(run, l);
            }
            switch (l.get("event").asText()) {
                case "task_start" -> lastStart.put(key, at);
                case "task_ok", "task_fail" -> {
                    if (lastStart.containsKey(key)) {
                        durations.add(at - lastStart.get(key));
                    }
                    if (l.get("event").asText().equals("task_fail")) {
                        failedRuns.add(run);
                    }
                }
                default -> { }
            }
        }
        Set<String> expiredRuns = new HashSet<>();
        state.stream().filter(l -> l.path("event").asText().equals("checkpoint_expired"))
                .forEach(l -> expiredRuns.add(l.get("dag_run_id").asText()));
        long paused = lastEvent.entrySet().stream().filter(e -> !failedRuns.contains(e.getKey())
                && !expiredRuns.contains(e.getKey())
                && e.getValue().get("event").asText().equals("checkpoint_pending")).count();
        Set<String> failed = new HashSet<>(failedRuns);
        failed.addAll(expiredRuns);

        JsonNode d = query("head", "{ taskSummary(window: {hours: 48, end: \"2025-10-22T14:00:00Z\"}) { allTime { "
                + "started succeeded failed retried avgDurationSeconds p50DurationSeconds p95DurationSeconds "
                + "p99DurationSeconds } } all: dagRuns(first: 0) { totalCount } "
                + "failed: dagRuns(first: 0, filter: {statuses: [FAILED]}) { totalCount } "
                + "paused: dagRuns(first: 0, filter: {statuses: [PAUSED]}) { totalCount } "
                + "sources { name eventsRead linesSkipped ignored } }").data();
        JsonNode all = d.at("/taskSummary/allTime");
        assertEquals(count(runner, "task_start"), all.get("started").asLong());
        assertEquals(count(runner, "task_ok"), all.get("succeeded").asLong());
        assertEquals(count(runner, "task_fail"), all.get("failed").asLong());
        assertEquals(count(runner, "task_retry"), all.get("retried").asLong());
        assertEquals(durations.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6,
                all.get("avgDurationSeconds").asDouble(), 1e-3);
        durations.sort(null);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double exact = durations.get((int) Math.ceil(q * durations.size()) - 1) / 1e6;
            double got = all.get("p" + Math.round(q * 100) + "DurationSeconds").asDouble();
            assertTrue(Math.abs(exact - got) <= 0.01 * exact, "p" + q + ": exact " + exact + ", got " + got);
        }
        assertEquals(runIds.size(), d.at("/all/totalCount").asLong());
        assertEquals(failed.size(), d.at("/failed/totalCount").asLong());
        assertEquals(paused, d.at("/paused/totalCount").asLong());
        assertEquals(runner.size(), d.at("/sources/0/eventsRead").asLong());
        assertEquals(state.size(), d.at("/sources/1/eventsRead").asLong());
        assertEquals(count(state, "resume_token"), d.at("/sources/1/ignored").asLong());
        assertEquals(0, d.at("/sources/0/linesSkipped").asLong() + d.at("/sources/1/linesSkipped").asLong());
    }

    @Test
    void legacyRunsAreInferredOnePerDagStartWithEveryEndFound() throws IOException {
        Path dir = CliRun.SAMPLES.resolve("legacy-27c");
        List<JsonNode> runner = lines(dir.resolve("orchestrator_events.jsonl"));
        assertTrue(runner.stream().noneMatch(l -> l.has("dag_run_id")), "legacy lines carry no run id");
        JsonNode d = query("legacy-27c", "{ all: dagRuns(first: 0) { totalCount } "
                + "ok: dagRuns(first: 0, filter: {statuses: [SUCCEEDED]}) { totalCount } "
                + "failed: dagRuns(first: 0, filter: {statuses: [FAILED]}) { totalCount } "
                + "running: dagRuns(first: 0, filter: {statuses: [RUNNING, PAUSED]}) { totalCount } }").data();
        assertEquals(count(runner, "dag_start"), d.at("/all/totalCount").asLong());
        assertEquals(count(runner, "dag_done"), d.at("/ok/totalCount").asLong());
        assertEquals(count(runner, "task_fail"), d.at("/failed/totalCount").asLong());
        assertEquals(0, d.at("/running/totalCount").asLong(), "every run gets its true end");
    }

    @Test
    void scheduleCountersEqualTheStateLogsLines() throws IOException {
        for (String set : List.of("legacy-27c", "head")) {
            List<JsonNode> state = lines(CliRun.SAMPLES.resolve(set).resolve("orchestrator_state.jsonl"));
            Map<String, long[]> want = new TreeMap<>();
            for (JsonNode l : state) {
                if (!l.has("schedule_id")) {
                    continue;
                }
                long[] c = want.computeIfAbsent(l.get("schedule_id").asText(), k -> new long[6]);
                switch (l.get("event").asText()) {
                    case "schedule_enqueued" -> c[0]++;
                    case "run_started" -> c[1]++;
                    case "run_finished" -> {
                        c[2]++;
                        switch (l.get("status").asText()) {
                            case "success" -> c[3]++;
                            case "failed" -> c[4]++;
                            case "retry" -> c[5]++;
                            default -> { }
                        }
                    }
                    default -> { }
                }
            }
            JsonNode got = query(set, "{ schedules { id enqueued started finished succeeded failed retried } }")
                    .data().get("schedules");
            assertEquals(want.size(), got.size(), set);
            int i = 0;
            for (Map.Entry<String, long[]> e : want.entrySet()) {
                JsonNode g = got.get(i++);
                assertEquals(e.getKey(), g.get("id").asText(), set + " order");
                long[] c = e.getValue();
                assertEquals(List.of(c[0], c[1], c[2], c[3], c[4], c[5]), List.of(g.get("enqueued").asLong(),
                        g.get("started").asLong(), g.get("finished").asLong(), g.get("succeeded").asLong(),
                        g.get("failed").asLong(), g.get("retried").asLong()), set + " " + e.getKey());
            }
        }
    }
}
