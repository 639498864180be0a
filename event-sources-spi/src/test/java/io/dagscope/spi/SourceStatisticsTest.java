package io.dagscope.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SourceStatisticsTest {

    private static final long T1 = Timestamps.toMicros(Instant.parse("2025-10-20T13:55:00Z"));
    private static final long T2 = Timestamps.toMicros(Instant.parse("2025-10-21T08:00:00.000001Z"));

    private final SourceStatistics statistics = new SourceStatistics("events", "jsonl", "logs/x.jsonl*");

    @Test
    void aTallyCountsNothingUntilItIsMergedAndThenEverythingAtOnce() {
        SourceStatistics.Tally tally = new SourceStatistics.Tally();
        tally.eventRead(T2);
        tally.eventIgnored(T1);
        tally.lineSkipped(SkipReason.NOT_JSON);
        tally.lineSkipped(SkipReason.NOT_JSON);
        tally.lineSkipped(SkipReason.TOO_LONG);
        assertEquals(5, tally.lines());
        assertEquals(0, statistics.snapshot().eventsRead(), "nothing is visible before the merge");

        statistics.merge(tally);

        SourceStatus st = statistics.snapshot();
        assertEquals(2, st.eventsRead());
        assertEquals(1, st.ignored());
        assertEquals(Map.of("not_json", 2L, "too_long", 1L), st.skippedByReason());
        assertEquals(Instant.parse("2025-10-20T13:55:00Z"), st.firstEventAt().orElseThrow());
        assertEquals(Instant.parse("2025-10-21T08:00:00.000001Z"), st.lastEventAt().orElseThrow());
        assertEquals(2, statistics.eventsRead());
        assertEquals(2, statistics.skipped(SkipReason.NOT_JSON));
        assertEquals(0, statistics.skipped(SkipReason.BAD_TIMESTAMP));
    }

    @Test
    void mergingEmptiesTheTallySoItCountsOnFromZero() {
        SourceStatistics.Tally tally = new SourceStatistics.Tally();
        tally.eventRead(T2);
        statistics.merge(tally);
        assertEquals(0, tally.lines());
        tally.eventRead(T1);
        tally.lineSkipped(SkipReason.MISSING_FIELD);
        statistics.merge(tally);
        statistics.merge(tally);

        SourceStatus st = statistics.snapshot();
        assertEquals(2, st.eventsRead(), "a merged tally is not added twice");
        assertEquals(Map.of("missing_field", 1L), st.skippedByReason());
        assertEquals(Instant.parse("2025-10-20T13:55:00Z"), st.firstEventAt().orElseThrow(),
                "the earliest instant over every merge");
        assertEquals(Instant.parse("2025-10-21T08:00:00.000001Z"), st.lastEventAt().orElseThrow());
    }

    @Test
    void thePerLineMethodsCountAsBefore() {
        statistics.eventRead(T1);
        statistics.eventIgnored(T2);
        statistics.lineSkipped(SkipReason.BAD_TIMESTAMP);
        SourceStatus st = statistics.snapshot();
        assertEquals(2, st.eventsRead());
        assertEquals(1, st.ignored());
        assertEquals(Map.of("bad_timestamp", 1L), st.skippedByReason());
    }

    @Test
    void theStatusCarriesNameHealthAndLag() {
        SourceStatus fresh = statistics.snapshot();
        assertEquals("events", fresh.name());
        assertEquals("jsonl", fresh.kind());
        assertEquals("logs/x.jsonl*", fresh.location());
        assertTrue(fresh.healthy());
        assertTrue(fresh.firstEventAt().isEmpty(), "no instant before any event");
        assertTrue(fresh.lagBytes().isEmpty());

        statistics.unhealthy("no file matches logs/x.jsonl*");
        statistics.lag(120, -1);
        SourceStatus sick = statistics.snapshot();
        assertFalse(sick.healthy());
        assertEquals("no file matches logs/x.jsonl*", sick.error().orElseThrow());
        assertEquals(120, sick.lagBytes().orElseThrow());
        assertTrue(sick.lagObjects().isEmpty());

        statistics.healthy();
        assertTrue(statistics.snapshot().error().isEmpty());
    }

    @Test
    void resetStartsAgainFromNothing() {
        SourceStatistics.Tally tally = new SourceStatistics.Tally();
        tally.eventRead(T1);
        tally.lineSkipped(SkipReason.NOT_OBJECT);
        statistics.merge(tally);
        statistics.unhealthy("broken");
        statistics.lag(5, 2);

        statistics.reset();

        SourceStatus st = statistics.snapshot();
        assertEquals(0, st.eventsRead());
        assertEquals(Map.of(), st.skippedByReason());
        assertTrue(st.firstEventAt().isEmpty());
        assertTrue(st.healthy());
        assertTrue(st.lagBytes().isEmpty() && st.lagObjects().isEmpty());
        tally.eventRead(T2);
        statistics.merge(tally);
        assertEquals(Instant.parse("2025-10-21T08:00:00.000001Z"), statistics.snapshot().firstEventAt().orElseThrow(),
                "the instants start again too");
    }

    @Test
    void snapshotsTakenWhileAnotherThreadMergesAlwaysSeeWholeMerges() throws InterruptedException {
        int merges = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                SourceStatus st = statistics.snapshot();
                long skipped = st.skippedByReason().getOrDefault("not_json", 0L);
                // every merge adds three events, one of them ignored, and one skipped line
                if (st.eventsRead() != 3 * skipped || st.ignored() != skipped
                        || st.firstEventAt().isPresent() != (st.eventsRead() > 0)) {
                    throw new AssertionError("a partial merge was seen: " + st);
                }
            }
        });
        List<Throwable> failures = new ArrayList<>();
        reader.setUncaughtExceptionHandler((t, e) -> failures.add(e));
        reader.start();
        SourceStatistics.Tally tally = new SourceStatistics.Tally();
        for (int i = 0; i < merges; i++) {
            tally.eventRead(T1 + i);
            tally.eventRead(T1 - i);
            tally.eventIgnored(T1);
            tally.lineSkipped(SkipReason.NOT_JSON);
            statistics.merge(tally);
        }
        done.set(true);
        reader.join();
        assertEquals(List.of(), failures);
        assertEquals(3L * merges, statistics.snapshot().eventsRead());
        assertEquals(merges, statistics.skipped(SkipReason.NOT_JSON));
    }
}
