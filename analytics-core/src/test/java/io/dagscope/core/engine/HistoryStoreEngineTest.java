package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.time.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An engine whose history goes to a store answers as the definitions say: the failures of dropped runs, sealed by
 * day (late ones too), are grouped exactly as a plain list of every failure groups them, and the figures of sealed
 * days are the same in the heap and in files.
 */
class HistoryStoreEngineTest {

    private static final long DAY = 86_400_000_000L;
    private static final long BASE = Timestamps.toMicros(Instant.parse("2025-09-01T00:00:00Z"));
    private static final Instant NOW = Instant.parse("2025-09-15T00:00:00Z");
    private static final String[] ERRORS = {"Timeout after %d s", "HTTP %d from upstream", "KeyError: 'k%d'",
        "disk full on /dev/sd%d"};

    @TempDir
    Path dir;

    private record Failure(long at, String runId, String tenant, String dag, String task, String error) {
    }

    private record Log(List<Object> events, List<Failure> failures) {
    }

    /** Twelve days of runs that fail, with late failures of runs long dropped on the tenth. */
    private static Log log() {
        SplittableRandom random = new SplittableRandom(11);
        List<Object> events = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Map<String, String> tenantOf = new HashMap<>();
        long at = BASE;
        for (int day = 0; day < 12; day++) {
            if (day == 9) {
                lateFailures(events, failures, tenantOf);
            }
            for (int r = 0; r < 30; r++) {
                at = BASE + day * DAY + r * (DAY / 30) + random.nextInt(1_000_000);
                String id = "run-" + day + "-" + r;
                String tenant = "t" + random.nextInt(3);
                String dag = random.nextBoolean() ? "etl" : "crm";
                tenantOf.put(id, tenant);
                events.add(new DagStart(at, dag, id, tenant, 1));
                events.add(new TaskStart(at + 1_000, dag, id, "load"));
                String error = String.format(ERRORS[random.nextInt(ERRORS.length)], random.nextInt(1000));
                events.add(new TaskFail(at + 2_000 + random.nextInt(1000), dag, id, "load", error));
                failures.add(new Failure(((TaskFail) events.get(events.size() - 1)).timestampMicros(), id, tenant,
                        dag, "load", error));
                events.add(new DagDone(at + 5_000, dag, id, tenant, 0, 1, 0.005));
            }
        }
        return new Log(events, failures);
    }

    /** Late failures of dropped runs, in days whose failures are sealed already; the days after seal them again. */
    private static void lateFailures(List<Object> events, List<Failure> failures, Map<String, String> tenantOf) {
        for (int late = 0; late < 5; late++) {
            String id = "run-" + late + "-7";
            long when = BASE + late * DAY + 7 * (DAY / 30) + 3_000_000 + late;
            String error = String.format(ERRORS[late % ERRORS.length], 5000 + late);
            events.add(new TaskFail(when, "etl", id, "late", error));
            failures.add(new Failure(when, id, tenantOf.get(id), "etl", "late", error));
        }
    }

    private static AnalyticsEngine engine(HistoryStore store) {
        return new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(2), 10),
                Clock.fixed(NOW, ZoneOffset.UTC), store);
    }

    private static void feed(AnalyticsEngine engine, Log log) {
        SourceFeed feed = engine.feed("events");
        int n = 0;
        for (Object e : log.events()) {
            feed.accept((io.dagscope.core.event.Event) e);
            if (++n % 50 == 0) {
                feed.flush();
            }
        }
        feed.flush();
    }

    @Test
    void sealedFailuresOfDroppedRunsAreGroupedAsEveryFailureWould() {
        Log log = log();
        try (AnalyticsEngine engine = engine(FileHistoryStore.open(dir))) {
            feed(engine, log);
            assertTrue(engine.stats().runsDropped() > 250, "most runs were dropped");
            assertTrue(engine.sealedFailureBytes() > 0, "failures were sealed");
            SplittableRandom random = new SplittableRandom(5);
            List<WindowRequest> windows = new ArrayList<>();
            windows.add(WindowRequest.of(24 * 30, NOW));
            for (int i = 0; i < 40; i++) {
                double hours = 0.5 + random.nextDouble() * 24 * 6;
                Instant end = Timestamps.toInstant(BASE + (long) (random.nextDouble() * 13 * DAY));
                windows.add(WindowRequest.of(hours, end));
            }
            for (WindowRequest window : windows) {
                for (Optional<String> tenant : List.of(Optional.<String>empty(), Optional.of("t1"))) {
                    List<FailureGroup> got = engine.failures(new FailureQuery.Request(window, tenant,
                            Optional.empty(), 100, TenantScope.ALL));
                    List<FailureGroup> want = expected(log, engine, window, tenant);
                    assertEquals(want, got, "window " + window + " tenant " + tenant);
                }
            }
        }
    }

    private static List<FailureGroup> expected(Log log, AnalyticsEngine engine, WindowRequest request,
            Optional<String> tenant) {
        var window = engine.resolveWindow(request);
        Map<String, List<Failure>> bySignature = new HashMap<>();
        for (Failure f : log.failures()) {
            long minute = Timestamps.minuteOf(f.at());
            if (minute >= window.startMinute() && minute < window.endMinute()
                    && tenant.map(f.tenant()::equals).orElse(true)) {
                bySignature.computeIfAbsent(ErrorSignature.of(f.error()), k -> new ArrayList<>()).add(f);
            }
        }
        List<FailureGroup> out = new ArrayList<>();
        bySignature.forEach((signature, list) -> {
            Failure last = list.stream().max(Comparator.comparingLong(Failure::at)).orElseThrow();
            long first = list.stream().mapToLong(Failure::at).min().orElseThrow();
            TreeSet<String> dags = new TreeSet<>();
            TreeSet<String> tenants = new TreeSet<>();
            list.forEach(f -> {
                dags.add(f.dag());
                tenants.add(f.tenant());
            });
            boolean kept = engine.dagRun(last.runId(), TenantScope.ALL).isPresent();
            out.add(new FailureGroup(signature, last.error(), list.size(), Timestamps.toInstant(first),
                    Timestamps.toInstant(last.at()), new ArrayList<>(dags), new ArrayList<>(tenants),
                    kept ? Optional.of(last.runId()) : Optional.empty(), last.task()));
        });
        out.sort(Comparator.comparingLong(FailureGroup::count).reversed()
                .thenComparing(FailureGroup::lastSeen, Comparator.reverseOrder()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void figuresOfSealedDaysAreTheSameWhereverTheHistoryIsKept(String kind) throws Exception {
        Log log = log();
        HistoryStore store = kind.equals("files") ? FileHistoryStore.open(dir) : new HeapHistoryStore();
        try (AnalyticsEngine engine = engine(store); AnalyticsEngine plain = new AnalyticsEngine(
                EngineSettings.DEFAULTS.withRetention(Duration.ofDays(2), 10), Clock.fixed(NOW, ZoneOffset.UTC))) {
            feed(engine, log);
            feed(plain, log);
            assertTrue(engine.stats().cellsSealed() > 0);
            assertEquals(kind, engine.stats().history().kind());
            assertTrue(engine.stats().history().blockBytes() > 0);
            assertTrue(engine.stats().history().tableBytes() > 0, "the dropped runs' table");
            for (int day = 0; day < 13; day++) {
                for (double hours : new double[] {1, 24, 24 * 3.5}) {
                    WindowRequest w = WindowRequest.of(hours, Timestamps.toInstant(BASE + day * DAY + DAY / 3));
                    TaskSummaryQuery.Request q = new TaskSummaryQuery.Request(w, Optional.empty(), Optional.empty(),
                            TenantScope.ALL);
                    TaskSummary a = engine.taskSummary(q);
                    TaskSummary b = plain.taskSummary(q);
                    assertEquals(b, a, "window " + w);
                }
            }
        }
        if (kind.equals("files")) {
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(0, left.count(), "closing the engine deleted its files");
            }
        }
    }

    /** A heap store whose puts and allocations fail while {@code failing} is set, as a full disk makes them. */
    private static final class FailingStore implements HistoryStore {
        final HeapHistoryStore inner = new HeapHistoryStore();
        boolean failing;

        private void check() {
            if (failing) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }
        }

        @Override
        public long put(byte[] bytes, int length) {
            check();
            return inner.put(bytes, length);
        }

        @Override
        public java.nio.ByteBuffer get(long handle) {
            return inner.get(handle);
        }

        @Override
        public void release(long handle) {
            inner.release(handle);
        }

        @Override
        public java.nio.ByteBuffer allocate(int bytes) {
            check();
            return inner.allocate(bytes);
        }

        @Override
        public void free(java.nio.ByteBuffer table) {
            inner.free(table);
        }

        @Override
        public Usage usage() {
            return inner.usage();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aStoreThatFailsLosesNothingAndEveryAnswerStaysExact() {
        Log log = log();
        FailingStore store = new FailingStore();
        try (AnalyticsEngine engine = engine(store); AnalyticsEngine reference = engine(new HeapHistoryStore())) {
            SourceFeed feed = engine.feed("events");
            SourceFeed referenceFeed = reference.feed("events");
            int n = 0;
            for (Object o : log.events()) {
                io.dagscope.core.event.Event e = (io.dagscope.core.event.Event) o;
                feed.accept(e);
                referenceFeed.accept(e);
                if (++n % 50 == 0) {
                    store.failing = n > log.events().size() / 4 && n < log.events().size() * 3 / 4;
                    feed.flush(); // never throws: the batch is applied once whatever the store does
                    referenceFeed.flush();
                }
            }
            store.failing = false;
            feed.flush();
            referenceFeed.flush();
            assertTrue(engine.stats().historyFailures() > 0, "the store failed");
            assertTrue(engine.stats().lastHistoryFailure().orElseThrow().contains("No space left"));
            assertEquals(reference.stats().eventsApplied(), engine.stats().eventsApplied());
            assertEquals(reference.stats().runsKept(), engine.stats().runsKept());
            assertEquals(reference.stats().runsDropped(), engine.stats().runsDropped());
            for (int day = 0; day < 13; day++) {
                for (double hours : new double[] {1, 24, 24 * 3.5}) {
                    WindowRequest w = WindowRequest.of(hours, Timestamps.toInstant(BASE + day * DAY + DAY / 3));
                    TaskSummaryQuery.Request q = new TaskSummaryQuery.Request(w, Optional.empty(), Optional.empty(),
                            TenantScope.ALL);
                    assertEquals(reference.taskSummary(q), engine.taskSummary(q), "window " + w);
                    FailureQuery.Request f = new FailureQuery.Request(w, Optional.empty(), Optional.empty(), 100,
                            TenantScope.ALL);
                    assertEquals(reference.failures(f), engine.failures(f), "failures in " + w);
                }
            }
        }
    }
}
