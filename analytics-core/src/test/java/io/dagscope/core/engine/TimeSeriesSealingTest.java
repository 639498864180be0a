package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.time.TimeWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sealed days answer exactly as live ones: a series written at random minutes over weeks (with removals, as a run
 * moving to another tenant makes, late writes into sealed days, and sealing passes in between) gives, for random
 * windows, the same counters and the same sketch buckets as cells that were never sealed, whether the sealed days
 * are kept in the heap or in mapped files.
 */
class TimeSeriesSealingTest {

    @TempDir
    Path dir;

    private HistoryStore store(String kind) {
        return kind.equals("files") ? FileHistoryStore.open(dir) : new HeapHistoryStore();
    }

    private record Write(long minute, int kind, long durationMicros, int sign) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void sealedDaysAnswerExactlyAsLiveOnes(String storeKind) {
        HistoryStore store = store(storeKind);
        for (int seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            TimeSeries.Sealing sealing = new TimeSeries.Sealing(store);
            TimeSeries<Cell> series = new TimeSeries<>(Cell::new, Cell.CODEC, sealing);
            TimeSeries.Sealing never = new TimeSeries.Sealing(new HeapHistoryStore());
            TimeSeries<Cell> reference = new TimeSeries<>(Cell::new, Cell.CODEC, never);
            List<Write> written = new ArrayList<>();
            long firstMinute = 29_000_000L + random.nextInt(1440);
            long newest = firstMinute;
            for (int i = 0; i < 20_000; i++) {
                long minute;
                if (!written.isEmpty() && random.nextInt(50) == 0) {
                    Write w = written.get(random.nextInt(written.size()));
                    if (random.nextBoolean()) {
                        // take a write out again, wherever it is (sealed or not)
                        apply(series, w.minute, w.kind, w.durationMicros, -w.sign);
                        apply(reference, w.minute, w.kind, w.durationMicros, -w.sign);
                        written.remove(w);
                        continue;
                    }
                    minute = w.minute; // a late write into an old (maybe sealed) minute
                } else {
                    newest += random.nextInt(4);
                    minute = newest;
                }
                int kind = random.nextInt(4);
                long duration = kind >= Contribution.SUCCEEDED && random.nextInt(5) > 0
                        ? (long) Math.exp(random.nextDouble() * 18) : Contribution.NO_DURATION;
                apply(series, minute, kind, duration, 1);
                apply(reference, minute, kind, duration, 1);
                written.add(new Write(minute, kind, duration, 1));
                if (random.nextInt(500) == 0) {
                    sealing.before = Math.max(sealing.before, Math.floorDiv(newest, 1440) - random.nextInt(3));
                    series.sealBefore(sealing.before);
                }
            }
            sealing.before = Math.floorDiv(newest, 1440);
            series.sealBefore(sealing.before);
            assertTrue(series.sealedCells() > 0, "seed " + seed + ": something was sealed");
            for (int q = 0; q < 300; q++) {
                long start = firstMinute - 100 + random.nextLong(newest - firstMinute + 200);
                long end = start + random.nextLong(Math.max(1, newest + 100 - start));
                TimeWindow window = new TimeWindow(start, end);
                assertEquals(stats(reference, window), stats(series, window), "seed " + seed + " window " + window);
                assertEquals(buckets(reference, window), buckets(series, window),
                        "seed " + seed + " window " + window);
            }
            assertEquals(reference.allTime().toStats(), series.allTime().toStats());
        }
        HistoryStore.Usage usage = store.usage();
        assertTrue(usage.blockBytes() > 0, "the sealed days are in the store");
        store.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void aWriteToASealedDayUnsealsItAndTheNextPassSealsItAgain(String kind) {
        HistoryStore store = store(kind);
        TimeSeries.Sealing sealing = new TimeSeries.Sealing(store);
        TimeSeries<long[]> series = new TimeSeries<>(() -> new long[1], CellCodec.COUNTER, sealing);
        long day0 = 20_000;
        for (int m = 0; m < 3 * 1440; m += 7) {
            series.update(day0 * 1440 + m, c -> c[0]++);
        }
        sealing.before = day0 + 2;
        series.sealBefore(sealing.before);
        int sealedBefore = series.sealedCells();
        assertTrue(sealedBefore > 0);
        long[] total = {0};
        series.sumIn(new TimeWindow(day0 * 1440 + 5, day0 * 1440 + 2000), total);
        assertEquals(expectedCount(5, 2000), total[0]);

        series.update(day0 * 1440 + 14, c -> c[0] += 5); // a minute that had a cell
        assertTrue(series.sealedCells() < sealedBefore, "the written day was unsealed");
        assertEquals(1, sealing.lateWrites);
        assertEquals(series.sealedBytes(), store.usage().blockBytes(), "the unsealed day's block was released");
        total[0] = 0;
        series.sumIn(new TimeWindow(day0 * 1440 + 5, day0 * 1440 + 2000), total);
        assertEquals(expectedCount(5, 2000) + 5, total[0]);

        series.sealBefore(sealing.before);
        assertEquals(sealedBefore, series.sealedCells(), "sealed again, the minute's cell counted once");
        total[0] = 0;
        series.sumIn(new TimeWindow(day0 * 1440, day0 * 1440 + 15), total);
        assertEquals(expectedCount(0, 15) + 5, total[0]);
        assertTrue(series.sealedBytes() < 10L * series.sealedCells(), "a few bytes a sealed counter");
        assertEquals(series.sealedBytes(), store.usage().blockBytes());
        // whole days are answered from the sealed day cells
        total[0] = 0;
        series.sumIn(new TimeWindow(day0 * 1440, (day0 + 2) * 1440), total);
        assertEquals(expectedCount(0, 2 * 1440) + 5, total[0]);
        store.close();
    }

    private static long expectedCount(int fromMinute, int toMinute) {
        long n = 0;
        for (int m = 0; m < 3 * 1440; m += 7) {
            if (m >= fromMinute && m < toMinute) {
                n++;
            }
        }
        return n;
    }

    private static void apply(TimeSeries<Cell> series, long minute, int kind, long duration, int sign) {
        Object[] cells = new Object[4];
        series.cellsAt(minute, cells);
        for (Object c : cells) {
            ((Cell) c).add(kind, duration, sign);
        }
    }

    private static TaskStats stats(TimeSeries<Cell> series, TimeWindow window) {
        Cell sum = new Cell();
        series.sumIn(window, sum);
        return sum.toStats();
    }

    private static List<Long> buckets(TimeSeries<Cell> series, TimeWindow window) {
        Cell sum = new Cell();
        series.sumIn(window, sum);
        List<Long> out = new ArrayList<>();
        Bytes.Writer writer = new Bytes.Writer();
        Cell.CODEC.write(sum, writer);
        for (byte b : writer.toArray()) {
            out.add((long) b);
        }
        return out;
    }
}
