package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.server.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliBehaviourTest {

    @TempDir
    Path tmp;

    private static final Path HEAD = CliRun.SAMPLES.resolve("head");
    private static final String RUNNER = HEAD.resolve("orchestrator_events.jsonl").toString();
    private static final String STATE = HEAD.resolve("orchestrator_state.jsonl").toString();
    private static final String WINDOW = "{hours: 12, end: \"2025-10-21T18:00:00Z\"}";
    private static final String EVERYTHING = "{ taskSummary(window: " + WINDOW + ") { allTime { started succeeded "
            + "failed retried avgDurationSeconds p95DurationSeconds } window { started failed p50DurationSeconds } } "
            + "tenantLoad(window: " + WINDOW + ") { tenant runs tasks errorRate p95LatencySeconds } "
            + "schedules(window: " + WINDOW + ") { id enqueued started finished lastStatus lastRunAt } "
            + "dagRuns(first: 1000) { totalCount edges { node { id tenant status startedAt endedAt tasksSucceeded "
            + "tasksFailed error tasks { taskId status attempts durationSeconds error } } } } }";

    @Test
    void corruptLinesAreSkippedAndCountedByReasonAndNothingElseIsLost() throws IOException {
        Path log = tmp.resolve("events.jsonl");
        byte[] badUtf8 = "{\"timestamp\": \"2025-10-20T10:00:00\", \"event\": \"task_ok\", \"dag_name\": \"d\", \"task_id\": \"\u00ff\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        String good = "{\"timestamp\": \"2025-10-20T10:00:00\", \"event\": \"task_start\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\"}\n";
        try (var out = Files.newOutputStream(log)) {
            out.write(good.getBytes(StandardCharsets.UTF_8));
            out.write("this is not json\n[1, 2, 3]\n\n   \n".getBytes(StandardCharsets.UTF_8));
            out.write("{\"event\": \"task_ok\", \"dag_name\": \"d\", \"task_id\": \"t\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write("{\"timestamp\": \"yesterday\", \"event\": \"task_ok\", \"dag_name\": \"d\", \"task_id\": \"t\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.write("{\"timestamp\": \"2025-10-20T10:00:01\", \"dag_name\": \"d\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write("{\"timestamp\": \"2025-10-20T10:00:01\", \"event\": \"task_ok\", \"task_id\": \"t\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.write(badUtf8);
            out.write('\n');
            out.write("{\"timestamp\": \"2025-10-20T10:00:02\", \"event\": \"resume_token\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.write(good.replace("10:00:00", "10:00:03").getBytes(StandardCharsets.UTF_8));
        }
        CliRun r = CliRun.run("query", "--events", log.toString(), "--state", tmp.resolve("none.jsonl").toString(),
                "{ sources { name eventsRead linesSkipped ignored healthy skippedByReason { reason count } } "
                        + "taskSummary { allTime { started } } }");
        JsonNode d = r.data();
        JsonNode events = d.at("/sources/0");
        assertEquals(3, events.get("eventsRead").asLong(), "two task_starts and one ignored resume_token");
        assertEquals(1, events.get("ignored").asLong());
        assertEquals(7, events.get("linesSkipped").asLong(), "blank lines are neither read nor skipped");
        assertEquals(2, d.at("/taskSummary/allTime/started").asLong());
        String reasons = events.get("skippedByReason").toString();
        for (String reason : List.of("not_json", "not_object", "missing_timestamp", "bad_timestamp", "missing_event",
                "missing_field", "invalid_utf8")) {
            assertTrue(reasons.contains("\"" + reason + "\""), reason + " in " + reasons);
        }
    }

    @Test
    void aMissingLogIsAnUnhealthySourceNotACrash() {
        String missing = tmp.resolve("nope/orchestrator_events.jsonl").toString();
        CliRun r = CliRun.run("query", "--events", missing, "--state", STATE,
                "{ sources { name healthy error eventsRead } schedules { id } }");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode d = r.data();
        assertFalse(d.at("/sources/0/healthy").asBoolean());
        assertTrue(d.at("/sources/0/error").asText().contains("orchestrator_events.jsonl"), d.toString());
        assertTrue(d.at("/sources/1/healthy").asBoolean(), "the other source keeps serving");
        assertEquals(4, d.get("schedules").size());
        assertTrue(r.stderr().contains("source events"), r.stderr());
    }

    @Test
    void theOrderInWhichLogsAreReadNeverChangesAnAnswer() {
        // the state log read before the runner log
        JsonNode runnerFirst = CliRun.run("query", "--events", RUNNER, "--events", STATE, EVERYTHING).data();
        JsonNode stateFirst = CliRun.run("query", "--events", STATE, "--events", RUNNER, EVERYTHING).data();
        assertEquals(runnerFirst, stateFirst);
        assertEquals(runnerFirst, CliRun.run("query", "--events", RUNNER, "--state", STATE, EVERYTHING).data());
    }

    @Test
    void oneRunnerLogSplitAcrossTwoSourcesGivesTheSameAnswersInEitherOrder() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(RUNNER));
        int cut = lines.size() / 2 + 7;
        Path first = tmp.resolve("part1.jsonl");
        Path second = tmp.resolve("part2.jsonl");
        Files.write(first, lines.subList(0, cut));
        Files.write(second, lines.subList(cut, lines.size()));
        JsonNode whole = CliRun.run("query", "--events", RUNNER, "--state", STATE, EVERYTHING).data();
        JsonNode inOrder = CliRun.run("query", "--events", first.toString(), "--events", second.toString(),
                "--state", STATE, EVERYTHING).data();
        JsonNode reversed = CliRun.run("query", "--events", second.toString(), "--events", first.toString(),
                "--state", STATE, EVERYTHING).data();
        assertEquals(whole, inOrder);
        assertEquals(whole, reversed);
    }

    @Test
    void theEnvironmentNamesTheLogsAndTheDefaultWindow() {
        Map<String, String> env = Map.of("ORCH_EVENTS_PATH", RUNNER, "STATE_STORE_PATH", STATE,
                "ORCH_PANEL_WINDOW_H", "6");
        JsonNode d = CliRun.runWith(env, "", "query", "--end", "2025-10-21T18:00:30Z",
                "{ taskSummary { windowStart windowEnd } sources { location } }").data();
        assertEquals("2025-10-21T12:00:00Z", d.at("/taskSummary/windowStart").asText());
        assertEquals("2025-10-21T18:00:00Z", d.at("/taskSummary/windowEnd").asText());
        assertEquals(RUNNER, d.at("/sources/0/location").asText());
        CliRun bad = CliRun.runWith(Map.of("ORCH_PANEL_WINDOW_H", "soon"), "", "query", "--events", RUNNER, "{ sources { name } }");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("ORCH_PANEL_WINDOW_H"), bad.stderr());
    }

    @Test
    void theQueryComesAsTextFromAFileOrFromStdinWithVariables() throws IOException {
        String doc = "query Q($n: Int) { dagRuns(first: $n) { edges { node { id } } } }";
        Path file = tmp.resolve("q.graphql");
        Files.writeString(file, doc);
        JsonNode fromFile = CliRun.run("query", "--events", RUNNER, "--variables", "{\"n\": 3}", "@" + file).data();
        assertEquals(3, fromFile.at("/dagRuns/edges").size());
        JsonNode fromStdin = CliRun.runWith(Map.of(), doc, "query", "--events", RUNNER, "--variables", "{\"n\": 2}",
                "-").data();
        assertEquals(2, fromStdin.at("/dagRuns/edges").size());
        assertEquals(fromFile.at("/dagRuns/edges/0"), fromStdin.at("/dagRuns/edges/0"));
    }

    @Test
    void stdoutHoldsTheResponseAloneAndTheExitStatusSaysWhetherItHasErrors() {
        CliRun ok = CliRun.run("query", "--events", RUNNER, "{ dagRuns(first: 1) { totalCount } }");
        assertEquals(0, ok.exitCode());
        assertTrue(ok.stdout().trim().startsWith("{") && ok.stdout().trim().endsWith("}"));
        CliRun errors = CliRun.run("query", "--events", RUNNER, "{ dagRuns(first: 5000) { totalCount } }");
        assertEquals(1, errors.exitCode());
        assertTrue(errors.json().get("errors").get(0).get("message").asText().contains("first"));
        CliRun badWindow = CliRun.run("query", "--events", RUNNER, "{ taskSummary(window: {hours: -1}) { windowEnd } }");
        assertEquals(1, badWindow.exitCode());
        assertTrue(badWindow.stdout().contains("hours"), badWindow.stdout());
        CliRun unknownRun = CliRun.run("query", "--events", RUNNER, "{ dagRun(id: \"nope\") { id } }");
        assertEquals(0, unknownRun.exitCode());
        assertTrue(unknownRun.data().get("dagRun").isNull());
    }

    @Test
    void aSubscriptionDocumentPrintsTheCurrentAnswerOnceAsTheQueryWould() {
        CliRun query = CliRun.run("query", "--events", RUNNER, "--state", STATE, "--compact", EVERYTHING);
        CliRun subscription = CliRun.run("query", "--events", RUNNER, "--state", STATE, "--compact",
                "subscription Live { dagRuns(first: 3) { totalCount edges { node { id status } } } }");
        assertEquals(0, subscription.exitCode(), subscription.stderr());
        assertEquals(query.data().get("dagRuns").get("totalCount"), subscription.data().get("dagRuns")
                .get("totalCount"));
        assertEquals(3, subscription.data().at("/dagRuns/edges").size(), subscription.stdout());
        assertEquals("", subscription.stderr());
    }

    @Test
    void historyInFilesOrOnTheHeapGivesTheSameAnswersAndLeavesNoFileBehind() throws IOException {
        Path dir = tmp.resolve("history");
        // the legacy sample spans days, so some are sealed into the history store
        String legacyRunner = CliRun.SAMPLES.resolve("legacy-27c").resolve("orchestrator_events.jsonl").toString();
        for (String runner : List.of(RUNNER, legacyRunner)) {
            JsonNode inFiles = CliRun.run("query", "--events", runner, "--state", STATE, "--history-dir",
                    dir.toString(), EVERYTHING).data();
            JsonNode onHeap = CliRun.run("query", "--events", runner, "--state", STATE, "--history", "heap",
                    EVERYTHING).data();
            assertEquals(onHeap, inFiles);
            assertEquals(inFiles, CliRun.run("query", "--events", runner, "--state", STATE, EVERYTHING).data());
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "the engine's files are deleted when the command ends");
            }
        }
        CliRun bad = CliRun.run("query", "--history", "disk", "{ sources { name } }");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("--history must be one of: files, heap"), bad.stderr());
    }

    @Test
    void badUsageExitsTwoWithAMessageNamingTheFlagAndTheAllowedValues() {
        CliRun unknownFlag = CliRun.run("query", "--evnts", RUNNER, "{ sources { name } }");
        assertEquals(2, unknownFlag.exitCode());
        assertTrue(unknownFlag.stderr().contains("--evnts") && unknownFlag.stderr().contains("--events"));
        CliRun weekdays = CliRun.run("query", "--cron-weekdays", "iso", "{ sources { name } }");
        assertEquals(2, weekdays.exitCode());
        assertTrue(weekdays.stderr().contains("unix, scheduler"), weekdays.stderr());
        CliRun hours = CliRun.run("query", "--window-hours", "0", "{ sources { name } }");
        assertEquals(2, hours.exitCode());
        assertTrue(hours.stderr().contains("--window-hours"), hours.stderr());
        CliRun end = CliRun.run("query", "--end", "tomorrow", "{ sources { name } }");
        assertEquals(2, end.exitCode());
        assertTrue(end.stderr().contains("--end"), end.stderr());
        CliRun noQuery = CliRun.run("query", "--events", RUNNER);
        assertEquals(2, noQuery.exitCode());
        assertTrue(noQuery.stderr().contains("QUERY"));
        CliRun scheme = CliRun.run("query", "--events", "ftp://host/x", "{ sources { name } }");
        assertEquals(2, scheme.exitCode());
        assertTrue(scheme.stderr().contains("jsonl"), "lists the schemes available: " + scheme.stderr());
        CliRun command = CliRun.run("frobnicate");
        assertEquals(2, command.exitCode());
        assertTrue(command.stderr().contains("query"), command.stderr());
        assertEquals(0, CliRun.run("query", "--help").exitCode());
        assertTrue(CliRun.run("query", "--help").stdout().contains("--window-hours"));
    }

    @Test
    void summaryPrintsEveryPanelAsTables() {
        CliRun r = CliRun.run("summary", "--events", RUNNER, "--state", STATE, "--schedules",
                HEAD.resolve("configs/schedules").toString(), "--end", "2025-10-21T18:00:00Z", "--window-hours", "12");
        assertEquals(0, r.exitCode(), r.stderr());
        for (String section : List.of("TASKS", "RECENT RUNS (20 of 1,278)", "SCHEDULES (4)", "TENANTS", "DATA QUALITY",
                "acme_ops_sync", "*/5 * * * *", "1.20 %")) {
            assertTrue(r.stdout().contains(section), section + " in:\n" + r.stdout());
        }
    }
}
