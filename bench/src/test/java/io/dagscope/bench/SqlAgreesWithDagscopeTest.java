package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's SQL is a second implementation of METRICS.md: on the real orchestrator's sample logs it must give
 * dagscope's answers, or a benchmark run on generated logs would be VOID for a bug in the harness.
 */
class SqlAgreesWithDagscopeTest {

    static final Path SAMPLES = Path.of("..", "fixtures", "samples", "head");
    static final Path EVENTS = SAMPLES.resolve("orchestrator_events.jsonl");
    static final Path STATE = SAMPLES.resolve("orchestrator_state.jsonl");
    static final Path SCHEDULES = SAMPLES.resolve("configs").resolve("schedules");
    static final Instant END = Instant.parse("2025-10-21T18:00:00Z");

    static Answers dagscope;
    static Answers duckdb;
    static DuckDbDashboard sql;

    @BeforeAll
    static void answerBothWays() throws Exception {
        try (DagscopeInProcess app = DagscopeInProcess.open(EVENTS, STATE, Optional.of(SCHEDULES), END, false)) {
            app.poll();
            dagscope = DashboardQuery.answers(new ObjectMapper().valueToTree(
                    app.execute(DashboardQuery.document(12, END))));
        }
        List<String> ids = ScheduleDefinitionsReader.read(SCHEDULES).definitions().stream().map(d -> d.id())
                .distinct().toList();
        sql = new DuckDbDashboard(2);
        duckdb = sql.answers(EVENTS, STATE, ids, 12, END);
    }

    @AfterAll
    static void close() throws Exception {
        sql.close();
    }

    @Test
    void sqlGivesDagscopesAnswersOnTheSampleLogs() {
        List<String> differences = AnswerComparison.differences(dagscope, duckdb, "dagscope", "DuckDB");
        assertEquals(List.of(), differences);
    }

    @Test
    void theSampleExercisesWhatIsCompared() {
        assertTrue(duckdb.allTime().durations() > 1000, "durations: " + duckdb.allTime());
        assertTrue(duckdb.window().succeeded() > 0);
        assertTrue(duckdb.allTime().failed() > 0 && duckdb.allTime().retried() > 0);
        assertTrue(duckdb.tenants().size() >= 3);
        assertEquals(Answers.NEWEST_RUNS, duckdb.newestRuns().size());
        assertTrue(duckdb.schedules().size() >= 4);
        assertFalse(duckdb.newestRuns().stream().map(Answers.Run::status).distinct().toList().isEmpty());
    }

    /**
     * Every run of the sample (not only the 20 newest the benchmark compares) against the contract's expected answers,
     * computed by an independent implementation: statuses, ends, durations and errors, checkpoint expiries included.
     */
    @Test
    void sqlGivesTheContractsRunsOnTheSampleLogs() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Path.of("..", "fixtures", "conformance", "head.json").toFile())
                .path("dagRuns");
        List<Answers.Run> runs = sql.newestRuns(100_000);
        assertEquals(expected.size(), runs.size());
        assertEquals(expected.size(), duckdb.totalRuns());
        int expiries = 0;
        for (int i = 0; i < runs.size(); i++) {
            JsonNode e = expected.get(i);
            Answers.Run r = runs.get(i);
            String at = "run " + i + " (" + e.path("id").asText() + ")";
            assertEquals(e.path("id").asText(), r.id(), at);
            assertEquals(e.path("status").asText(), r.status(), at);
            assertEquals(e.path("tenant").asText(), r.tenant(), at);
            assertEquals(e.path("dagName").asText(), r.dagName(), at);
            assertEquals(DashboardQuery.micros(e.path("startedAt").asText()), r.startedAtMicros(), at);
            assertEquals(e.path("endedAt").isNull() ? null : DashboardQuery.micros(e.path("endedAt").asText()),
                    r.endedAtMicros(), at);
            if (e.path("durationSeconds").isNull()) {
                assertEquals(null, r.durationSeconds(), at);
            } else {
                assertEquals(e.path("durationSeconds").asDouble(), r.durationSeconds(), 0.001, at);
            }
            assertEquals(e.path("error").isNull() ? null : e.path("error").asText(), r.error(), at);
            assertEquals(e.path("tasksSucceeded").asLong(), r.tasksSucceeded(), at);
            assertEquals(e.path("tasksFailed").asLong(), r.tasksFailed(), at);
            assertEquals(e.path("tasksRetried").asLong(), r.tasksRetried(), at);
            if (r.error() != null && r.error().startsWith("checkpoint ")) {
                expiries++;
            }
        }
        assertTrue(expiries > 0, "the sample has runs failed by a checkpoint's expiry");
    }

    @Test
    void duckDbNumbersRowsInFileOrder() throws Exception {
        assertEquals(LineOrderChecksum.of(EVENTS), sql.orderChecksum(true));
        assertEquals(LineOrderChecksum.of(STATE), sql.orderChecksum(false));
    }
}
