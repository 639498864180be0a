package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerComparisonTest {

    static Answers.Stats stats(long ok, Double p95) {
        return new Answers.Stats(ok + 1, ok, 1, 2, 1.0 / (ok + 1), ok, 10.0, 9.0, p95, 30.0);
    }

    static Answers answers(Answers.Stats window, List<Answers.Tenant> tenants, List<Answers.Run> runs,
            List<Answers.Schedule> schedules) {
        return new Answers(1000, 0, 60_000_000, stats(100, 20.0), window, tenants, 5, runs, schedules);
    }

    static final Answers.Run RUN = new Answers.Run("r1", "ops_sync", "acme", "SUCCEEDED", 1_000_000L, 3_000_000L,
            2.0, 5, 5, 0, 0, null);
    static final Answers.Tenant TENANT = new Answers.Tenant("acme", 3, 10, 0.1, 4.0, 8.0);
    static final Answers.Schedule SCHEDULE = new Answers.Schedule("acme_ops", 3, 3, 2, 2, 0, 0, 12.5, 9_000_000L,
            "success");

    @Test
    void identicalAnswersHaveNoDifferences() {
        Answers a = answers(stats(50, 20.0), List.of(TENANT), List.of(RUN), List.of(SCHEDULE));
        assertEquals(List.of(), AnswerComparison.differences(a, a, "dagscope", "DuckDB"));
    }

    @Test
    void quantilesMayDifferByOnePercentButNoMore() {
        Answers reference = answers(stats(50, 20.0), List.of(), List.of(), List.of());
        Answers within = answers(stats(50, 20.19), List.of(), List.of(), List.of());
        Answers beyond = answers(stats(50, 20.25), List.of(), List.of(), List.of());
        assertEquals(List.of(), AnswerComparison.differences(within, reference, "dagscope", "DuckDB"));
        List<String> d = AnswerComparison.differences(beyond, reference, "dagscope", "DuckDB");
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("taskSummary.window.p95DurationSeconds: dagscope 20.25, DuckDB 20.0"), d.get(0));
    }

    @Test
    void durationsMayDifferByAMillisecondButNoMore() {
        Answers.Run close = new Answers.Run("r1", "ops_sync", "acme", "SUCCEEDED", 1_000_000L, 3_000_000L, 2.0009, 5,
                5, 0, 0, null);
        Answers.Run far = new Answers.Run("r1", "ops_sync", "acme", "SUCCEEDED", 1_000_000L, 3_000_000L, 2.0011, 5, 5,
                0, 0, null);
        Answers reference = answers(stats(50, 20.0), List.of(), List.of(RUN), List.of());
        assertEquals(List.of(), AnswerComparison.differences(answers(stats(50, 20.0), List.of(), List.of(close),
                List.of()), reference, "a", "b"));
        List<String> d = AnswerComparison.differences(answers(stats(50, 20.0), List.of(), List.of(far), List.of()),
                reference, "a", "b");
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("dagRuns[0].durationSeconds"), d.get(0));
    }

    @Test
    void countsStatusesAndInstantsMustBeExact() {
        Answers reference = answers(stats(50, 20.0), List.of(TENANT), List.of(RUN), List.of(SCHEDULE));
        Answers other = answers(stats(51, 20.0), List.of(new Answers.Tenant("acme", 4, 10, 0.1, 4.0, 8.0)),
                List.of(new Answers.Run("r1", "ops_sync", "acme", "FAILED", 1_000_001L, 3_000_000L, 2.0, 5, 5, 0, 0,
                        null)),
                List.of(new Answers.Schedule("acme_ops", 3, 3, 2, 2, 0, 0, 12.5, 9_000_000L, "failed")));
        List<String> d = AnswerComparison.differences(other, reference, "dagscope", "DuckDB");
        assertTrue(d.stream().anyMatch(s -> s.startsWith("taskSummary.window.succeeded: dagscope 51, DuckDB 50")),
                d.toString());
        assertTrue(d.stream().anyMatch(s -> s.startsWith("tenantLoad[0].runs: dagscope 4, DuckDB 3")), d.toString());
        assertTrue(d.stream().anyMatch(s -> s.startsWith("dagRuns[0].status: dagscope FAILED, DuckDB SUCCEEDED")),
                d.toString());
        assertTrue(d.stream().anyMatch(s -> s.startsWith("dagRuns[0].startedAt")), d.toString());
        assertTrue(d.stream().anyMatch(s -> s.startsWith("schedules[0].lastStatus: dagscope failed, DuckDB success")),
                d.toString());
    }

    @Test
    void aMissingValueOrRowIsADifference() {
        Answers reference = answers(stats(50, 20.0), List.of(TENANT), List.of(RUN), List.of(SCHEDULE));
        Answers other = answers(stats(50, null), List.of(), List.of(RUN), List.of(SCHEDULE));
        List<String> d = AnswerComparison.differences(other, reference, "dagscope", "DuckDB");
        assertEquals(List.of("taskSummary.window.p95DurationSeconds: dagscope null, DuckDB 20.0",
                "tenantLoad: dagscope 0 rows, DuckDB 1 rows"), d);
    }
}
