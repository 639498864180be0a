package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.port.out.HistoryStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The set of enqueued minutes answers as a plain set does, through sealing passes, late additions into sealed days
 * and reads of sealed days, in the heap or in mapped files.
 */
class MinuteSetTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void answersAsAPlainSetThroughSealingAndLateAdditions(String kind) {
        try (HistoryStore store = kind.equals("files") ? FileHistoryStore.open(dir) : new HeapHistoryStore()) {
            SplittableRandom random = new SplittableRandom(9);
            MinuteSet set = new MinuteSet(store);
            Set<Long> expected = new HashSet<>();
            long first = 20_000L * 1440 - 300; // starts just before a day's end, and one negative-free epoch
            long newest = first;
            for (int i = 0; i < 20_000; i++) {
                long minute;
                if (random.nextInt(40) == 0) {
                    minute = first + random.nextLong(newest - first + 1); // late, maybe into a sealed day
                } else {
                    newest += random.nextInt(3);
                    minute = newest;
                }
                set.add(minute);
                expected.add(minute);
                if (random.nextInt(1000) == 0) {
                    set.sealBefore(Math.floorDiv(newest, 1440) - 1);
                }
            }
            set.sealBefore(Math.floorDiv(newest, 1440) - 1);
            assertTrue(set.liveDays() <= 2, "only the newest days stay live: " + set.liveDays());
            assertTrue(store.usage().blockBytes() > 0, "the sealed days are in the store");
            for (long m = first - 1440; m <= newest + 1440; m++) {
                assertEquals(expected.contains(m), set.contains(m), "minute " + m);
            }
        }
    }
}
