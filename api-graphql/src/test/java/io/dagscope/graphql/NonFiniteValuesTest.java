package io.dagscope.graphql;

import static io.dagscope.graphql.Paths.at;
import static io.dagscope.graphql.Paths.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.TenantScope;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine answers finite numbers only; should one ever not be, the API answers null for that value alone, with an
 * internal error at its path, and the rest of the answer stays whole.
 */
class NonFiniteValuesTest {

    private static final TaskStats POISONED = new TaskStats(10, 8, 2, 1, 0.2, OptionalDouble.of(Double.NaN),
            OptionalDouble.of(1.5), OptionalDouble.of(Double.POSITIVE_INFINITY),
            OptionalDouble.of(Double.NEGATIVE_INFINITY), 10);

    private final FakeEngine engine = new FakeEngine();

    private GraphQlApi api() {
        return new GraphQlApi(new GraphQlApi.Ports(
                request -> new TaskSummary(FakeEngine.NOW, FakeEngine.NOW, POISONED, TaskStats.EMPTY), engine,
                (window, scope) -> List.of(new TenantLoad("acme", 3, 4, 0.5, OptionalDouble.of(Double.NaN),
                        OptionalDouble.of(2.0))),
                (window, scope) -> List.of(withAverage(FakeEngine.DEFINED, Double.POSITIVE_INFINITY)), engine,
                engine, engine, engine, engine, engine));
    }

    private static ScheduleSummary withAverage(ScheduleSummary s, double avg) {
        return new ScheduleSummary(s.id(), s.tenant(), s.dagPath(), s.cron(), s.enabled(), s.lastRunAt(),
                s.lastStatus(), s.nextRunAt(), s.missedRuns(), s.enqueued(), s.started(), s.finished(), s.succeeded(),
                s.failed(), s.retried(), OptionalDouble.of(avg), s.firstEventAt(), s.error(), s.cronDescription(),
                List.of(new ScheduleSummary.Outcome(FakeEngine.NOW, "success", OptionalDouble.of(Double.NaN))));
    }

    @Test
    void aValueThatIsNotAFiniteNumberCostsOnlyItsOwnField() {
        Map<String, Object> result = api().execute("{ taskSummary { allTime { succeeded errorRate avgDurationSeconds "
                + "p50DurationSeconds p95DurationSeconds p99DurationSeconds durations } } "
                + "tenantLoad { tenant runs avgLatencySeconds p95LatencySeconds } "
                + "schedules { id finished avgDurationSeconds recentOutcomes { status durationSeconds } } "
                + "dagRun(id: \"run-1\") { id durationSeconds } }", null, null, TenantScope.ALL);

        assertEquals(8L, ((Number) at(result, "data.taskSummary.allTime.succeeded")).longValue());
        assertEquals(0.2, at(result, "data.taskSummary.allTime.errorRate"));
        assertEquals(1.5, at(result, "data.taskSummary.allTime.p50DurationSeconds"));
        assertNull(at(result, "data.taskSummary.allTime.avgDurationSeconds"));
        assertNull(at(result, "data.taskSummary.allTime.p95DurationSeconds"));
        assertNull(at(result, "data.taskSummary.allTime.p99DurationSeconds"));
        assertEquals("acme", at(result, "data.tenantLoad[0].tenant"));
        assertEquals(2.0, at(result, "data.tenantLoad[0].p95LatencySeconds"));
        assertNull(at(result, "data.tenantLoad[0].avgLatencySeconds"));
        assertEquals("nightly", at(result, "data.schedules[0].id"));
        assertNull(at(result, "data.schedules[0].avgDurationSeconds"));
        assertEquals("success", at(result, "data.schedules[0].recentOutcomes[0].status"));
        assertNull(at(result, "data.schedules[0].recentOutcomes[0].durationSeconds"));
        assertEquals(59.876544, at(result, "data.dagRun.durationSeconds"));

        Set<String> paths = errors(result).stream().map(e -> e.get("path").toString()).collect(Collectors.toSet());
        assertEquals(Set.of("[taskSummary, allTime, avgDurationSeconds]", "[taskSummary, allTime, p95DurationSeconds]",
                "[taskSummary, allTime, p99DurationSeconds]", "[tenantLoad, 0, avgLatencySeconds]",
                "[schedules, 0, avgDurationSeconds]", "[schedules, 0, recentOutcomes, 0, durationSeconds]"), paths);
        for (Map<String, Object> error : errors(result)) {
            assertEquals("INTERNAL_ERROR", ((Map<?, ?>) error.get("extensions")).get("classification"), error.toString());
            assertTrue(((String) error.get("message")).contains("incident"), error.toString());
        }
    }
}
