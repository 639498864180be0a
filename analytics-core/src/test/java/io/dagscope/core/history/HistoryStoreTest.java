package io.dagscope.core.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.out.HistoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both stores keep blocks and tables exactly, count what they hold, and the file store cleans up after itself. */
class HistoryStoreTest {

    @TempDir
    Path dir;

    private HistoryStore store(String kind) {
        return kind.equals("files") ? FileHistoryStore.open(dir.resolve("history")) : new HeapHistoryStore();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void blocksReadBackAsWrittenThroughPutsAndReleases(String kind) {
        try (HistoryStore store = store(kind)) {
            SplittableRandom random = new SplittableRandom(3);
            Map<Long, byte[]> live = new HashMap<>();
            long bytes = 0;
            for (int i = 0; i < 5_000; i++) {
                if (!live.isEmpty() && random.nextInt(3) == 0) {
                    long handle = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
                    bytes -= live.remove(handle).length;
                    store.release(handle);
                    continue;
                }
                byte[] block = new byte[random.nextInt(i % 100 == 0 ? 200_000 : 3_000)];
                random.nextBytes(block);
                byte[] padded = java.util.Arrays.copyOf(block, block.length + 17); // only `length` bytes are kept
                long handle = store.put(padded, block.length);
                assertNotEquals(0, handle);
                live.put(handle, block);
                bytes += block.length;
            }
            assertEquals(bytes, store.usage().blockBytes());
            assertEquals(kind, store.usage().kind());
            live.forEach((handle, block) -> {
                ByteBuffer read = store.get(handle);
                assertEquals(block.length, read.remaining());
                byte[] copy = new byte[block.length];
                read.get(0, copy);
                assertArrayEquals(block, copy, "block " + handle);
                assertTrue(read.isReadOnly());
            });
        }
    }

    @Test
    void theFileStoreReusesARegionWhoseBlocksWereAllReleased() {
        try (FileHistoryStore store = FileHistoryStore.open(dir)) {
            // blocks that fill 64 KiB each with their header: regions of 1, 1 and 2 MiB hold 16, 16 and 32
            byte[] block = new byte[(64 << 10) - 4];
            List<Long> handles = new ArrayList<>();
            for (int i = 0; i < 16 + 16 + 1; i++) {
                handles.add(store.put(block, block.length));
            }
            assertEquals(3, store.regions(), "1 MiB, 1 MiB, then 2 MiB, the third holding one block");
            handles.subList(0, 15).forEach(store::release);
            assertEquals(15L * block.length, store.usage().releasedBytes(), "garbage, for now");
            store.release(handles.get(15)); // the last block of the first region
            assertEquals(0, store.usage().releasedBytes(), "the first region was given back");
            for (int i = 0; i < 31 + 16; i++) { // the rest of the third region, then the first again
                store.put(block, block.length);
            }
            assertEquals(3, store.regions(), "the new blocks went into the reused region, not a new one");
            store.put(block, block.length);
            assertEquals(4, store.regions());
            assertEquals((16 + 1 + 31 + 16 + 1L) * block.length, store.usage().blockBytes());
        }
    }

    @Test
    void regionsGrowWithTheFileUpToTheirLargestSize() {
        try (FileHistoryStore store = FileHistoryStore.open(dir)) {
            byte[] block = new byte[(1 << 20) - 4];
            for (int i = 0; i < 200; i++) {
                store.put(block, block.length);
            }
            // 1 + 1 + 2 + 4 + ... + 64, then 64 MiB regions: the file is far fewer regions than blocks
            assertTrue(blocksFileSize() >= 200L << 20, "every block has its space");
            assertTrue(store.regions() <= 10, "regions: " + store.regions());
            assertTrue(blocksFileSize() < (200L << 20) + FileHistoryStore.REGION_BYTES, "a region's waste at most");
        }
    }

    @Test
    void aBlockLargerThanARegionGetsARegionOfItsOwn() {
        try (FileHistoryStore store = FileHistoryStore.open(dir)) {
            byte[] large = new byte[FileHistoryStore.REGION_BYTES + 10];
            large[large.length - 1] = 42;
            long small = store.put(new byte[] {7}, 1);
            long handle = store.put(large, large.length);
            assertEquals(42, store.get(handle).get(large.length - 1));
            assertEquals(7, store.get(small).get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "files"})
    void tablesStartZeroedAreWritableAndAreCounted(String kind) {
        try (HistoryStore store = store(kind)) {
            ByteBuffer table = store.allocate(1 << 16);
            assertEquals(1 << 16, table.capacity());
            for (int i = 0; i < table.capacity(); i += 8) {
                assertEquals(0, table.getLong(i));
            }
            table.putLong(8, 99);
            assertEquals(99, table.getLong(8));
            assertEquals(1 << 16, store.usage().tableBytes());
            store.free(table);
            assertEquals(0, store.usage().tableBytes());
            assertThrows(IllegalArgumentException.class, () -> store.allocate(-1));
        }
    }

    @Test
    void theFileStoreDeletesItsFilesOnCloseAndLeavesOthersAlone() throws IOException {
        Path other = Files.writeString(dir.resolve("someone-elses.txt"), "keep me");
        FileHistoryStore store = FileHistoryStore.open(dir);
        store.put(new byte[] {1, 2, 3}, 3);
        ByteBuffer table = store.allocate(4096);
        ByteBuffer freed = store.allocate(4096);
        store.free(freed);
        assertEquals(4, files().size(), "the lock, the blocks, a table and the other file");
        store.close();
        assertEquals(List.of(other), files());
        assertThrows(IllegalStateException.class, () -> store.put(new byte[1], 1));
        assertEquals(0, table.getLong(0), "a reader still holding a mapping can finish");
    }

    @Test
    void readOnlyBlocksCannotBeWritten() {
        try (FileHistoryStore store = FileHistoryStore.open(dir)) {
            long handle = store.put(new byte[] {1, 2}, 2);
            assertThrows(ReadOnlyBufferException.class, () -> store.get(handle).put(0, (byte) 5));
        }
    }

    private long blocksFileSize() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".blocks")).findFirst().orElseThrow().toFile().length();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
