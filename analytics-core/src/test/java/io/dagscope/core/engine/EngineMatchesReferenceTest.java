package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.CronSchedule;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against {@link ReferenceModel}, a naive implementation of METRICS.md, on random runner-shaped logs: with
 * and without run ids, split across sources read in random order, with lost lines and local disorder.
 */
class EngineMatchesReferenceTest {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            for (RandomLogs.Ids ids : RandomLogs.Ids.values()) {
                out.add(Arguments.of(seed, ids));
            }
        }
        return out;
    }

    /** Every five minutes; the engine's cron port, implemented here so the core test needs no cron library. */
    static final CronSchedule EVERY_FIVE_MINUTES = new CronSchedule() {
        @Override
        public boolean matches(long minute) {
            return Math.floorMod(minute, 5) == 0;
        }

        @Override
        public long nextAfter(long minute) {
            return minute + 5 - Math.floorMod(minute, 5);
        }
    };

    @ParameterizedTest(name = "seed {0}, run ids {1}")
    @MethodSource("cases")
    void everyAnswerEqualsTheReferenceModel(long seed, RandomLogs.Ids ids) {
        Random rnd = new Random(seed * 31);
        RandomLogs.Logs logs = new RandomLogs(seed, ids).generate(150);
        List<ReferenceModel.Source> sources = split(logs, ids, rnd);
        ReferenceModel ref = new ReferenceModel(sources);

        List<ReferenceModel.Source> readOrder = new ArrayList<>(sources);
        Collections.shuffle(readOrder, rnd);
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ZERO,
                Integer.MAX_VALUE), Clock.fixed(Instant.parse("2025-10-12T00:00:00Z"), ZoneOffset.UTC));
        engine.defineSchedules(List.of(
                new ScheduleDefinition("sched0", Optional.of("*/5 * * * *"), Optional.empty(), Optional.empty(), true,
                        "test"),
                new ScheduleDefinition("sched9", Optional.of("*/5 * * * *"), Optional.of("dags/x.yaml"),
                        Optional.of("tenant9"), true, "test")),
                expr -> EVERY_FIVE_MINUTES);
        for (ReferenceModel.Source s : readOrder) {
            SourceFeed feed = engine.feed(s.name());
            // deliver in uneven batches, as polls do
            int i = 0;
            while (i < s.events().size()) {
                int n = 1 + rnd.nextInt(700);
                for (int k = i; k < Math.min(s.events().size(), i + n); k++) {
                    feed.accept(s.events().get(k));
                }
                feed.flush();
                i += n;
            }
        }

        compareRuns(engine, ref, rnd);
        compareRunCounts(engine, ref);
        for (int w = 0; w < 6; w++) {
            WindowRequest window = randomWindow(rnd);
            compareSummaries(engine, ref, window);
            compareTenantLoad(engine, ref, window);
            compareSchedules(engine, ref, window);
        }
    }

    private static List<ReferenceModel.Source> split(RandomLogs.Logs logs, RandomLogs.Ids ids, Random rnd) {
        List<ReferenceModel.Source> out = new ArrayList<>();
        if (ids == RandomLogs.Ids.ALWAYS) {
            // one runner log split across two sources at a random line
            int cut = rnd.nextInt(logs.runner().size());
            out.add(new ReferenceModel.Source("events-a", logs.runner().subList(0, cut)));
            out.add(new ReferenceModel.Source("events-b", logs.runner().subList(cut, logs.runner().size())));
        } else {
            out.add(new ReferenceModel.Source("events", logs.runner()));
        }
        out.add(new ReferenceModel.Source("state", logs.state()));
        return out;
    }

    private static WindowRequest randomWindow(Random rnd) {
        long end = RandomLogs.BASE + (long) (rnd.nextDouble() * 3 * 24 * 60 * RandomLogs.MINUTE);
        double hours = rnd.nextBoolean() ? 1 + rnd.nextInt(48) : 0.05 + rnd.nextDouble() * 30;
        return WindowRequest.of(hours, Timestamps.toInstant(end));
    }

    // ---- runs

    private static void compareRuns(AnalyticsEngine engine, ReferenceModel ref, Random rnd) {
        List<ReferenceModel.RView> want = ref.runsNewestFirst();
        List<DagRun> got = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            RunPage page = engine.dagRuns(new DagRunQuery.Request(1 + rnd.nextInt(60), after,
                    DagRunQuery.Filter.ALL, TenantScope.ALL));
            assertEquals(want.size(), page.totalCount(), "totalCount");
            page.entries().forEach(e -> got.add(e.run()));
            if (!page.hasNextPage()) {
                break;
            }
            after = page.endCursor();
        }
        assertEquals(want.stream().map(ReferenceModel.RView::id).toList(), got.stream().map(DagRun::id).toList(),
                "runs, newest first");
        for (int i = 0; i < want.size(); i++) {
            ReferenceModel.RView w = want.get(i);
            DagRun g = got.get(i);
            String where = "run " + w.id() + ": ";
            assertEquals(w.dag(), g.dagName(), where + "dagName");
            assertEquals(w.tenant(), g.tenant(), where + "tenant");
            assertEquals(w.status(), g.status(), where + "status");
            assertEquals(w.startedAt(), Timestamps.toMicros(g.startedAt()), where + "startedAt");
            assertEquals(Optional.ofNullable(w.endedAt()), g.endedAt().map(Timestamps::toMicros), where + "endedAt");
            assertEquals(w.taskCount() == null ? -1 : w.taskCount(), g.taskCount().orElse(-1), where + "taskCount");
            assertEquals(w.ok(), g.tasksSucceeded(), where + "succeeded");
            assertEquals(w.fail(), g.tasksFailed(), where + "failed");
            assertEquals(w.retry(), g.tasksRetried(), where + "retried");
            assertEquals(Optional.ofNullable(w.error()), g.error(), where + "error");
            Map<String, TaskRun> tasks = g.tasks().stream().collect(Collectors.toMap(TaskRun::taskId, t -> t));
            assertEquals(w.tasks().keySet(), tasks.keySet(), where + "task ids");
            for (ReferenceModel.RTask t : w.tasks().values()) {
                TaskRun gt = tasks.get(t.taskId());
                String tw = where + "task " + t.taskId() + ": ";
                assertEquals(t.status(), gt.status(), tw + "status");
                assertEquals(Optional.ofNullable(t.startedAt()), gt.startedAt().map(Timestamps::toMicros),
                        tw + "startedAt");
                assertEquals(Optional.ofNullable(t.endedAt()), gt.endedAt().map(Timestamps::toMicros), tw + "endedAt");
                assertEquals(t.attempts(), gt.attempts(), tw + "attempts");
                assertEquals(Optional.ofNullable(t.error()), gt.error(), tw + "error");
            }
            assertEquals(Optional.of(g), engine.dagRun(g.id(), TenantScope.ALL), "dagRun(id) of " + g.id());
        }
    }

    // ---- run counts

    private static void compareRunCounts(AnalyticsEngine engine, ReferenceModel ref) {
        long now = Timestamps.toMicros(Instant.parse("2025-10-12T00:00:00Z"));
        List<ReferenceModel.RView> views = ref.runsNewestFirst();
        Map<String, Long> lastEvent = new HashMap<>();
        for (ReferenceModel.RRun r : ref.runs.values()) {
            lastEvent.put(r.id, r.events.stream().mapToLong(p -> p.event().timestampMicros()).max().orElseThrow());
        }
        List<Optional<String>> tenants = new ArrayList<>(List.of(Optional.empty()));
        views.stream().map(ReferenceModel.RView::tenant).distinct().forEach(t -> tenants.add(Optional.of(t)));
        for (Duration staleAfter : List.of(Duration.ofHours(1), Duration.ofHours(30), Duration.ofDays(30))) {
            for (Optional<String> tenant : tenants) {
                long running = 0;
                long paused = 0;
                long stale = 0;
                long ok = 0;
                long failed = 0;
                for (ReferenceModel.RView v : views) {
                    if (tenant.isPresent() && !tenant.get().equals(v.tenant())) {
                        continue;
                    }
                    switch (v.status()) {
                        case SUCCEEDED -> ok++;
                        case FAILED -> failed++;
                        default -> {
                            if (lastEvent.get(v.id()) < now - staleAfter.toNanos() / 1000) {
                                stale++;
                            } else if (v.status() == io.dagscope.core.model.RunStatus.PAUSED) {
                                paused++;
                            } else {
                                running++;
                            }
                        }
                    }
                }
                io.dagscope.core.model.RunCounts got = engine.runCounts(staleAfter, tenant, Optional.empty(),
                        TenantScope.ALL);
                assertEquals(List.of(running, paused, stale, ok, failed), List.of(got.running(), got.paused(),
                        got.stale(), got.succeeded(), got.failed()), "run counts, stale after " + staleAfter
                        + ", tenant " + tenant);
            }
        }
    }

    // ---- task summaries

    private static void compareSummaries(AnalyticsEngine engine, ReferenceModel ref, WindowRequest req) {
        TimeWindow window = engine.resolveWindow(req);
        List<ReferenceModel.TaskRecord> all = ref.taskRecords();
        Set<String> tenants = all.stream().map(ReferenceModel.TaskRecord::tenant).filter(t -> t != null)
                .collect(Collectors.toSet());
        Set<String> dags = all.stream().map(ReferenceModel.TaskRecord::dag).collect(Collectors.toSet());
        List<Optional<String>> tenantChoices = new ArrayList<>();
        tenantChoices.add(Optional.empty());
        tenants.forEach(t -> tenantChoices.add(Optional.of(t)));
        List<Optional<String>> dagChoices = new ArrayList<>();
        dagChoices.add(Optional.empty());
        dags.forEach(d -> dagChoices.add(Optional.of(d)));
        dagChoices.add(Optional.of("no-such-dag"));
        for (Optional<String> tenant : tenantChoices) {
            for (Optional<String> dag : dagChoices) {
                TaskSummary got = engine.taskSummary(new TaskSummaryQuery.Request(req, tenant, dag, TenantScope.ALL));
                List<ReferenceModel.TaskRecord> match = all.stream()
                        .filter(r -> tenant.isEmpty() || tenant.get().equals(r.tenant()))
                        .filter(r -> dag.isEmpty() || dag.get().equals(r.dag())).toList();
                String where = "tenant " + tenant + " dag " + dag;
                assertStats(match, got.allTime(), where + " allTime");
                assertStats(match.stream().filter(r -> window.contains(r.at())).toList(), got.window(),
                        where + " window " + window);
            }
        }
        // a scoped caller sees only its tenants' tasks
        String one = tenants.iterator().next();
        TaskSummary scoped = engine.taskSummary(new TaskSummaryQuery.Request(req, Optional.empty(), Optional.empty(),
                TenantScope.of(Set.of(one))));
        assertStats(all.stream().filter(r -> one.equals(r.tenant())).toList(), scoped.allTime(), "scoped " + one);
    }

    static void assertStats(List<ReferenceModel.TaskRecord> records, TaskStats got, String where) {
        long started = records.stream().filter(r -> r.kind().equals("started")).count();
        long ok = records.stream().filter(r -> r.kind().equals("succeeded")).count();
        long failed = records.stream().filter(r -> r.kind().equals("failed")).count();
        long retried = records.stream().filter(r -> r.kind().equals("retried")).count();
        assertEquals(started, got.started(), where + " started");
        assertEquals(ok, got.succeeded(), where + " succeeded");
        assertEquals(failed, got.failed(), where + " failed");
        assertEquals(retried, got.retried(), where + " retried");
        assertEquals(TaskStats.errorRate(ok, failed), got.errorRate(), 1e-12, where + " errorRate");
        List<Long> durations = records.stream().map(ReferenceModel.TaskRecord::durationMicros)
                .filter(d -> d != null).sorted().toList();
        assertEquals(durations.size(), got.durations(), where + " n");
        if (durations.isEmpty()) {
            assertTrue(got.avgDurationSeconds().isEmpty() && got.p50DurationSeconds().isEmpty()
                    && got.p95DurationSeconds().isEmpty() && got.p99DurationSeconds().isEmpty(), where);
            return;
        }
        double avg = durations.stream().mapToLong(Long::longValue).sum() / (double) durations.size() / 1e6;
        assertEquals(avg, got.avgDurationSeconds().getAsDouble(), 1e-6, where + " avg");
        assertQuantile(durations, 0.50, got.p50DurationSeconds(), where + " p50");
        assertQuantile(durations, 0.95, got.p95DurationSeconds(), where + " p95");
        assertQuantile(durations, 0.99, got.p99DurationSeconds(), where + " p99");
    }

    static void assertQuantile(List<Long> sorted, double q, OptionalDouble got, String where) {
        int rank = (int) Math.ceil(q * sorted.size());
        double want = sorted.get(Math.max(1, rank) - 1) / 1e6;
        double tolerance = Math.max(0.01 * Math.abs(want), 0.001);
        assertTrue(Math.abs(want - got.getAsDouble()) <= tolerance,
                where + ": want " + want + " within 1 %, got " + got.getAsDouble());
    }

    // ---- tenant load

    private static void compareTenantLoad(AnalyticsEngine engine, ReferenceModel ref, WindowRequest req) {
        TimeWindow window = engine.resolveWindow(req);
        Map<String, long[]> runs = new HashMap<>();
        for (ReferenceModel.RView r : ref.runsNewestFirst()) {
            if (window.contains(r.startedAt())) {
                runs.computeIfAbsent(r.tenant(), k -> new long[1])[0]++;
            }
        }
        Map<String, List<ReferenceModel.TaskRecord>> finished = new HashMap<>();
        for (ReferenceModel.TaskRecord t : ref.taskRecords()) {
            if (t.tenant() != null && window.contains(t.at())
                    && (t.kind().equals("succeeded") || t.kind().equals("failed"))) {
                finished.computeIfAbsent(t.tenant(), k -> new ArrayList<>()).add(t);
            }
        }
        List<TenantLoad> got = engine.tenantLoad(req, TenantScope.ALL);
        Set<String> tenants = new java.util.TreeSet<>(runs.keySet());
        tenants.addAll(finished.keySet());
        List<String> wantOrder = new ArrayList<>(tenants);
        wantOrder.sort((a, b) -> {
            long ra = runs.getOrDefault(a, new long[1])[0];
            long rb = runs.getOrDefault(b, new long[1])[0];
            return ra != rb ? Long.compare(rb, ra) : a.compareTo(b);
        });
        assertEquals(wantOrder, got.stream().map(TenantLoad::tenant).toList(), "tenant order in " + window);
        for (TenantLoad g : got) {
            List<ReferenceModel.TaskRecord> f = finished.getOrDefault(g.tenant(), List.of());
            assertEquals(runs.getOrDefault(g.tenant(), new long[1])[0], g.runs(), g.tenant() + " runs");
            assertEquals(f.size(), g.tasks(), g.tenant() + " tasks");
            long failed = f.stream().filter(t -> t.kind().equals("failed")).count();
            assertEquals(TaskStats.errorRate(f.size() - failed, failed), g.errorRate(), 1e-12);
            List<Long> d = f.stream().map(ReferenceModel.TaskRecord::durationMicros).filter(x -> x != null).sorted()
                    .toList();
            if (d.isEmpty()) {
                assertTrue(g.avgLatencySeconds().isEmpty() && g.p95LatencySeconds().isEmpty());
            } else {
                assertEquals(d.stream().mapToLong(Long::longValue).average().getAsDouble() / 1e6,
                        g.avgLatencySeconds().getAsDouble(), 1e-6);
                assertQuantile(d, 0.95, g.p95LatencySeconds(), g.tenant() + " p95");
            }
        }
    }

    // ---- schedules

    private static void compareSchedules(AnalyticsEngine engine, ReferenceModel ref, WindowRequest req) {
        TimeWindow window = engine.resolveWindow(req);
        Map<String, ReferenceModel.RSchedule> want = ref.schedules();
        List<ScheduleSummary> got = engine.schedules(req, TenantScope.ALL);
        List<String> ids = new ArrayList<>(want.keySet());
        ids.add("sched9");
        Collections.sort(ids);
        assertEquals(ids, got.stream().map(ScheduleSummary::id).toList(), "schedule ids");
        for (ScheduleSummary g : got) {
            ReferenceModel.RSchedule w = want.get(g.id());
            long upper = window.endMinute() - 10;
            if (w == null) {
                assertEquals("sched9", g.id());
                assertEquals(Optional.of("tenant9"), g.tenant());
                assertEquals(0, g.started());
                long expectedMissed = 0;
                for (long m = window.startMinute(); m <= upper; m++) {
                    if (m % 5 == 0) {
                        expectedMissed++;
                    }
                }
                assertEquals(expectedMissed, g.missedRuns().getAsInt(), "never-run schedule misses every slot");
                continue;
            }
            assertEquals(Optional.ofNullable(w.tenant()), g.tenant());
            assertEquals(Optional.ofNullable(w.dagPath()), g.dagPath());
            assertEquals(w.enqueued(), g.enqueued());
            assertEquals(w.started(), g.started());
            assertEquals(w.finished(), g.finished());
            assertEquals(w.succeeded(), g.succeeded());
            assertEquals(w.failed(), g.failed());
            assertEquals(w.retried(), g.retried());
            assertEquals(w.avg(), g.avgDurationSeconds().getAsDouble(), 1e-9);
            assertEquals(Optional.ofNullable(w.lastRunAt()), g.lastRunAt().map(Timestamps::toMicros));
            assertEquals(Optional.ofNullable(w.lastStatus()), g.lastStatus());
            if (g.id().equals("sched0")) {
                long lower = Math.max(window.startMinute(), -Math.floorDiv(-w.firstEventAt(), RandomLogs.MINUTE));
                long missed = 0;
                for (long m = lower; m <= upper; m++) {
                    if (m % 5 == 0 && !w.enqueuedMinutes().contains(m)) {
                        missed++;
                    }
                }
                assertEquals(missed, g.missedRuns().getAsInt(), "missed runs in " + window);
                assertEquals(window.endMinute() + 5 - Math.floorMod(window.endMinute(), 5),
                        Timestamps.toMicros(g.nextRunAt().orElseThrow()) / RandomLogs.MINUTE, "nextRunAt");
            } else {
                assertTrue(g.missedRuns().isEmpty() && g.nextRunAt().isEmpty() && g.cron().isEmpty());
            }
        }
    }

    @SuppressWarnings("unused")
    private static List<Event> concat(List<Event> a, List<Event> b) {
        List<Event> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
