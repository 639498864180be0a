package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.spi.SourceFactories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One wrong clock must not evict history: a real server (retention of a day or the newest 3 runs) follows a log of
 * runs from the last day, stamped by this machine's clock; lines stamped far in the future, just past the skew, just
 * inside it, at epoch 0, before 2000 or in a negative year are appended; every retained run's detail is still
 * answered to another caller, and the bad lines are counted with their reason.
 */
class FutureTimestampsTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);
    private static final int RUNS = 10;

    @TempDir
    Path dir;

    private Path events;
    private Dagscope app;
    private HttpServer server;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void start() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            // started 21 h to 3 h ago: all within the day, so retention keeps them all
            Instant start = now.minus(Duration.ofHours(21 - 2 * i));
            lines.addAll(run("recent-" + i, start));
        }
        events = Files.write(dir.resolve("events.jsonl"), lines, StandardCharsets.UTF_8);
        Args args = Args.parse("serve", new String[] {"--events", events.toString(), "--retain-days", "1",
            "--retain-runs", "3", "--history", "heap"}, CommonOptions.FLAGS);
        app = Dagscope.create(CommonOptions.resolve(args, Map.of(), note -> { }),
                SourceFactories.discover(FutureTimestampsTest.class.getClassLoader()), true, System.err);
        app.ingestor().pollOnce();
        app.ingestor().startFollowing(Duration.ofMillis(100), Throwable::printStackTrace);
        Backend backend = new Backend(app.api(), app.analytics()::version, app.analytics(), app.ingestor(),
                app.ingestor()::eventsDelivered, app.analytics()::stats, app.analytics());
        server = new HttpServer(ServerOptions.defaults(0), backend, Authenticator.off(), Redactor.none()).start();
    }

    @AfterEach
    void stop() {
        server.close();
        app.close();
    }

    private static List<String> run(String id, Instant start) {
        return List.of(
                line(start, "dag_start", id, ", \"tenant\": \"acme\", \"task_count\": 1"),
                line(start.plusSeconds(1), "task_start", id, ", \"task_id\": \"fetch\""),
                line(start.plusSeconds(4), "task_ok", id, ", \"task_id\": \"fetch\", \"attempt\": 1"),
                line(start.plusSeconds(5), "dag_done", id, ", \"tenant\": \"acme\", \"tasks_succeeded\": 1, "
                        + "\"tasks_failed\": 0, \"duration_seconds\": 5.0"));
    }

    private static String line(Instant at, String event, String run, String rest) {
        return line(at.toString(), event, run, rest);
    }

    private static String line(String timestamp, String event, String run, String rest) {
        return "{\"timestamp\": \"" + timestamp + "\", \"event\": \"" + event + "\", \"dag_name\": \"etl\", "
                + "\"dag_run_id\": \"" + run + "\"" + rest + "}";
    }

    @Test
    void futureAndAncientLinesAreSkippedAndCountedAndEveryRetainedRunIsStillAnswered() {
        Http first = new Http(server.port());
        JsonNode before = await(first, d -> d.at("/runs/totalCount").asLong() == RUNS);
        for (int i = 0; i < RUNS; i++) {
            assertEquals("SUCCEEDED", before.at("/r" + i + "/status").asText(), before.toString());
        }

        List<String> future = new ArrayList<>(List.of(
                line("9999-12-31T23:59:59.999999Z", "dag_start", "year-9999", ""),
                line("+10000-01-01T00:00:00Z", "task_ok", "recent-0", ", \"task_id\": \"fetch\", \"attempt\": 1"),
                line("+290000-01-01T00:00:00Z", "dag_start", "year-290000", ""),
                line(now.plus(Duration.ofHours(25)), "dag_start", "just-over-the-skew", ""),
                "{\"timestamp\": \"" + now + "\", \"event\": \"schedule_enqueued\", \"schedule_id\": \"s\", "
                        + "\"minute\": \"2999-01-01 00:00\"}"));
        for (int i = 0; i < 200; i++) {
            future.add(line(Instant.parse("2999-01-01T00:00:00Z").plusSeconds(i), "dag_start", "many-" + i, ""));
        }
        List<String> early = List.of(
                line("1970-01-01T00:00:00Z", "dag_start", "epoch-0", ""),
                line("1970-01-01T00:00:00", "task_ok", "recent-1", ", \"task_id\": \"fetch\", \"attempt\": 1"),
                line("1999-12-31T23:59:59.999999Z", "dag_start", "far-past", ""),
                line("-0001-01-01T00:00:00Z", "dag_start", "negative-year", ""),
                line("-290000-01-01T00:00:00Z", "dag_start", "very-negative-year", ""));
        List<String> appended = new ArrayList<>(future);
        appended.addAll(early);
        Collections.shuffle(appended, new java.util.Random(7));
        // just inside the skew: believed, and it must not evict either (retention never counts from after now)
        appended.add(line(now.plus(Duration.ofHours(23)), "dag_start", "just-inside-the-skew", ""));
        // read last: once its task_start counts (whatever retention does), every line before it was folded in
        appended.add(line(now, "task_start", "marker", ", \"task_id\": \"marker\""));
        append(appended);

        Http other = new Http(server.port());
        long lines = RUNS * 4L + appended.size();
        JsonNode after = await(other, d -> d.at("/sources/0/eventsRead").asLong()
                + d.at("/sources/0/linesSkipped").asLong() == lines && d.at("/summary/allTime/started").asLong() == RUNS + 1);
        assertEquals("RUNNING", after.at("/inside/status").asText(), after.toString());

        for (int i = 0; i < RUNS; i++) {
            JsonNode run = after.get("r" + i);
            assertEquals("SUCCEEDED", run.get("status").asText(), "recent-" + i + ": " + after);
            assertEquals("fetch", run.at("/tasks/0/taskId").asText());
            assertEquals(3.0, run.at("/tasks/0/durationSeconds").asDouble());
        }
        assertEquals(RUNS + 2, after.at("/runs/totalCount").asLong(), after.toString());
        assertEquals(RUNS, after.at("/summary/allTime/succeeded").asLong(), "no skipped task_ok counts");
        JsonNode source = after.at("/sources/0");
        assertEquals(future.size(), skipped(after, "future_timestamp"), source.toString());
        assertEquals(early.size(), skipped(after, "early_timestamp"), source.toString());
        assertEquals(future.size() + early.size(), source.get("linesSkipped").asLong());
        assertEquals(now.plus(Duration.ofHours(23)), Instant.parse(source.get("lastEventAt").asText()),
                "the last event believed, not the year 9999");
        Http.Response metrics = other.get("/metrics");
        assertTrue(metrics.body().contains("dagscope_source_lines_skipped_total{reason=\"future_timestamp\","
                + "source=\"events\"} " + future.size()), metrics.body());
        assertTrue(metrics.body().contains("dagscope_source_lines_skipped_total{reason=\"early_timestamp\","
                + "source=\"events\"} " + early.size()), metrics.body());
    }

    private static String query() {
        StringBuilder q = new StringBuilder("{ runs: dagRuns(first: 1) { totalCount } ");
        for (int i = 0; i < RUNS; i++) {
            q.append("r").append(i).append(": dagRun(id: \"recent-").append(i)
                    .append("\") { status tasks { taskId durationSeconds } } ");
        }
        q.append("inside: dagRun(id: \"just-inside-the-skew\") { status } ");
        q.append("summary: taskSummary { allTime { started succeeded } } ");
        q.append("sources { name eventsRead linesSkipped lastEventAt skippedByReason { reason count } } }");
        return q.toString();
    }

    private static JsonNode await(Http http, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(GENEROUS);
        while (true) {
            Http.Response r = http.graphql(query(), null);
            assertEquals(200, r.status(), r.body());
            JsonNode json;
            try {
                json = Http.JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertNull(json.get("errors"), r.body());
            if (done.test(json.get("data"))) {
                return json.get("data");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not read in " + GENEROUS + ": " + r.body());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static long skipped(JsonNode data, String reason) {
        for (JsonNode c : data.at("/sources/0/skippedByReason")) {
            if (c.get("reason").asText().equals(reason)) {
                return c.get("count").asLong();
            }
        }
        return 0;
    }

    private void append(List<String> lines) {
        try {
            Files.writeString(events, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
