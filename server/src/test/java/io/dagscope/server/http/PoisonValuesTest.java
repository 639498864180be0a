package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lines whose numbers are extreme but parseable (durations near the largest double, counts in the billions, negative
 * attempts), appended to the logs a real server follows: they are skipped as {@code out_of_range} and counted per
 * source, and every answer, asked by another caller over HTTP, stays complete, finite and exact for the good lines.
 */
class PoisonValuesTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);
    private static final String SCHEDULE = "acme_ops_sync";

    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static final List<String> BAD_STATE = List.of(
            finished("1.7976931348623157e308", "13:50:00"),
            finished("1.7976931348623157e308", "13:50:01"),
            finished("-1.7976931348623157e308", "13:50:02"),
            finished("\"1e308\"", "13:50:03"),
            finished("1e10", "13:50:04"));

    private static final List<String> BAD_EVENTS = List.of(
            "{\"timestamp\": \"2025-10-22T13:41:00+00:00\", \"event\": \"dag_start\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-bad\", \"tenant\": \"poisoned\", \"task_count\": 1e300}",
            "{\"timestamp\": \"2025-10-22T13:41:01+00:00\", \"event\": \"task_ok\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-bad\", \"task_id\": \"fetch\", \"attempt\": 2147483648}",
            "{\"timestamp\": \"2025-10-22T13:41:02+00:00\", \"event\": \"task_retry\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-bad\", \"task_id\": \"fetch\", \"attempt\": -1, \"error\": \"x\"}",
            "{\"timestamp\": \"2025-10-22T13:41:03+00:00\", \"event\": \"dag_done\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-bad\", \"tenant\": \"poisoned\", \"duration_seconds\": 1e308}",
            "{\"timestamp\": \"2025-10-22T13:41:04+00:00\", \"event\": \"dag_done\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-bad\", \"tasks_failed\": -1, \"duration_seconds\": 1.0}");

    private static final List<String> GOOD_EVENTS = List.of(
            "{\"timestamp\": \"2025-10-22T13:42:00+00:00\", \"event\": \"dag_start\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-good\", \"tenant\": \"clean\", \"task_count\": 1}",
            "{\"timestamp\": \"2025-10-22T13:42:01+00:00\", \"event\": \"task_start\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-good\", \"task_id\": \"fetch\", \"workflow_ref\": \"crm_fetch\"}",
            "{\"timestamp\": \"2025-10-22T13:42:04.500000+00:00\", \"event\": \"task_ok\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-good\", \"task_id\": \"fetch\", \"attempt\": 1}",
            "{\"timestamp\": \"2025-10-22T13:42:05+00:00\", \"event\": \"dag_done\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"poison-good\", \"tenant\": \"clean\", \"tasks_succeeded\": 1, "
                    + "\"tasks_failed\": 0, \"duration_seconds\": 5.0}");

    private static String finished(String duration, String time) {
        return "{\"event\": \"run_finished\", \"schedule_id\": \"" + SCHEDULE + "\", \"dag_path\": "
                + "\"configs/dags/ops_sync.yaml\", \"tenant\": \"acme-corp\", \"status\": \"success\", "
                + "\"duration_seconds\": " + duration + ", \"timestamp\": \"2025-10-22T" + time + "+00:00\"}";
    }

    private static final String QUERY = "{ schedules { id finished succeeded avgDurationSeconds "
            + "recentOutcomes { durationSeconds } } "
            + "taskSummary(window: {end: \"2025-10-22T14:00:00Z\", hours: 72}) { allTime { succeeded retried "
            + "avgDurationSeconds p50DurationSeconds p95DurationSeconds p99DurationSeconds durations } "
            + "window { succeeded avgDurationSeconds p99DurationSeconds } } "
            + "tenantLoad(window: {end: \"2025-10-22T14:00:00Z\", hours: 72}) { tenant tasks avgLatencySeconds } "
            + "good: dagRun(id: \"poison-good\") { status taskCount tasksSucceeded durationSeconds "
            + "tasks { taskId attempts durationSeconds } } "
            + "bad: dagRun(id: \"poison-bad\") { status } "
            + "sources { name linesSkipped skippedByReason { reason count } } }";

    @Test
    void extremeNumbersAreSkippedAndCountedAndEveryAnswerStaysCompleteFiniteAndExact() throws IOException {
        JsonNode before = answer(new Http(fixture.server.port()));
        long succeededBefore = before.at("/taskSummary/allTime/succeeded").asLong();
        Sample sample = sample();

        append(fixture.state, BAD_STATE);
        append(fixture.state, List.of(finished("12.5", "13:55:00")));
        append(fixture.events, BAD_EVENTS);
        append(fixture.events, GOOD_EVENTS);

        // another caller, on another connection, once the server has read everything appended
        Http other = new Http(fixture.server.port());
        JsonNode after = awaitAnswer(other, a -> skipped(a, "state") == BAD_STATE.size()
                && skipped(a, "events") == BAD_EVENTS.size() && "SUCCEEDED".equals(a.at("/good/status").asText()));

        JsonNode schedule = schedule(after, SCHEDULE);
        assertEquals(sample.finished() + 1, schedule.get("finished").asLong(), "only the good line counts");
        assertEquals((sample.durationSum() + 12.5) / (sample.durations() + 1),
                schedule.get("avgDurationSeconds").asDouble(), 1e-9);
        assertEquals(12.5, schedule.at("/recentOutcomes").get(schedule.at("/recentOutcomes").size() - 1)
                .get("durationSeconds").asDouble(), "the newest outcome is the good line's");
        assertEquals(succeededBefore + 1, after.at("/taskSummary/allTime/succeeded").asLong());
        JsonNode good = after.get("good");
        assertEquals(1, good.get("taskCount").asInt());
        assertEquals(1, good.get("tasksSucceeded").asInt());
        assertEquals(5.0, good.get("durationSeconds").asDouble());
        assertEquals(1, good.at("/tasks/0/attempts").asInt());
        assertEquals(3.5, good.at("/tasks/0/durationSeconds").asDouble());
        assertTrue(after.get("bad").isNull(), "every line of the bad run was skipped: " + after.get("bad"));
        assertTrue(tenants(after).contains("clean") && !tenants(after).contains("poisoned"), after.toString());

        Http.Response metrics = other.get("/metrics");
        assertTrue(metrics.body().contains("# TYPE dagscope_source_lines_skipped_total counter"), metrics.body());
        assertTrue(metrics.body().contains("dagscope_source_lines_skipped_total{reason=\"out_of_range\",source=\"state\"} "
                + BAD_STATE.size()), metrics.body());
        assertTrue(metrics.body().contains("dagscope_source_lines_skipped_total{reason=\"out_of_range\",source=\"events\"} "
                + BAD_EVENTS.size()), metrics.body());
    }

    /** Sends the query; asserts the answer has no error and only finite numbers. */
    private static JsonNode answer(Http http) {
        Http.Response r = http.graphql(QUERY, null);
        assertEquals(200, r.status(), r.body());
        JsonNode json;
        try {
            json = Http.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (a non-finite number?): " + r.body(), e);
        }
        assertNull(json.get("errors"), r.body());
        assertFinite(json.get("data"), r.body());
        return json.get("data");
    }

    private static JsonNode awaitAnswer(Http http, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(GENEROUS);
        JsonNode last = answer(http);
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the appended lines were not read in " + GENEROUS + ": " + last);
            }
            pause();
            last = answer(http);
        }
        return last;
    }

    /** A short pause between two looks at the server (the verdict is the condition's, never the pause's). */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertFinite(JsonNode node, String body) {
        if (node.isNumber()) {
            assertTrue(Double.isFinite(node.asDouble()), body);
        }
        node.forEach(child -> assertFinite(child, body));
    }

    private static long skipped(JsonNode data, String source) {
        for (JsonNode s : data.get("sources")) {
            if (s.get("name").asText().equals(source)) {
                for (JsonNode c : s.get("skippedByReason")) {
                    if (c.get("reason").asText().equals("out_of_range")) {
                        return c.get("count").asLong();
                    }
                }
            }
        }
        return 0;
    }

    private static JsonNode schedule(JsonNode data, String id) {
        for (JsonNode s : data.get("schedules")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no schedule " + id);
    }

    private static List<String> tenants(JsonNode data) {
        return java.util.stream.StreamSupport.stream(data.get("tenantLoad").spliterator(), false)
                .map(t -> t.get("tenant").asText()).toList();
    }

    /** The schedule's {@code run_finished} lines in the sample: how many, and their durations' count and sum. */
    private record Sample(long finished, long durations, double durationSum) {
    }

    private static Sample sample() throws IOException {
        long finished = 0;
        long durations = 0;
        double sum = 0;
        for (String line : Files.readAllLines(ServerFixture.SAMPLES.resolve("orchestrator_state.jsonl"))) {
            JsonNode e = Http.JSON.readTree(line);
            if ("run_finished".equals(e.path("event").asText()) && SCHEDULE.equals(e.path("schedule_id").asText())) {
                finished++;
                if (e.hasNonNull("duration_seconds")) {
                    sum += e.get("duration_seconds").asDouble();
                    durations++;
                }
            }
        }
        return new Sample(finished, durations, sum);
    }

    private static void append(Path log, List<String> lines) {
        try {
            Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
