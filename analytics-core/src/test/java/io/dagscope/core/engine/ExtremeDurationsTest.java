package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.EventBounds;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whatever reaches the engine, every sum, mean and quantile it answers stays finite, and exact where it is exact: the
 * event records refuse numbers outside {@link EventBounds}, and the longest durations those bounds allow (from 2000
 * to 9999) are summed without overflow however many there are.
 */
class ExtremeDurationsTest {

    private static final Instant NOW = Instant.parse("2025-10-22T14:00:00Z");
    private static final long SPAN = EventBounds.LATEST_MICROS - EventBounds.EARLIEST_MICROS;
    /** The last hour an event may be in, where the extreme durations end. */
    private static final WindowRequest LAST_HOUR = WindowRequest.of(1, Instant.parse("+10000-01-01T00:00:00Z"));

    private static AnalyticsEngine engine() {
        return new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static TaskStats allTime(AnalyticsEngine engine) {
        return engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24, NOW), Optional.empty(),
                Optional.empty(), TenantScope.ALL)).allTime();
    }

    @Test
    void theLongestDurationsTheBoundsAllowAreSummedExactlyHoweverMany() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        int n = 1000; // 1,000 x 8,000 years: 30 times what a long holds in microseconds
        for (int i = 0; i < n; i++) {
            String run = "r" + i;
            feed.accept(new TaskStart(EventBounds.EARLIEST_MICROS, "etl", run, "x"));
            feed.accept(new TaskOk(EventBounds.LATEST_MICROS, "etl", run, "x", 1));
        }
        feed.flush();

        TaskStats stats = allTime(engine);
        double expected = SPAN / (double) Timestamps.MICROS_PER_SECOND;
        assertEquals(n, stats.durations());
        assertEquals(expected, stats.avgDurationSeconds().getAsDouble(), expected * 1e-15);
        for (double q : new double[] {stats.p50DurationSeconds().getAsDouble(),
            stats.p95DurationSeconds().getAsDouble(), stats.p99DurationSeconds().getAsDouble()}) {
            assertEquals(expected, q, expected * 0.01);
        }
        TenantLoad load = engine.tenantLoad(LAST_HOUR, TenantScope.ALL).get(0);
        assertEquals(expected, load.avgLatencySeconds().getAsDouble(), expected * 1e-15);
    }

    @Test
    void extremeDurationsOfBothSignsCancelExactlyAndASmallOneStaysExact() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        for (int i = 0; i < 100; i++) {
            feed.accept(new TaskStart(EventBounds.EARLIEST_MICROS, "etl", "up" + i, "x"));
            feed.accept(new TaskOk(EventBounds.LATEST_MICROS, "etl", "up" + i, "x", 1));
        }
        feed.flush();
        assertTrue(allTime(engine).avgDurationSeconds().getAsDouble() > 0);
        for (int i = 0; i < 100; i++) {
            // a task_ok earlier than its task_start: a negative duration, as large as the bounds allow
            feed.accept(new TaskStart(EventBounds.LATEST_MICROS, "etl", "down" + i, "x"));
            feed.accept(new TaskOk(EventBounds.EARLIEST_MICROS, "etl", "down" + i, "x", 1));
        }
        long start = Timestamps.toMicros(NOW.minusSeconds(60));
        feed.accept(new TaskStart(start, "etl", "small", "x"));
        feed.accept(new TaskOk(start + 3_000_000, "etl", "small", "x", 1));
        feed.flush();

        TaskStats stats = allTime(engine);
        assertEquals(201, stats.durations());
        assertEquals(3.0 / 201, stats.avgDurationSeconds().getAsDouble(), 1e-12);
    }

    @Test
    void aRunMovedFromOneTenantToAnotherTakesItsExtremeDurationsAlong() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        for (int i = 0; i < 50; i++) {
            feed.accept(new TaskStart(EventBounds.EARLIEST_MICROS, "etl", "r" + i, "x"));
            feed.accept(new TaskOk(EventBounds.LATEST_MICROS, "etl", "r" + i, "x", 1));
        }
        feed.flush();
        // the runs' dag_start, read last, gives them a tenant: their contributions move, retracted and added again
        for (int i = 0; i < 50; i++) {
            feed.accept(new DagStart(EventBounds.EARLIEST_MICROS, "etl", "r" + i, "acme", 1));
        }
        feed.flush();
        List<TenantLoad> load = engine.tenantLoad(LAST_HOUR, TenantScope.ALL);
        assertEquals(1, load.size());
        assertEquals("acme", load.get(0).tenant());
        double expected = SPAN / (double) Timestamps.MICROS_PER_SECOND;
        assertEquals(expected, load.get(0).avgLatencySeconds().getAsDouble(), expected * 1e-15);
        assertEquals(expected, allTime(engine).avgDurationSeconds().getAsDouble(), expected * 1e-15);
    }

    @Test
    void aSealedDayKeepsASumBeyondALongAndAnswersFromItsBytesExactly() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        Instant day = Instant.parse("2025-10-01T12:00:00Z");
        long end = Timestamps.toMicros(day);
        long duration = end - EventBounds.EARLIEST_MICROS;
        int n = 12_000; // 12,000 x 25.75 years in one minute: beyond a long
        for (int i = 0; i < n; i++) {
            feed.accept(new TaskStart(EventBounds.EARLIEST_MICROS, "etl", "r" + i, "x"));
            feed.accept(new TaskOk(end, "etl", "r" + i, "x", 1));
        }
        feed.flush();
        WindowRequest thatDay = WindowRequest.of(24, day.plusSeconds(12 * 3600));
        double expected = duration / (double) Timestamps.MICROS_PER_SECOND;
        TaskStats live = engine.taskSummary(new TaskSummaryQuery.Request(thatDay, Optional.empty(),
                Optional.empty(), TenantScope.ALL)).window();
        assertEquals(expected, live.avgDurationSeconds().getAsDouble(), expected * 1e-15);

        // a newer event seals the day: its cells are then read from their bytes
        feed.accept(new TaskStart(Timestamps.toMicros(NOW), "etl", "today", "x"));
        feed.flush();
        assertTrue(engine.stats().cellsSealed() > 0, engine.stats().toString());
        TaskStats sealed = engine.taskSummary(new TaskSummaryQuery.Request(thatDay, Optional.empty(),
                Optional.empty(), TenantScope.ALL)).window();
        assertEquals(live, sealed);
        TaskStats minute = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(1.0 / 60,
                day.plusSeconds(60)), Optional.empty(), Optional.empty(), TenantScope.ALL)).window();
        assertEquals(n, minute.durations());
        assertEquals(expected, minute.avgDurationSeconds().getAsDouble(), expected * 1e-15);
        assertEquals(expected, allTime(engine).avgDurationSeconds().getAsDouble(), expected * 1e-15);
    }

    @Test
    void schedulesAverageTheLongestDurationsTheBoundsAllowWithoutOverflow() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("state");
        long at = Timestamps.toMicros(NOW.minusSeconds(3600));
        for (int i = 0; i < 10_000; i++) {
            feed.accept(new RunFinished(at + i, "s", null, null, "success", null,
                    i % 2 == 0 ? EventBounds.MAX_DURATION_SECONDS : EventBounds.MIN_DURATION_SECONDS));
        }
        feed.flush();
        double avg = engine.schedules(WindowRequest.of(24, NOW), TenantScope.ALL).get(0).avgDurationSeconds()
                .getAsDouble();
        assertEquals((EventBounds.MAX_DURATION_SECONDS + EventBounds.MIN_DURATION_SECONDS) / 2, avg, 1e-6);
    }

    @Test
    void theEventRecordsRefuseNumbersOutsideTheBounds() {
        long ts = Timestamps.toMicros(NOW);
        for (double bad : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
            Double.NaN, EventBounds.MAX_DURATION_SECONDS + 1, EventBounds.MIN_DURATION_SECONDS - 1}) {
            assertThrows(IllegalArgumentException.class, () -> new RunFinished(ts, "s", null, null, "success", null,
                    bad), Double.toString(bad));
            assertThrows(IllegalArgumentException.class, () -> new DagDone(ts, "d", null, null, null, null, bad),
                    Double.toString(bad));
        }
        for (int bad : new int[] {-1, Integer.MIN_VALUE, EventBounds.MAX_COUNT + 1, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> new DagStart(ts, "d", null, null, bad));
            assertThrows(IllegalArgumentException.class, () -> new TaskOk(ts, "d", null, "t", bad));
            assertThrows(IllegalArgumentException.class, () -> new TaskRetry(ts, "d", null, "t", bad, null));
            assertThrows(IllegalArgumentException.class, () -> new DagDone(ts, "d", null, null, bad, 0, null));
            assertThrows(IllegalArgumentException.class, () -> new DagDone(ts, "d", null, null, 0, bad, null));
        }
        for (long bad : new long[] {Timestamps.INVALID, Long.MAX_VALUE, 0, -1, EventBounds.EARLIEST_MICROS - 1,
            EventBounds.LATEST_MICROS + 1}) {
            assertThrows(IllegalArgumentException.class, () -> new TaskStart(bad, "d", null, "t"));
            assertThrows(IllegalArgumentException.class, () -> new RunFinished(bad, "s", null, null, null, null,
                    null));
            assertThrows(IllegalArgumentException.class, () -> new ScheduleEnqueued(ts, "s", null, null,
                    Math.floorDiv(bad, Timestamps.MICROS_PER_MINUTE)));
        }
        // the edges themselves are events
        new TaskStart(EventBounds.EARLIEST_MICROS, "d", null, "t");
        new TaskStart(EventBounds.LATEST_MICROS, "d", null, "t");
        new DagStart(ts, "d", null, null, EventBounds.MAX_COUNT);
        new RunFinished(ts, "s", null, null, null, null, EventBounds.MAX_DURATION_SECONDS);
        new ScheduleEnqueued(ts, "s", null, null, EventBounds.LATEST_MICROS / Timestamps.MICROS_PER_MINUTE);
    }
}
