package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.TaskSummary;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Windowed counters against a brute-force count over the events, for random window ends and lengths. */
class WindowPropertyTest {

    private static final long MINUTE = 60_000_000L;

    @Test
    void windowedCountersEqualABruteForceCountForRandomEndsAndLengths() {
        check(false);
    }

    /**
     * Events in time order, so that every day before yesterday is sealed as the newest event moves on, then a tenth
     * of them again, late, into those sealed days: the windows still count exactly.
     */
    @Test
    void sealedDaysAndLateEventsIntoThemCountExactly() {
        check(true);
    }

    private static void check(boolean inTimeOrderThenLate) {
        Random rnd = new Random(42);
        long base = Timestamps.parseMicros("2025-10-01T00:00:00Z");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long at = base + (long) (rnd.nextDouble() * 10 * 24 * 60 * MINUTE);
            String run = "r" + rnd.nextInt(500);
            switch (rnd.nextInt(3)) {
                case 0 -> events.add(new TaskStart(at, "dag", run, "t" + i));
                case 1 -> events.add(new TaskOk(at, "dag", run, "u" + i, 1));
                default -> events.add(new TaskRetry(at, "dag", run, "v" + i, 1, "e"));
            }
        }
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        SourceFeed feed = engine.feed("events");
        if (inTimeOrderThenLate) {
            events.sort(java.util.Comparator.comparingLong(Event::timestampMicros));
            events.forEach(feed::accept);
            feed.flush();
            assertTrue(engine.stats().cellsSealed() > 0.5 * engine.stats().cells(), "most days are sealed");
            List<Event> late = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                late.add(events.get(rnd.nextInt(events.size() / 2)));
            }
            late.forEach(feed::accept);
            feed.flush();
            events.addAll(late);
        } else {
            events.forEach(feed::accept);
            feed.flush();
        }
        for (int trial = 0; trial < 300; trial++) {
            long end = base - 60 * MINUTE + (long) (rnd.nextDouble() * 12 * 24 * 60 * MINUTE);
            double hours = switch (trial % 4) {
                case 0 -> 1 + rnd.nextInt(24 * 14);
                case 1 -> rnd.nextDouble() * 3;
                case 2 -> 0.01 + rnd.nextDouble() * 300;
                default -> (1 + rnd.nextInt(600)) / 60.0;
            };
            if (hours <= 0) {
                hours = 0.5;
            }
            // the window, computed here from METRICS.md's words: end rounded down to the minute, and so is end-hours
            long endMinute = Math.floorDiv(end, MINUTE) * MINUTE;
            long start = Math.floorDiv(endMinute - Math.round(hours * 3600e6), MINUTE) * MINUTE;
            long started = 0;
            long ok = 0;
            long retried = 0;
            for (Event e : events) {
                long at = e.timestampMicros();
                if (at >= start && at < endMinute) {
                    if (e instanceof TaskStart) {
                        started++;
                    } else if (e instanceof TaskOk) {
                        ok++;
                    } else {
                        retried++;
                    }
                }
            }
            TaskSummary s = engine.taskSummary(new TaskSummaryQuery.Request(
                    WindowRequest.of(hours, Timestamps.toInstant(end)), Optional.empty(), Optional.empty(),
                    TenantScope.ALL));
            String where = "end " + Timestamps.format(end) + ", hours " + hours;
            assertEquals(Timestamps.toInstant(start), s.windowStart(), where);
            assertEquals(Timestamps.toInstant(endMinute), s.windowEnd(), where);
            assertEquals(started, s.window().started(), where);
            assertEquals(ok, s.window().succeeded(), where);
            assertEquals(retried, s.window().retried(), where);
        }
    }
}
