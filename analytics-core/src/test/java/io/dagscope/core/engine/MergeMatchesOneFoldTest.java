package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule merge holds to: engines that folded parts of the events apart, merged (in any order and tree), answer
 * every query exactly as one engine that folded all of them, for any split in which each source's events of one DAG
 * fall in one part in their read order (the state log split by schedule, its expiries anywhere). On random logs with
 * and without run ids, several runner sources (a run's events may come from two of them, so a run can be split
 * between parts), local disorder, lost lines, days sealed and late events into them, and runs past retention; split
 * at random into 1 to 8 parts.
 */
class MergeMatchesOneFoldTest {

    private static final Instant NOW = Timestamps.toInstant(RandomLogs.BASE + 6 * 24 * 60 * RandomLogs.MINUTE);
    private static final int DAYS = 4;
    private static final int DAGS = 11;

    /** How the events reach the engines. */
    enum Scenario {
        /** No retention; sources read in a random interleaving of uneven batches. */
        INTERLEAVED,
        /** No retention; each source read whole, in a random order of sources: later sources write into sealed days. */
        LATE,
        /**
         * Retention binds (runs older than a day beyond the newest 40 are dropped); sources read together in time
         * order, so that no event reaches a run retention has dropped, and split by DAG alone, so that every run
         * stays whole in one part (see docs/snapshots.md).
         */
        RETENTION
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            for (RandomLogs.Ids ids : RandomLogs.Ids.values()) {
                for (Scenario scenario : Scenario.values()) {
                    out.add(Arguments.of(seed, ids, scenario));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}, run ids {1}, {2}")
    @MethodSource("cases")
    void mergedPartsAnswerAsOneFold(long seed, RandomLogs.Ids ids, Scenario scenario) {
        Random rnd = new Random(seed * 7919 + scenario.ordinal() * 31 + ids.ordinal());
        boolean clean = scenario == Scenario.RETENTION && ids != RandomLogs.Ids.ALWAYS;
        RandomLogs.Logs logs = new RandomLogs(seed, ids, DAGS, DAYS, !clean, !clean).generate(320);
        Map<String, List<Event>> sources = sources(logs, rnd);
        EngineSettings settings = scenario == Scenario.RETENTION
                ? EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 40)
                : EngineSettings.DEFAULTS.withRetention(Duration.ZERO, Integer.MAX_VALUE);

        AnalyticsEngine whole = engine(settings);
        feed(whole, sources, scenario, rnd);

        int k = 1 + rnd.nextInt(8);
        List<Map<String, List<Event>>> parts = split(sources, k, scenario != Scenario.RETENTION, rnd);
        List<AnalyticsEngine> partials = new ArrayList<>();
        for (Map<String, List<Event>> part : parts) {
            AnalyticsEngine partial = engine(settings);
            feed(partial, part, scenario, rnd);
            partials.add(partial);
        }
        if (rnd.nextBoolean()) {
            partials.add(0, engine(settings)); // as `dagscope merge` does: into an empty engine
        }
        while (partials.size() > 1) {
            int i = rnd.nextInt(partials.size());
            int j = rnd.nextInt(partials.size() - 1);
            j = j >= i ? j + 1 : j;
            AnalyticsEngine into = partials.get(Math.min(i, j));
            AnalyticsEngine from = partials.remove(Math.max(i, j));
            into.merge(from);
            from.close();
        }
        AnalyticsEngine merged = partials.get(0);

        String where = k + " parts: ";
        if (scenario == Scenario.RETENTION) {
            assertTrue(whole.stats().runsKept() < 160, "retention dropped runs: " + whole.stats().runsKept() + " kept");
            assertTrue(whole.stats().cellsSealed() > 0, "days were sealed");
        }
        assertSameAnswers(whole, merged, rnd, where);
        assertEquals(whole.stats().eventsApplied(), merged.stats().eventsApplied(), where + "events applied");
        assertEquals(whole.stats().runsKept(), merged.stats().runsKept(), where + "runs kept");
        whole.close();
        merged.close();
    }

    private static AnalyticsEngine engine(EngineSettings settings) {
        AnalyticsEngine engine = new AnalyticsEngine(settings, Clock.fixed(NOW, ZoneOffset.UTC), new HeapHistoryStore(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        engine.defineSchedules(List.of(
                new ScheduleDefinition("sched0", Optional.of("*/5 * * * *"), Optional.empty(), Optional.empty(), true,
                        "test"),
                new ScheduleDefinition("sched9", Optional.of("*/5 * * * *"), Optional.of("dags/x.yaml"),
                        Optional.of("tenant9"), true, "test")),
                expr -> EngineMatchesReferenceTest.EVERY_FIVE_MINUTES);
        return engine;
    }

    /** The runner log cut into one to three sources at random lines; the state log one source. */
    private static Map<String, List<Event>> sources(RandomLogs.Logs logs, Random rnd) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        List<Event> runner = logs.runner();
        int cuts = rnd.nextInt(3);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < cuts; i++) {
            at.add(rnd.nextInt(runner.size()));
        }
        Collections.sort(at);
        at.add(runner.size());
        int from = 0;
        for (int i = 0; i < at.size(); i++) {
            out.put(i == 0 ? "events" : "events-" + (i + 1), runner.subList(from, at.get(i)));
            from = at.get(i);
        }
        out.put("state", logs.state());
        return out;
    }

    /**
     * Each source's events of one DAG to one part, at random, in the source's order (or, {@code bySource} false,
     * every source's events of one DAG); the state log's by schedule; expiries (which name no schedule) each to any
     * part.
     */
    private static List<Map<String, List<Event>>> split(Map<String, List<Event>> sources, int k, boolean bySource,
            Random rnd) {
        List<Map<String, List<Event>>> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(new LinkedHashMap<>());
        }
        Map<String, Integer> partOf = new HashMap<>();
        sources.forEach((name, events) -> {
            for (Event e : events) {
                String key;
                if (e instanceof RunnerEvent r) {
                    key = (bySource ? name : "") + "|" + r.dagName();
                } else if (e instanceof ScheduleEnqueued s) {
                    key = "schedule|" + s.scheduleId();
                } else if (e instanceof RunStarted s) {
                    key = "schedule|" + s.scheduleId();
                } else if (e instanceof RunFinished s) {
                    key = "schedule|" + s.scheduleId();
                } else {
                    key = "expiry|" + rnd.nextInt(1 << 20);
                }
                int part = partOf.computeIfAbsent(key, x -> rnd.nextInt(k));
                parts.get(part).computeIfAbsent(name, x -> new ArrayList<>()).add(e);
            }
        });
        return parts;
    }

    private static void feed(AnalyticsEngine engine, Map<String, List<Event>> sources, Scenario scenario,
            Random rnd) {
        List<String> names = new ArrayList<>(sources.keySet());
        Collections.shuffle(names, rnd); // feeds created in any order: ranks go by name
        Map<String, SourceFeed> feeds = new HashMap<>();
        for (String name : names) {
            feeds.put(name, engine.feed(name));
        }
        Map<String, Integer> next = new HashMap<>();
        names.forEach(n -> next.put(n, 0));
        switch (scenario) {
            case LATE -> {
                for (String name : names) {
                    deliver(feeds.get(name), sources.get(name), 0, sources.get(name).size(), rnd);
                }
            }
            case INTERLEAVED -> {
                List<String> left = new ArrayList<>(names);
                while (!left.isEmpty()) {
                    String name = left.get(rnd.nextInt(left.size()));
                    int from = next.get(name);
                    int to = Math.min(sources.get(name).size(), from + 1 + rnd.nextInt(300));
                    deliver(feeds.get(name), sources.get(name), from, to, rnd);
                    next.put(name, to);
                    if (to == sources.get(name).size()) {
                        left.remove(name);
                    }
                }
            }
            case RETENTION -> {
                // in time order across sources, each source's own order kept; small batches
                while (true) {
                    String first = null;
                    long at = Long.MAX_VALUE;
                    for (String name : names) {
                        int i = next.get(name);
                        if (i < sources.get(name).size() && sources.get(name).get(i).timestampMicros() < at) {
                            at = sources.get(name).get(i).timestampMicros();
                            first = name;
                        }
                    }
                    if (first == null) {
                        break;
                    }
                    int i = next.get(first);
                    feeds.get(first).accept(sources.get(first).get(i));
                    next.put(first, i + 1);
                    if (rnd.nextInt(20) == 0) {
                        feeds.values().forEach(SourceFeed::flush);
                    }
                }
                feeds.values().forEach(SourceFeed::flush);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void deliver(SourceFeed feed, List<Event> events, int from, int to, Random rnd) {
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, 1 + rnd.nextInt(200));
            for (int j = i; j < i + n; j++) {
                feed.accept(events.get(j));
            }
            feed.flush();
            i += n;
        }
    }

    // =========================================================================================================
    // every answer

    static void assertSameAnswers(AnalyticsEngine want, AnalyticsEngine got, Random rnd, String where) {
        // runs: every page, every run, cursors included
        int size = 1 + rnd.nextInt(80);
        List<RunPage.Entry> wantRuns = allRuns(want, size, DagRunQuery.Filter.ALL, TenantScope.ALL);
        assertEquals(wantRuns, allRuns(got, size, DagRunQuery.Filter.ALL, TenantScope.ALL), where + "run pages");
        for (RunPage.Entry e : wantRuns) {
            assertEquals(want.dagRun(e.run().id(), TenantScope.ALL), got.dagRun(e.run().id(), TenantScope.ALL),
                    where + "run " + e.run().id());
        }
        assertEquals(Optional.empty(), got.dagRun("no-such-run", TenantScope.ALL));
        List<String> tenants = want.tenants(TenantScope.ALL);
        List<String> dags = want.dagNames(TenantScope.ALL);
        assertEquals(tenants, got.tenants(TenantScope.ALL), where + "tenants");
        assertEquals(dags, got.dagNames(TenantScope.ALL), where + "DAGs");
        TenantScope scoped = TenantScope.of(Set.of(tenants.get(0)));
        assertEquals(want.tenants(scoped), got.tenants(scoped), where + "tenants, scoped");
        assertEquals(want.dagNames(scoped), got.dagNames(scoped), where + "DAGs, scoped");
        for (RunStatus status : RunStatus.values()) {
            DagRunQuery.Filter filter = new DagRunQuery.Filter(Optional.of(tenants.get(rnd.nextInt(tenants.size()))),
                    Optional.of(dags.get(rnd.nextInt(dags.size()))), Set.of(status), Optional.empty(),
                    Optional.empty());
            assertEquals(allRuns(want, size, filter, TenantScope.ALL), allRuns(got, size, filter, TenantScope.ALL),
                    where + "runs " + filter);
        }
        assertEquals(allRuns(want, size, DagRunQuery.Filter.ALL, scoped), allRuns(got, size, DagRunQuery.Filter.ALL,
                scoped), where + "runs, scoped");

        List<Optional<String>> tenantChoices = choices(tenants, rnd);
        List<Optional<String>> dagChoices = choices(dags, rnd);
        for (Duration stale : List.of(Duration.ofHours(1), Duration.ofDays(3), Duration.ofDays(30))) {
            for (Optional<String> tenant : tenantChoices) {
                for (Optional<String> dag : dagChoices) {
                    assertEquals(want.runCounts(stale, tenant, dag, TenantScope.ALL),
                            got.runCounts(stale, tenant, dag, TenantScope.ALL),
                            where + "run counts " + stale + " " + tenant + " " + dag);
                }
            }
            assertEquals(withoutRunEndings(want.fleetFigures(stale)), withoutRunEndings(got.fleetFigures(stale)),
                    where + "fleet figures " + stale);
        }

        List<WindowRequest> windows = new ArrayList<>();
        windows.add(WindowRequest.of(24 * 30, NOW));
        windows.add(WindowRequest.DEFAULT);
        for (int w = 0; w < 5; w++) {
            long end = RandomLogs.BASE + (long) (rnd.nextDouble() * (DAYS + 1) * 24 * 60 * RandomLogs.MINUTE);
            double hours = rnd.nextBoolean() ? 1 + rnd.nextInt(72) : 0.05 + rnd.nextDouble() * 30;
            windows.add(WindowRequest.of(hours, Timestamps.toInstant(end)));
        }
        for (WindowRequest window : windows) {
            for (Optional<String> tenant : tenantChoices) {
                for (Optional<String> dag : dagChoices) {
                    assertEquals(want.taskSummary(new TaskSummaryQuery.Request(window, tenant, dag, TenantScope.ALL)),
                            got.taskSummary(new TaskSummaryQuery.Request(window, tenant, dag, TenantScope.ALL)),
                            where + "task summary " + window + " " + tenant + " " + dag);
                    assertEquals(want.failures(new FailureQuery.Request(window, tenant, dag, 1000, TenantScope.ALL)),
                            got.failures(new FailureQuery.Request(window, tenant, dag, 1000, TenantScope.ALL)),
                            where + "failures " + window + " " + tenant + " " + dag);
                }
            }
            TaskSeriesQuery.Request series = new TaskSeriesQuery.Request(window, OptionalInt.empty(),
                    tenantChoices.get(1), Optional.empty(), TenantScope.ALL);
            assertEquals(want.taskSeries(series), got.taskSeries(series), where + "task series " + window);
            assertEquals(want.tenantLoad(window, TenantScope.ALL), got.tenantLoad(window, TenantScope.ALL),
                    where + "tenant load " + window);
            assertEquals(want.tenantLoad(window, scoped), got.tenantLoad(window, scoped),
                    where + "tenant load, scoped " + window);
            assertEquals(want.schedules(window, TenantScope.ALL), got.schedules(window, TenantScope.ALL),
                    where + "schedules " + window);
            assertEquals(want.taskSummary(new TaskSummaryQuery.Request(window, Optional.empty(), Optional.empty(),
                    scoped)), got.taskSummary(new TaskSummaryQuery.Request(window, Optional.empty(), Optional.empty(),
                    scoped)), where + "task summary, scoped " + window);
        }
    }

    /**
     * The fleet figures but the times runs reached an end: those count what each fold saw as its batches were folded
     * (a run failed, resumed and done within one batch reaches an end once), so they depend on the batches, not only
     * on the events, and a merge adds each part's (docs/monitoring.md).
     */
    private static FleetFigures withoutRunEndings(FleetFigures f) {
        List<FleetFigures.DagFigures> dags = new ArrayList<>();
        for (FleetFigures.DagFigures d : f.dags()) {
            dags.add(new FleetFigures.DagFigures(d.tenant(), d.dagName(), d.tasksStarted(), d.tasksSucceeded(),
                    d.tasksFailed(), d.tasksRetried(), d.durationBuckets(), d.durationSumSeconds(), 0, 0, d.running(),
                    d.paused(), d.stale(), d.oldestPauseAt()));
        }
        return new FleetFigures(f.asOf(), f.durationBoundsSeconds(), dags, f.schedules());
    }

    private static List<Optional<String>> choices(List<String> names, Random rnd) {
        List<Optional<String>> out = new ArrayList<>();
        out.add(Optional.empty());
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, rnd);
        shuffled.stream().limit(3).forEach(n -> out.add(Optional.of(n)));
        out.add(Optional.of("no-such-name"));
        return out;
    }

    static List<RunPage.Entry> allRuns(AnalyticsEngine engine, int size, DagRunQuery.Filter filter,
            TenantScope scope) {
        List<RunPage.Entry> out = new ArrayList<>();
        Optional<String> after = Optional.empty();
        Long total = null;
        while (true) {
            RunPage page = engine.dagRuns(new DagRunQuery.Request(size, after, filter, scope, true));
            if (total == null) {
                total = page.totalCount();
            }
            out.addAll(page.entries());
            if (!page.hasNextPage()) {
                break;
            }
            after = page.endCursor();
        }
        assertEquals(total.longValue(), out.size(), "totalCount");
        return out;
    }
}
