package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.EventBounds;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One event stamped in the future (a wrong clock, or an embedding program that bypasses the decoder's limits) must
 * not make other runs' detail look old: retention and sealing count back from the newest event, but never from later
 * than now.
 */
class FutureEventsTest {

    private static final Instant NOW = Instant.parse("2025-10-22T14:00:00Z");
    private static final long HOUR = 3_600_000_000L;
    private static final long NOW_MICROS = Timestamps.toMicros(NOW);

    /** Retention: a day, or the newest 2 runs; the query clock and the host's clock both say NOW. */
    private static AnalyticsEngine engine() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 2), clock,
                new HeapHistoryStore(), clock);
    }

    /** Six runs started 20 h to 3 h ago: within the day, so all are kept. */
    private static List<String> recentRuns(SourceFeed feed) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long start = NOW_MICROS - (20 - 3 * i) * HOUR;
            String id = "recent-" + i;
            feed.accept(new DagStart(start, "etl", id, "acme", 1));
            feed.accept(new TaskStart(start + 1_000_000, "etl", id, "x"));
            feed.accept(new TaskOk(start + 4_000_000, "etl", id, "x", 1));
            ids.add(id);
        }
        feed.flush();
        return ids;
    }

    private static void assertKept(AnalyticsEngine engine, List<String> ids) {
        for (String id : ids) {
            assertTrue(engine.dagRun(id, TenantScope.ALL).isPresent(), id + " was dropped: " + engine.stats());
            assertEquals(RunStatus.RUNNING, engine.dagRun(id, TenantScope.ALL).get().status());
            assertEquals(1, engine.dagRun(id, TenantScope.ALL).get().tasks().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-10-23T13:00:00Z", "2025-10-23T14:00:00Z", "2025-10-25T00:00:00Z",
        "2026-10-22T14:00:00Z", "9999-12-31T23:59:59.999999Z"})
    void anEventStampedAheadOfNowDropsNoRetainedRun(String future) {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        List<String> ids = recentRuns(feed);
        assertKept(engine, ids);

        long at = Timestamps.toMicros(Instant.parse(future));
        feed.accept(new TaskOk(at, "etl", "future-run", "x", 1));
        feed.flush();

        assertKept(engine, ids);
        assertEquals(0, engine.stats().runsDropped());
    }

    @Test
    void manyFutureRunsDropNothingThatIsYoungerThanTheRetentionByNow() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        List<String> ids = recentRuns(feed);
        for (int i = 0; i < 1000; i++) {
            long at = EventBounds.LATEST_MICROS - i * HOUR;
            feed.accept(new DagStart(at, "etl", "future-" + i, "mallory", 1));
        }
        feed.flush();

        assertKept(engine, ids);
    }

    @Test
    void retentionStillCountsFromTheNewestEventWhenThatIsBeforeNow() {
        // old logs read today: the newest event, not today's clock, says what is old
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 2),
                clock, new HeapHistoryStore(), clock);
        SourceFeed feed = engine.feed("events");
        List<String> ids = recentRuns(feed);
        assertKept(engine, ids);
        feed.accept(new DagStart(NOW_MICROS + 6 * HOUR, "etl", "newest", "acme", 1));
        feed.flush();
        // the newest event is 6 h after NOW: runs started more than a day before it go, beyond the newest 2
        assertTrue(engine.dagRun("recent-0", TenantScope.ALL).isEmpty());
        assertKept(engine, ids.subList(1, ids.size()));
    }

    @Test
    void aLaterQueryClockThanTheHostsCountsAsNow() {
        // dagscope query --end in the future (logs generated ahead of today): now is the later of the two clocks
        Clock host = Clock.fixed(NOW.minus(Duration.ofDays(30)), ZoneOffset.UTC);
        Clock end = Clock.fixed(NOW, ZoneOffset.UTC);
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 2),
                end, new HeapHistoryStore(), host);
        SourceFeed feed = engine.feed("events");
        List<String> ids = recentRuns(feed);
        feed.accept(new DagStart(NOW_MICROS + 2 * HOUR, "etl", "ahead", "acme", 1));
        feed.flush();
        assertKept(engine, ids);
        feed.accept(new DagStart(NOW_MICROS + 10 * HOUR, "etl", "further", "acme", 1));
        feed.flush();
        assertKept(engine, ids);
    }

    @Test
    void aFutureEventDoesNotSealTheDaysThatNowStillWrites() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        recentRuns(feed);
        long sealedBefore = engine.stats().cellsSealed();
        feed.accept(new TaskOk(EventBounds.LATEST_MICROS, "etl", "future", "x", 1));
        feed.flush();
        assertEquals(sealedBefore, engine.stats().cellsSealed(), "nothing is sealed on a future event's word");

        // and answers about the days around now are whole
        var summary = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24, NOW), Optional.empty(),
                Optional.empty(), TenantScope.ALL));
        assertEquals(6, summary.window().succeeded());
        assertEquals(7, summary.allTime().succeeded());
        assertEquals(3.0, summary.window().avgDurationSeconds().getAsDouble());
    }

    @Test
    void lateAndOutOfOrderEventsStillCount() {
        AnalyticsEngine engine = engine();
        SourceFeed feed = engine.feed("events");
        List<String> ids = recentRuns(feed);
        // a source read after another, days behind it: legitimate
        long late = NOW_MICROS - 5 * 24 * HOUR;
        feed.accept(new DagStart(late, "etl", "late", "acme", 1));
        feed.accept(new TaskStart(late + 1_000_000, "etl", "late", "x"));
        feed.accept(new TaskOk(late + 2_000_000, "etl", "late", "x", 1));
        feed.flush();
        assertKept(engine, ids);
        var summary = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.of(24 * 7, NOW),
                Optional.empty(), Optional.empty(), TenantScope.ALL));
        assertEquals(7, summary.window().succeeded());
    }
}
