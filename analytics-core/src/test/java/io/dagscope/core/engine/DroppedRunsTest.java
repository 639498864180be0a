package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Dropped runs are found with their tenant, recent or archived, as a plain map would find them. */
class DroppedRunsTest {

    @Test
    void findsEveryDroppedRunWithItsTenantAcrossArchiveMerges() {
        DroppedRuns dropped = new DroppedRuns();
        Map<Long, Integer> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3 * DroppedRuns.MERGE_AT + 123; i++) {
            long hash = random.nextInt(20) == 0 && !expected.isEmpty()
                    ? expected.keySet().iterator().next() // dropped again: the newer tenant wins
                    : random.nextLong();
            int tenant = random.nextInt(50) - 1;
            dropped.put(hash, tenant);
            expected.put(hash, tenant);
        }
        assertTrue(dropped.archivedBytes() > 0, "some were archived");
        assertEquals(3L * DroppedRuns.MERGE_AT + 123, dropped.dropped());
        expected.forEach((hash, tenant) -> assertEquals(tenant, dropped.get(hash), "run " + hash));
        for (int i = 0; i < 10_000; i++) {
            long hash = random.nextLong();
            if (!expected.containsKey(hash)) {
                assertNull(dropped.get(hash));
            }
        }
    }
}
