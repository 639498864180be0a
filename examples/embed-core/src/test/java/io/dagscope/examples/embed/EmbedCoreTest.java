package io.dagscope.examples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.Event;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example's events mean to the core what the page says they mean. */
class EmbedCoreTest {

    private static AnalyticsEngine fedEngine() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(EmbedCore.NOW,
                ZoneOffset.UTC));
        SourceFeed feed = engine.feed("my-runner");
        EmbedCore.record(feed);
        feed.flush();
        return engine;
    }

    @Test
    void theRunnerReportsItsEventsInTimeOrder() {
        List<Event> events = new ArrayList<>();
        EmbedCore.record(events::add);

        assertEquals(19, events.size());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).timestampMicros() < events.get(i).timestampMicros(), "event " + i);
        }
        assertTrue(events.get(events.size() - 1).timestampMicros() < Timestamps.toMicros(EmbedCore.NOW));
    }

    @Test
    void theDefaultWindowHoldsTheSecondNightAndTheReport() {
        try (AnalyticsEngine engine = fedEngine()) {
            TaskSummary summary = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.DEFAULT,
                    Optional.empty(), Optional.empty(), TenantScope.ALL));

            assertEquals(Instant.parse("2025-10-20T12:00:00Z"), summary.windowStart());
            assertEquals(EmbedCore.NOW, summary.windowEnd());
            assertEquals(4, summary.window().started());
            assertEquals(2, summary.window().succeeded());
            assertEquals(1, summary.window().failed());
            assertEquals(0, summary.window().retried());
            assertEquals(7, summary.allTime().started());
            assertEquals(1, summary.allTime().retried());
        }
    }

    @Test
    void eachRunHasTheStatusItsEventsGiveIt() {
        try (AnalyticsEngine engine = fedEngine()) {
            RunPage page = engine.dagRuns(new DagRunQuery.Request(10, Optional.empty(), DagRunQuery.Filter.ALL,
                    TenantScope.ALL));

            assertEquals(List.of("rep-0001", "etl-0002", "etl-0001"),
                    page.entries().stream().map(e -> e.run().id()).toList());
            assertEquals(List.of(RunStatus.RUNNING, RunStatus.FAILED, RunStatus.SUCCEEDED),
                    page.entries().stream().map(e -> e.run().status()).toList());
            assertEquals(3, page.totalCount());

            DagRun first = engine.dagRun("etl-0001", TenantScope.ALL).orElseThrow();
            TaskRun transform = first.tasks().get(1);
            assertEquals("transform", transform.taskId());
            assertEquals(2, transform.attempts());
            assertEquals(List.of("worker 7 lost"), transform.retries().stream().map(TaskRun.Retry::error)
                    .map(Optional::orElseThrow).toList());

            DagRun second = engine.dagRun("etl-0002", TenantScope.ALL).orElseThrow();
            assertEquals(Optional.of("connection to warehouse-3:5432 refused"), second.error());
            assertEquals(OptionalDouble.of(284.0), second.durationSeconds());
        }
    }

    @Test
    void theWeeksFailureIsGroupedAndAScopedCallerSeesOnlyItsTenant() {
        try (AnalyticsEngine engine = fedEngine()) {
            List<FailureGroup> failures = engine.failures(new FailureQuery.Request(
                    new WindowRequest(OptionalDouble.of(7 * 24), Optional.empty()), Optional.empty(),
                    Optional.empty(), 10, TenantScope.ALL));
            assertEquals(1, failures.size());
            assertEquals("load", failures.get(0).exampleTaskId());
            assertEquals(List.of("acme"), failures.get(0).tenants());

            RunPage globex = engine.dagRuns(new DagRunQuery.Request(10, Optional.empty(), DagRunQuery.Filter.ALL,
                    TenantScope.of(Set.of("globex"))));
            assertEquals(List.of("rep-0001"), globex.entries().stream().map(e -> e.run().id()).toList());
            assertTrue(engine.dagRun("etl-0002", TenantScope.of(Set.of("globex"))).isEmpty());
        }
    }
}
