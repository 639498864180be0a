package io.dagscope.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.snapshot.SnapshotException;
import io.dagscope.core.snapshot.SnapshotFile;
import io.dagscope.core.snapshot.SnapshotFolder;
import io.dagscope.core.snapshot.SnapshotKeeper;
import io.dagscope.core.snapshot.SnapshotRestore;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot file and the start from one: a snapshot of an ingestor, restored, goes on exactly as the ingestor that
 * never stopped; a file cut short, damaged anywhere, foreign, of a newer version or of other settings is refused with
 * the file and the reason and nothing of it is kept, and the sources are read from the start; a write that fails
 * leaves the previous file whole; files are their owner's only.
 */
class SnapshotFileTest {

    private static final Instant NOW = Timestamps.toInstant(RandomLogs.BASE + 6 * 24 * 60 * RandomLogs.MINUTE);

    @TempDir
    Path dir;

    /** A source over a list of events, delivered a batch a poll, that records and resumes its place. */
    static class ListSource implements EventSource {
        final String name;
        final List<Event> events;
        final int batch;
        final boolean positions;
        int next;
        long polls;

        ListSource(String name, List<Event> events, int batch, boolean positions) {
            this.name = name;
            this.events = events;
            this.batch = batch;
            this.positions = positions;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long poll(EventSink sink) {
            polls++;
            int to = Math.min(events.size(), next + batch);
            for (int i = next; i < to; i++) {
                sink.accept(events.get(i));
            }
            long n = to - next;
            next = to;
            return n;
        }

        @Override
        public byte[] position() {
            if (!positions) {
                return EventSource.super.position();
            }
            return ByteBuffer.allocate(4).putInt(next).array();
        }

        @Override
        public void resume(byte[] position) {
            if (!positions) {
                EventSource.super.resume(position);
            }
            if (polls > 0) {
                throw new IllegalStateException("polled already");
            }
            if (position.length != 4) {
                throw new IllegalArgumentException("not a position of mine");
            }
            next = ByteBuffer.wrap(position).getInt();
        }

        @Override
        public void rewind() {
            next = 0;
            polls = 0;
        }

        @Override
        public SourceStatus status() {
            return new SourceStatus(name, "list", "memory:" + name, next, Map.of(), 0, Optional.empty(),
                    Optional.empty(), true, Optional.empty(), OptionalLong.empty(), OptionalLong.empty());
        }

        @Override
        public void close() {
        }
    }

    private static Supplier<AnalyticsEngine> engines(EngineSettings settings) {
        return () -> new AnalyticsEngine(settings, Clock.fixed(NOW, ZoneOffset.UTC), new HeapHistoryStore(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Ingestor ingestor(RandomLogs.Logs logs, Supplier<AnalyticsEngine> engines, boolean positions) {
        Ingestor ingestor = new Ingestor(engines);
        ingestor.add(new ListSource("events", logs.runner(), 97, positions));
        ingestor.add(new ListSource("state", logs.state(), 211, true));
        return ingestor;
    }

    private static void pollUntilDone(Ingestor ingestor) {
        while (ingestor.pollOnce() > 0) {
            // every batch
        }
    }

    @Test
    void aRestoredIngestorGoesOnExactlyAsOneThatNeverStopped() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(5, RandomLogs.Ids.MIXED).generate(200);
        Supplier<AnalyticsEngine> engines = engines(EngineSettings.DEFAULTS);
        Ingestor never = ingestor(logs, engines, true);
        pollUntilDone(never);

        Ingestor first = ingestor(logs, engines, true);
        for (int i = 0; i < 4; i++) {
            first.pollOnce();
        }
        Path file = dir.resolve("a.dgsnap");
        SnapshotFile.Header header = SnapshotFile.write(file, first, "dagscope test");
        assertEquals(first.engine().stats().eventsApplied(), header.eventsApplied());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "the owner's only");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left");
        }
        first.close();

        Ingestor second = ingestor(logs, engines, true);
        SnapshotRestore.Outcome outcome = SnapshotRestore.restore(second, List.of(file));
        assertEquals(List.of(), outcome.refused());
        assertEquals(file, outcome.used().orElseThrow().file());
        assertEquals(header.eventsApplied(), second.engine().stats().eventsApplied());
        pollUntilDone(second);
        MergeMatchesOneFoldTest.assertSameAnswers(never.engine(), second.engine(), new Random(1), "restored: ");
        assertEquals(never.engine().stats().eventsApplied(), second.engine().stats().eventsApplied());
        never.close();
        second.close();
    }

    @Test
    void aDamagedFileIsRefusedWithTheReasonWhereverItIsDamagedAndTheLogsAreReadFromTheStart() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(6, RandomLogs.Ids.ALWAYS).generate(120);
        Supplier<AnalyticsEngine> engines = engines(EngineSettings.DEFAULTS);
        Ingestor made = ingestor(logs, engines, true);
        made.pollOnce();
        made.pollOnce();
        Path good = dir.resolve("good.dgsnap");
        SnapshotFile.write(good, made, "dagscope test");
        made.close();
        byte[] bytes = Files.readAllBytes(good);
        Ingestor fresh = ingestor(logs, engines, true);
        pollUntilDone(fresh);

        Random rnd = new Random(7);
        List<byte[]> damaged = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        // cut short anywhere, the header and the trailer included
        for (int cut : new int[] {0, 1, 5, 11, 13, 20, bytes.length / 3, bytes.length - 23, bytes.length - 1}) {
            damaged.add(java.util.Arrays.copyOf(bytes, cut));
            reasons.add(cut < 11 ? "not a dagscope snapshot" : "truncated");
        }
        // a byte changed anywhere
        for (int i = 0; i < 12; i++) {
            int at = 13 + rnd.nextInt(bytes.length - 13 - SnapshotFileTestTrailer.BYTES);
            byte[] b = bytes.clone();
            b[at] ^= (byte) (1 << rnd.nextInt(8));
            damaged.add(b);
            reasons.add("checksum");
        }
        // foreign files: a log, nothing, random bytes
        damaged.add("{\"event\": \"dag_start\"}\n".getBytes(StandardCharsets.UTF_8));
        reasons.add("not a dagscope snapshot");
        byte[] noise = new byte[4096];
        rnd.nextBytes(noise);
        damaged.add(noise);
        reasons.add("not a dagscope snapshot");
        // a newer format, its checksum made right
        byte[] newer = bytes.clone();
        newer[11] = 0;
        newer[12] = 2;
        damaged.add(withChecksum(newer));
        reasons.add("newer than this dagscope reads");

        for (int i = 0; i < damaged.size(); i++) {
            Path file = dir.resolve("bad-" + i + ".dgsnap");
            Files.write(file, damaged.get(i));
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> SnapshotFile.read(file, engines), "file " + i);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(reasons.get(i)), i + ": " + e.getMessage());

            Ingestor ingestor = ingestor(logs, engines, true);
            SnapshotRestore.Outcome outcome = SnapshotRestore.restore(ingestor, List.of(file));
            assertTrue(outcome.used().isEmpty());
            assertEquals(1, outcome.refused().size());
            pollUntilDone(ingestor);
            MergeMatchesOneFoldTest.assertSameAnswers(fresh.engine(), ingestor.engine(), new Random(i),
                    "after refusing file " + i + ": ");
            ingestor.close();
        }
        fresh.close();
    }

    @Test
    void aStartTakesTheNewestUsableSnapshotAndSaysWhyItRefusedTheOthers() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(8, RandomLogs.Ids.NEVER).generate(120);
        Supplier<AnalyticsEngine> engines = engines(EngineSettings.DEFAULTS);
        Ingestor made = ingestor(logs, engines, true);
        made.pollOnce();
        Path older = dir.resolve("older.dgsnap");
        SnapshotFile.write(older, made, "dagscope test");
        made.pollOnce();
        Path newest = dir.resolve("newest.dgsnap");
        SnapshotFile.write(newest, made, "dagscope test");
        made.close();
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 1;
        Files.write(newest, b);

        Ingestor ingestor = ingestor(logs, engines, true);
        SnapshotRestore.Outcome outcome = SnapshotRestore.restore(ingestor, List.of(newest, older));
        assertEquals(older, outcome.used().orElseThrow().file());
        assertEquals(1, outcome.refused().size());
        assertTrue(outcome.refused().get(0).contains("newest.dgsnap") && outcome.refused().get(0).contains("checksum"),
                outcome.refused().get(0));
        ingestor.close();

        // other retention: refused, saying which flags
        Ingestor otherRetention = ingestor(logs, engines(EngineSettings.DEFAULTS.withRetention(Duration.ofDays(1), 5)),
                true);
        SnapshotRestore.Outcome retention = SnapshotRestore.restore(otherRetention, List.of(older));
        assertTrue(retention.used().isEmpty());
        assertTrue(retention.refused().get(0).contains("--retain-days"), retention.refused().get(0));
        otherRetention.close();

        // other sources: refused, naming the source
        Ingestor otherSources = new Ingestor(engines);
        otherSources.add(new ListSource("events", logs.runner(), 97, true));
        SnapshotRestore.Outcome sources = SnapshotRestore.restore(otherSources, List.of(older));
        assertTrue(sources.used().isEmpty());
        assertTrue(sources.refused().get(0).contains("source state is no longer configured"),
                sources.refused().get(0));
        otherSources.close();
    }

    @Test
    void aSourceWithoutAPositionMakesTheStartReadEverythingAgainAndSaysWhichAndWhy() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(9, RandomLogs.Ids.MIXED).generate(100);
        Supplier<AnalyticsEngine> engines = engines(EngineSettings.DEFAULTS);
        Ingestor made = ingestor(logs, engines, false);
        made.pollOnce();
        Path file = dir.resolve("a.dgsnap");
        SnapshotFile.Header header = SnapshotFile.write(file, made, "dagscope test");
        assertTrue(header.sources().get(0).missing().orElseThrow().contains("cannot give its position"));
        made.close();

        Ingestor ingestor = ingestor(logs, engines, false);
        SnapshotRestore.Outcome outcome = SnapshotRestore.restore(ingestor, List.of(file));
        assertTrue(outcome.used().isEmpty());
        assertTrue(outcome.refused().get(0).contains("source events has no position"), outcome.refused().get(0));
        pollUntilDone(ingestor);
        assertEquals(logs.runner().size() + logs.state().size(), ingestor.engine().stats().eventsApplied());
        ingestor.close();

        // one that gives positions but cannot resume from them: the others are rewound, nothing is read twice
        Ingestor refusing = new Ingestor(engines);
        ListSource state = new ListSource("state", logs.state(), 211, true);
        refusing.add(new ListSource("events", logs.runner(), 97, true) {
            @Override
            public void resume(byte[] position) {
                throw new IllegalArgumentException("its position is of another version");
            }
        });
        refusing.add(state);
        Ingestor positioned = ingestor(logs, engines, true);
        positioned.pollOnce();
        Path withPositions = dir.resolve("b.dgsnap");
        SnapshotFile.write(withPositions, positioned, "dagscope test");
        positioned.close();
        SnapshotRestore.Outcome refused = SnapshotRestore.restore(refusing, List.of(withPositions));
        assertTrue(refused.refused().get(0).contains("source events cannot resume from its position: its position "
                + "is of another version"), refused.refused().get(0));
        pollUntilDone(refusing);
        assertEquals(logs.runner().size() + logs.state().size(), refusing.engine().stats().eventsApplied());
        refusing.close();
    }

    @Test
    void aSourceWhosePositionFailsIsWrittenWithoutOneAndTheKeeperGoesOn() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(12, RandomLogs.Ids.MIXED).generate(60);
        Ingestor ingestor = new Ingestor(engines(EngineSettings.DEFAULTS));
        ingestor.add(new ListSource("events", logs.runner(), 97, true) {
            @Override
            public byte[] position() {
                throw new NullPointerException("a plugin's bug");
            }
        });
        ingestor.add(new ListSource("state", logs.state(), 211, true));
        pollUntilDone(ingestor);
        SnapshotKeeper keeper = new SnapshotKeeper(ingestor, new SnapshotFolder(dir.resolve("s")),
                SnapshotKeeper.Schedule.DEFAULT, "dagscope test", Clock.systemUTC(), info -> { }, (m, e) -> { });
        Path file = keeper.writeNow().orElseThrow();
        SnapshotFile.Loaded loaded = SnapshotFile.read(file, engines(EngineSettings.DEFAULTS));
        assertTrue(loaded.header().sources().get(0).missing().orElseThrow().contains("events failed to give its "
                + "position: java.lang.NullPointerException: a plugin's bug"), loaded.header().sources().toString());
        assertTrue(loaded.header().sources().get(1).position().isPresent());
        loaded.engine().close();
        keeper.close();
        ingestor.close();
    }

    @Test
    void whileASnapshotIsWrittenTheSourcesStatusAndQueriesAnswer() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(13, RandomLogs.Ids.MIXED).generate(60);
        Ingestor ingestor = ingestor(logs, engines(EngineSettings.DEFAULTS), true);
        pollUntilDone(ingestor);
        boolean answered = ingestor.betweenPolls((engine, positions) -> {
            // what a health check, /metrics and a dashboard ask while a snapshot is being written
            java.util.concurrent.CompletableFuture<Integer> asked = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> ingestor.sources().size() + ingestor.engine().stats().runsKept());
            try {
                asked.get(30, java.util.concurrent.TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(answered, "the sources' status and the engine answer while a snapshot is written");
        ingestor.close();
    }

    @Test
    void aWriteThatFailsHalfWayLeavesThePreviousSnapshotWholeAndIsCounted() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(10, RandomLogs.Ids.ALWAYS).generate(200);
        boolean[] failReads = {false};
        Supplier<AnalyticsEngine> engines = () -> new AnalyticsEngine(EngineSettings.DEFAULTS,
                Clock.fixed(NOW, ZoneOffset.UTC), new FailingStore(failReads), Clock.fixed(NOW, ZoneOffset.UTC));
        Ingestor ingestor = ingestor(logs, engines, true);
        pollUntilDone(ingestor);
        assertTrue(ingestor.engine().stats().cellsSealed() > 0, "days were sealed, so writing reads the store");
        SnapshotFolder folder = new SnapshotFolder(dir.resolve("snapshots"));
        List<String> errors = new ArrayList<>();
        SnapshotKeeper keeper = new SnapshotKeeper(ingestor, folder, SnapshotKeeper.Schedule.DEFAULT, "dagscope test",
                Clock.systemUTC(), info -> { }, (message, e) -> errors.add(message + ": " + e.getMessage()));
        Path first = keeper.writeNow().orElseThrow();
        byte[] before = Files.readAllBytes(first);

        failReads[0] = true;
        assertEquals(Optional.empty(), keeper.writeNow());
        assertEquals(1, keeper.stats().failures());
        assertTrue(keeper.stats().lastFailure().orElseThrow().contains("disk"), keeper.stats().lastFailure().get());
        assertEquals(1, errors.size());
        assertEquals(List.of(first), folder.files(), "the previous snapshot is kept, no temporary file left");
        try (var listing = Files.list(folder.dir())) {
            assertEquals(1, listing.count());
        }
        assertArrayEquals(before, Files.readAllBytes(first));
        failReads[0] = false;
        assertTrue(keeper.writeNow().isPresent(), "the next write works again");
        assertEquals(2, keeper.stats().written());
        keeper.close();
        ingestor.close();
    }

    @Test
    void theKeeperWritesOnScheduleAndOnCloseAndKeepsTheNewest() throws Exception {
        RandomLogs.Logs logs = new RandomLogs(11, RandomLogs.Ids.MIXED).generate(150);
        Supplier<AnalyticsEngine> engines = engines(EngineSettings.DEFAULTS);
        Ingestor ingestor = ingestor(logs, engines, true);
        SnapshotFolder folder = new SnapshotFolder(dir.resolve("snapshots"));
        Files.writeString(folder.dir().resolve(".snapshot-x.dgsnap.tmp-1"), "left by a killed process");
        assertEquals(1, folder.removeUnfinished());
        SnapshotKeeper keeper = new SnapshotKeeper(ingestor, folder,
                new SnapshotKeeper.Schedule(Duration.ofHours(1), 500, 2), "dagscope test", Clock.systemUTC(),
                info -> { }, (message, e) -> { });
        keeper.start();
        while (ingestor.pollOnce() > 0) { // 308 events a poll: every second poll passes 500 more
            if (ingestor.eventsDelivered() - keeper.stats().lastEvents() >= 500) {
                long written = keeper.stats().written();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (keeper.stats().written() == written) {
                    assertTrue(System.nanoTime() < deadline, "a snapshot once 500 more events are folded, in 30 s");
                    Thread.sleep(5);
                }
            }
        }
        assertTrue(keeper.stats().written() >= 3, "snapshots by events folded: " + keeper.stats().written());
        keeper.close();
        List<Path> files = folder.files();
        assertEquals(2, files.size(), "the newest two are kept");
        Ingestor restored = ingestor(logs, engines, true);
        SnapshotRestore.Outcome outcome = SnapshotRestore.restore(restored, files);
        assertEquals(files.get(0), outcome.used().orElseThrow().file());
        assertEquals(ingestor.engine().stats().eventsApplied(), restored.engine().stats().eventsApplied(),
                "the snapshot written on close holds everything");
        assertEquals(0, restored.pollOnce(), "nothing is read twice");
        restored.close();
        ingestor.close();
    }

    private static byte[] withChecksum(byte[] file) {
        int body = file.length - SnapshotFileTestTrailer.BYTES;
        CRC32C crc = new CRC32C();
        crc.update(file, 0, body);
        ByteBuffer.wrap(file).putInt(body + 8, (int) crc.getValue());
        return file;
    }

    /** The trailer's size, as docs/snapshots.md gives it. */
    private static final class SnapshotFileTestTrailer {
        static final int BYTES = 8 + 4 + 10;
    }

    /** A heap store whose reads fail on demand, as a disk that fails or fills does. */
    private static final class FailingStore implements HistoryStore {
        private final HeapHistoryStore store = new HeapHistoryStore();
        private final boolean[] fail;

        FailingStore(boolean[] fail) {
            this.fail = fail;
        }

        @Override
        public long put(byte[] bytes, int length) {
            return store.put(bytes, length);
        }

        @Override
        public ByteBuffer get(long handle) {
            if (fail[0]) {
                throw new UncheckedIOException(new IOException("No space left on device (the test's disk)"));
            }
            return store.get(handle);
        }

        @Override
        public void release(long handle) {
            store.release(handle);
        }

        @Override
        public ByteBuffer allocate(int bytes) {
            return store.allocate(bytes);
        }

        @Override
        public void free(ByteBuffer table) {
            store.free(table);
        }

        @Override
        public Usage usage() {
            return store.usage();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
