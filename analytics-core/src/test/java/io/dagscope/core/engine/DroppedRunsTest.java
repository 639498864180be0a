package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.port.out.HistoryStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dropped runs are found with their tenant as a plain map would find them, across the table's doublings and pages,
 * in the heap or in mapped files.
 */
class DroppedRunsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void findsEveryDroppedRunWithItsTenantAcrossDoublings(String kind) {
        HistoryStore store = kind.equals("files") ? FileHistoryStore.open(dir) : new HeapHistoryStore();
        DroppedRuns dropped = new DroppedRuns(store);
        Map<Long, Integer> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        int puts = DroppedRuns.PAGE_SLOTS + 123; // the table goes past one page
        for (int i = 0; i < puts; i++) {
            long hash = i == 5 ? 0 // the hash that marks empty slots is a hash like any other
                    : random.nextInt(20) == 0 && !expected.isEmpty()
                    ? expected.keySet().iterator().next() // dropped again: the newer tenant wins
                    : random.nextLong();
            int tenant = random.nextInt(50) - 1;
            dropped.put(hash, tenant);
            expected.put(hash, tenant);
        }
        assertEquals(puts, dropped.dropped());
        assertEquals(expected.size(), dropped.size());
        assertEquals(dropped.archivedBytes(), store.usage().tableBytes(), "the old tables were freed");
        assertTrue(dropped.archivedBytes() >= 2 * 12L * expected.size(), "at most half full");
        expected.forEach((hash, tenant) -> assertEquals(tenant, dropped.get(hash), "run " + hash));
        for (int i = 0; i < 10_000; i++) {
            long hash = random.nextLong();
            if (!expected.containsKey(hash)) {
                assertNull(dropped.get(hash));
            }
        }
        store.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void anEmptyArchiveFindsNothingAndHoldsNothing(String kind) {
        HistoryStore store = kind.equals("files") ? FileHistoryStore.open(dir) : new HeapHistoryStore();
        DroppedRuns dropped = new DroppedRuns(store);
        assertNull(dropped.get(0));
        assertNull(dropped.get(42));
        assertEquals(0, store.usage().tableBytes());
        store.close();
    }
}
