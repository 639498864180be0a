package io.dagscope.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitions;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both sample log sets, read by the product's JSONL source, split by DAG into parts (each source's events of one DAG
 * in one part, in read order; the state log by schedule, its expiries anywhere), folded apart and merged in a random
 * tree: every answer is identical to one engine's over the whole logs, as the merge rule says.
 */
class SampleSplitMergeTest {

    private static final Path SAMPLES = CliRun.SAMPLES;

    @ParameterizedTest(name = "{0}, {1} parts, seed {2}")
    @CsvSource({"legacy-27c, 1, 1", "legacy-27c, 3, 2", "legacy-27c, 8, 3", "head, 2, 4", "head, 5, 5",
        "head, 8, 6"})
    void mergedPartsOfTheSampleLogsAnswerAsTheWholeLogs(String set, int k, long seed) throws IOException {
        Path dir = SAMPLES.resolve(set);
        Map<String, List<Event>> sources = new LinkedHashMap<>();
        sources.put("events", read("events", dir.resolve("orchestrator_events.jsonl")));
        sources.put("state", read("state", dir.resolve("orchestrator_state.jsonl")));
        Instant end = Instant.parse(set.equals("head") ? "2025-10-21T18:00:00Z" : "2025-10-06T12:00:00Z");
        ScheduleDefinitions definitions = ScheduleDefinitionsReader.read(dir.resolve("configs/schedules"));

        AnalyticsEngine whole = engine(end, definitions);
        feed(whole, sources);
        Random rnd = new Random(seed);
        List<AnalyticsEngine> partials = new ArrayList<>();
        for (Map<String, List<Event>> part : split(sources, k, rnd)) {
            AnalyticsEngine partial = engine(end, definitions);
            feed(partial, part);
            partials.add(partial);
        }
        while (partials.size() > 1) {
            AnalyticsEngine from = partials.remove(rnd.nextInt(partials.size()));
            AnalyticsEngine into = partials.get(rnd.nextInt(partials.size()));
            into.merge(from);
            from.close();
        }
        AnalyticsEngine merged = partials.get(0);
        assertTrue(whole.stats().runsKept() > 100, "the sample has runs");
        assertSameAnswers(whole, merged, end);
        whole.close();
        merged.close();
    }

    private static List<Event> read(String name, Path file) {
        SourceFactories factories = SourceFactories.discover(SampleSplitMergeTest.class.getClassLoader());
        List<Event> events = new ArrayList<>();
        try (EventSource source = factories.create(SourceLocation.parse(file.toString()), Map.of(),
                new SourceContext(name, file.toString(), false, SourceContext.DEFAULT_MAX_LINE_BYTES,
                        Clock.systemUTC()))) {
            source.poll(events::add);
        }
        assertTrue(events.size() > 1000, file + " read");
        return events;
    }

    private static AnalyticsEngine engine(Instant end, ScheduleDefinitions definitions) {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(end, ZoneOffset.UTC),
                new HeapHistoryStore());
        engine.defineSchedules(definitions.definitions(), CronParsers.unix());
        return engine;
    }

    private static void feed(AnalyticsEngine engine, Map<String, List<Event>> sources) {
        sources.forEach((name, events) -> {
            SourceFeed feed = engine.feed(name);
            events.forEach(feed::accept);
            feed.flush();
        });
    }

    private static List<Map<String, List<Event>>> split(Map<String, List<Event>> sources, int k, Random rnd) {
        List<Map<String, List<Event>>> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(new LinkedHashMap<>());
        }
        Map<String, Integer> partOf = new HashMap<>();
        sources.forEach((name, events) -> {
            for (Event e : events) {
                String key = e instanceof RunnerEvent r ? name + "|" + r.dagName()
                        : e instanceof ScheduleEnqueued s ? "schedule|" + s.scheduleId()
                        : e instanceof RunStarted s ? "schedule|" + s.scheduleId()
                        : e instanceof RunFinished s ? "schedule|" + s.scheduleId()
                        : "expiry|" + rnd.nextInt(1 << 20);
                int part = partOf.computeIfAbsent(key, x -> rnd.nextInt(k));
                parts.get(part).computeIfAbsent(name, x -> new ArrayList<>()).add(e);
            }
        });
        return parts;
    }

    private static void assertSameAnswers(AnalyticsEngine want, AnalyticsEngine got, Instant end) {
        List<RunPage.Entry> runs = runs(want);
        assertEquals(runs, runs(got), "every run, newest first, with its cursor");
        for (RunPage.Entry e : runs) {
            assertEquals(want.dagRun(e.run().id(), TenantScope.ALL), got.dagRun(e.run().id(), TenantScope.ALL));
        }
        List<String> tenants = want.tenants(TenantScope.ALL);
        List<String> dags = want.dagNames(TenantScope.ALL);
        assertEquals(tenants, got.tenants(TenantScope.ALL));
        assertEquals(dags, got.dagNames(TenantScope.ALL));
        List<Optional<String>> tenantChoices = new ArrayList<>(List.of(Optional.empty()));
        tenants.forEach(t -> tenantChoices.add(Optional.of(t)));
        List<Optional<String>> dagChoices = new ArrayList<>(List.of(Optional.empty()));
        dags.forEach(d -> dagChoices.add(Optional.of(d)));
        for (WindowRequest window : List.of(WindowRequest.DEFAULT, WindowRequest.of(1, end),
                WindowRequest.of(24 * 7, end), WindowRequest.of(24 * 400, end))) {
            for (Optional<String> tenant : tenantChoices) {
                for (Optional<String> dag : dagChoices) {
                    assertEquals(want.taskSummary(new TaskSummaryQuery.Request(window, tenant, dag, TenantScope.ALL)),
                            got.taskSummary(new TaskSummaryQuery.Request(window, tenant, dag, TenantScope.ALL)),
                            "task summary " + window + " " + tenant + " " + dag);
                }
                assertEquals(want.failures(new FailureQuery.Request(window, tenant, Optional.empty(), 1000,
                        TenantScope.ALL)), got.failures(new FailureQuery.Request(window, tenant, Optional.empty(), 1000,
                        TenantScope.ALL)), "failures " + window + " " + tenant);
                TaskSeriesQuery.Request series = new TaskSeriesQuery.Request(window, OptionalInt.empty(), tenant,
                        Optional.empty(), TenantScope.ALL);
                assertEquals(want.taskSeries(series), got.taskSeries(series), "series " + window + " " + tenant);
            }
            assertEquals(want.tenantLoad(window, TenantScope.ALL), got.tenantLoad(window, TenantScope.ALL));
            assertEquals(want.schedules(window, TenantScope.ALL), got.schedules(window, TenantScope.ALL));
            TenantScope one = TenantScope.of(Set.of(tenants.get(0)));
            assertEquals(want.tenantLoad(window, one), got.tenantLoad(window, one));
            assertEquals(want.schedules(window, one), got.schedules(window, one));
        }
        for (Duration stale : List.of(Duration.ofMinutes(30), Duration.ofDays(2))) {
            for (Optional<String> tenant : tenantChoices) {
                assertEquals(want.runCounts(stale, tenant, Optional.empty(), TenantScope.ALL),
                        got.runCounts(stale, tenant, Optional.empty(), TenantScope.ALL), "run counts " + tenant);
            }
        }
        assertEquals(want.stats().eventsApplied(), got.stats().eventsApplied());
    }

    private static List<RunPage.Entry> runs(AnalyticsEngine engine) {
        List<RunPage.Entry> out = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            RunPage page = engine.dagRuns(new DagRunQuery.Request(500, after, DagRunQuery.Filter.ALL,
                    TenantScope.ALL));
            out.addAll(page.entries());
            if (!page.hasNextPage()) {
                return out;
            }
            after = page.endCursor();
        }
    }
}
