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

    @org.junit.jupiter.api.Test
    void aTableReadBackOrMergedFillsAsTheFoldFilledIt() throws java.io.IOException {
        // written in slot order, read into a table that grows as it fills, runs would cluster: each insert probing
        // the whole cluster, quadratic in the runs (a snapshot of 10 M lines took a minute to read)
        DroppedRuns original = new DroppedRuns(new HeapHistoryStore());
        SplittableRandom random = new SplittableRandom(5);
        int runs = 300_000;
        for (int i = 0; i < runs; i++) {
            original.put(random.nextLong(), random.nextInt(7));
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        StateOutput out = new StateOutput(bytes);
        original.write(out);
        out.drain();
        DroppedRuns read = new DroppedRuns(new HeapHistoryStore());
        read.read(new StateInput(new java.io.ByteArrayInputStream(bytes.toByteArray())), 7);
        assertTrue(read.probes < 4L * runs, "a few slots looked at a run, not " + read.probes / runs);
        DroppedRuns merged = new DroppedRuns(new HeapHistoryStore());
        merged.mergeFrom(original, tenant -> tenant);
        assertTrue(merged.probes < 4L * runs, "a few slots looked at a run, not " + merged.probes / runs);
        for (DroppedRuns copy : java.util.List.of(read, merged)) {
            assertEquals(original.size(), copy.size());
            assertEquals(original.dropped(), copy.dropped());
        }
        SplittableRandom again = new SplittableRandom(5);
        for (int i = 0; i < runs; i++) {
            long hash = again.nextLong();
            int tenant = again.nextInt(7);
            assertEquals(tenant, read.get(hash));
            assertEquals(tenant, merged.get(hash));
        }
    }
}
