package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.source.lines.LineSplitter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following growing, rotated, copied, compressed, truncated and re-created logs: each guarantee of the docs. */
class FollowingRotationTest {

    private static final long OLD = System.currentTimeMillis() - 3_600_000;

    @TempDir
    Path dir;

    private final List<JsonlSource> opened = new ArrayList<>();

    @AfterEach
    void closeSources() {
        opened.forEach(JsonlSource::close);
    }

    private JsonlSource follow(String target) {
        return source(target, true, 1 << 20, LineSplitter.DEFAULT_CHUNK_BYTES);
    }

    private JsonlSource source(String target, boolean follow, int maxLineBytes, int chunkBytes) {
        JsonlSource s = new JsonlSource("test", FileTarget.parse(target), follow, maxLineBytes, chunkBytes);
        opened.add(s);
        return s;
    }

    private String glob() {
        return dir + "/x.jsonl*";
    }

    private static String line(String taskId) {
        return "{\"task_id\": \"" + taskId + "\", \"timestamp\": \"2025-10-20T13:55:00.000001+00:00\", "
                + "\"event\": \"task_start\", \"dag_name\": \"d\"}";
    }

    private static String lines(String... taskIds) {
        StringBuilder b = new StringBuilder();
        for (String id : taskIds) {
            b.append(line(id)).append('\n');
        }
        return b.toString();
    }

    private static List<String> poll(JsonlSource source) {
        List<Event> events = new ArrayList<>();
        long n = source.poll(events::add);
        assertEquals(events.size(), n, "poll returns the number of events it delivered");
        List<String> ids = new ArrayList<>();
        for (Event e : events) {
            ids.add(((TaskStart) e).taskId());
        }
        return ids;
    }

    private Path path(String name) {
        return dir.resolve(name);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(path(name), content, StandardCharsets.UTF_8);
    }

    private static void append(Path p, String content) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void truncate(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private Path gzipTo(Path plain, String name) throws IOException {
        byte[] b = Files.readAllBytes(plain);
        return Files.write(path(name), SampleLogsTest.gzip(b, 0, b.length));
    }

    private static List<String> ids(String prefix, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static String[] idArray(String prefix, int from, int to) {
        return ids(prefix, from, to).toArray(new String[0]);
    }

    @Test
    void renameRotationReadsTheOldFileToItsEndThenTheNewOneExactlyOnce() throws IOException {
        Path live = write("x.jsonl", lines("a", "b"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a", "b"), poll(s));
        append(live, lines("c"));
        Path rotated = path("x.jsonl.1");
        Files.move(live, rotated);
        append(rotated, lines("d") + line("e").substring(0, 30)); // the writer still holds the old file, mid-line
        write("x.jsonl", lines("f"));
        assertEquals(List.of("c", "d", "f"), poll(s), "the old file to its end, then the new one");
        append(rotated, line("e").substring(30) + "\n");
        assertEquals(List.of("e"), poll(s), "the old file is still followed");
        append(path("x.jsonl"), lines("g"));
        assertEquals(List.of("g"), poll(s));
        assertEquals(List.of(), poll(s));
        assertEquals(7, s.status().eventsRead());
    }

    @Test
    void logrotateChainsOfRenamesKeepEveryPositionEvenSeveralRotationsBetweenPolls() throws IOException {
        write("x.jsonl", lines("a"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a"), poll(s));
        for (int rotation = 1; rotation <= 3; rotation++) {
            append(path("x.jsonl"), lines("end-of-" + rotation));
            for (int i = rotation - 1; i >= 1; i--) {
                Files.move(path("x.jsonl." + i), path("x.jsonl." + (i + 1)));
            }
            Files.move(path("x.jsonl"), path("x.jsonl.1"));
            write("x.jsonl", lines("start-of-" + (rotation + 1)));
        }
        assertEquals(List.of("end-of-1", "start-of-2", "end-of-2", "start-of-3", "end-of-3", "start-of-4"), poll(s));
        assertEquals(List.of(), poll(s));
    }

    @Test
    void aNewFileMatchingTheGlobIsReadFromItsStartOnce() throws IOException {
        write("x.jsonl", lines("a"));
        JsonlSource s = follow(dir + "/*.jsonl*");
        assertEquals(List.of("a"), poll(s));
        write("y.jsonl", lines("y1", "y2"));
        assertEquals(List.of("y1", "y2"), poll(s));
        assertEquals(List.of(), poll(s));
    }

    @Test
    void copyTruncateReadsFromTheCopyOnlyWhatLiesBeyondThePosition() throws IOException {
        Path live = write("x.jsonl", lines("a", "b"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a", "b"), poll(s));
        append(live, lines("c"));
        Files.copy(live, path("x.jsonl.1"));
        truncate(live);
        append(live, lines("d"));
        assertEquals(List.of("c", "d"), poll(s), "c from the copy, d from the truncated file");
        assertEquals(List.of(), poll(s));
        append(live, lines("e"));
        assertEquals(List.of("e"), poll(s));
    }

    @Test
    void copyTruncateLosesOnlyLinesWrittenBetweenTheCopyAndTheTruncation() throws IOException {
        Path live = write("x.jsonl", lines("a"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a"), poll(s));
        append(live, lines("b"));
        Files.copy(live, path("x.jsonl.1"));
        append(live, lines("lost"));
        truncate(live);
        append(live, lines("c"));
        assertEquals(List.of("b", "c"), poll(s), "every tailer loses what the copy missed and the truncation cut");
    }

    @Test
    void aPollBetweenTheCopyAndTheTruncationNeitherLosesNorRepeats() throws IOException {
        Path live = write("x.jsonl", lines("a"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a"), poll(s));
        append(live, lines("b"));
        Files.copy(live, path("x.jsonl.1"));
        append(live, lines("c"));
        assertEquals(List.of("b", "c"), poll(s), "b from the copy, c from the file it was copied from");
        truncate(live);
        append(live, lines("d"));
        assertEquals(List.of("d"), poll(s));
    }

    @Test
    void copyTruncateOfALogNothingWasDeliveredFromYetIsReadOnce() throws IOException {
        Path live = write("x.jsonl", line("a").substring(0, 20));
        JsonlSource s = follow(glob());
        assertEquals(List.of(), poll(s), "a partial first line is held back");
        append(live, line("a").substring(20) + "\n" + lines("b"));
        Files.copy(live, path("x.jsonl.1"));
        assertEquals(List.of("a", "b"), poll(s), "from the copy, which is read first, and not again from the log");
        truncate(live);
        append(live, lines("c"));
        assertEquals(List.of("c"), poll(s));
    }

    @Test
    void aCopyStillBeingWrittenWaitsUntilItsFirstBytesTellWhatItIs() throws IOException {
        String[] first = idArray("t", 0, 20);
        Path live = write("x.jsonl", lines(first));
        JsonlSource s = follow(glob());
        assertEquals(Arrays.asList(first), poll(s));
        append(live, lines("new"));
        byte[] whole = Files.readAllBytes(live);
        assertTrue(whole.length > 2 * Fingerprint.MAX_BYTES);
        Path copy = path("x.jsonl.1");
        Files.write(copy, Arrays.copyOf(whole, 300)); // cp has written 300 bytes so far
        truncate(live);
        assertEquals(List.of(), poll(s), "300 bytes that start the known log: maybe a copy, maybe not");
        assertEquals(300, s.status().lagBytes().orElseThrow(), "bytes seen, not read");
        Files.write(copy, Arrays.copyOf(whole, whole.length / 2));
        assertEquals(List.of(), poll(s), "a copy, but not yet beyond what was delivered");
        Files.write(copy, whole);
        assertEquals(List.of("new"), poll(s));
        assertEquals(List.of(), poll(s));
        assertEquals(0, s.status().lagBytes().orElseThrow());
    }

    @Test
    void compressOnRotateIsRecognisedByTheDecompressedFirstBytesAndNotReadTwice() throws IOException {
        write("x.jsonl.1", lines("a", "b"));
        write("x.jsonl", lines("c"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a", "b", "c"), poll(s));
        append(path("x.jsonl.1"), lines("late")); // written to the rotated file after the last poll
        gzipTo(path("x.jsonl.1"), "x.jsonl.2.gz");
        Files.delete(path("x.jsonl.1"));
        Files.move(path("x.jsonl"), path("x.jsonl.1"));
        write("x.jsonl", lines("d"));
        assertEquals(List.of("late", "d"), poll(s));
        assertEquals(List.of(), poll(s));
        assertTrue(s.status().healthy());
    }

    @Test
    void aGzipWrittenBesideItsPlainOriginalIsNotReadTwiceWhileHalfWrittenOrAfter() throws IOException {
        String[] all = idArray("t", 0, 40);
        write("x.jsonl.1", lines(all));
        JsonlSource s = follow(glob());
        assertEquals(Arrays.asList(all), poll(s));
        byte[] plain = Files.readAllBytes(path("x.jsonl.1"));
        byte[] gz = SampleLogsTest.gzip(plain, 0, plain.length);
        Files.write(path("x.jsonl.1.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertEquals(List.of(), poll(s), "gzip is half-way");
        Files.write(path("x.jsonl.1.gz"), gz);
        Files.delete(path("x.jsonl.1"));
        assertEquals(List.of(), poll(s));
        assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
        Files.move(path("x.jsonl.1.gz"), path("x.jsonl.2.gz"));
        assertEquals(List.of(), poll(s), "renamed along the chain");
    }

    @Test
    void copyTruncateWithImmediateCompressionReadsOnlyTheTailFromTheGzip() throws IOException {
        Path live = write("x.jsonl", lines("a", "b"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a", "b"), poll(s));
        append(live, lines("c"));
        gzipTo(live, "x.jsonl.1.gz");
        truncate(live);
        append(live, lines("d"));
        assertEquals(List.of("c", "d"), poll(s));
        assertEquals(List.of(), poll(s));
    }

    @Test
    void aCopyNamedToSortAfterTheLogIsStillReadOnce() throws IOException {
        Path live = write("x.jsonl", lines("a"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a"), poll(s));
        append(live, lines("b"));
        Files.copy(live, path("x.jsonl-20251020")); // logrotate's dateext
        truncate(live);
        append(live, lines("c"));
        List<String> got = poll(s);
        assertEquals(2, got.size(), "each once: " + got);
        assertEquals(new HashSet<>(List.of("b", "c")), new HashSet<>(got));
        assertEquals(List.of(), poll(s));
    }

    @Test
    void deleteAndRecreateReadsTheNewFileFromItsStartAndKeepsWhatWasCounted() throws IOException {
        for (String target : new String[] {glob(), dir + "/x.jsonl"}) {
            Path live = write("x.jsonl", lines("a", "b"));
            JsonlSource s = follow(target);
            assertEquals(List.of("a", "b"), poll(s));
            Files.delete(live);
            assertEquals(List.of(), poll(s));
            assertFalse(s.status().healthy(), "nothing matches for now");
            write("x.jsonl", lines("c"));
            assertEquals(List.of("c"), poll(s));
            Files.delete(live);
            write("x.jsonl", lines("d", "e")); // maybe on the same inode, between two polls
            assertEquals(List.of("d", "e"), poll(s));
            SourceStatus st = s.status();
            assertEquals(5, st.eventsRead(), "what was read stays counted");
            assertTrue(st.healthy());
            Files.delete(live);
        }
    }

    @Test
    void aFileRewrittenAsGzipOnItsInodeIsReadAsANewLog() throws IOException {
        Path p = write("x.jsonl", lines("a"));
        JsonlSource s = follow(glob());
        assertEquals(List.of("a"), poll(s));
        byte[] b = lines("z1", "z2").getBytes(StandardCharsets.UTF_8);
        Files.write(p, SampleLogsTest.gzip(b, 0, b.length));
        assertEquals(List.of("z1", "z2"), poll(s));
        Files.writeString(p, lines("plain-again"));
        assertEquals(List.of("plain-again"), poll(s));
    }

    @Test
    void aGzipFileEmptiedAndWrittenAgainAsTextIsReadAsANewLog() throws IOException {
        byte[] b = lines("z").getBytes(StandardCharsets.UTF_8);
        Path p = Files.write(path("x.jsonl"), SampleLogsTest.gzip(b, 0, b.length));
        JsonlSource s = follow(glob());
        assertEquals(List.of("z"), poll(s));
        truncate(p); // as a new file on the inode of a deleted one may be
        assertEquals(List.of(), poll(s));
        assertEquals(List.of(), poll(s));
        assertTrue(s.status().healthy(), () -> "an empty file is no truncated gzip: " + s.status().error());
        append(p, lines("a"));
        assertEquals(List.of("a"), poll(s));
    }

    @Test
    void rewindDeliversEverythingAgainFromTheStartAndCountsFromZero() throws IOException {
        byte[] old = lines("o1", "o2").getBytes(StandardCharsets.UTF_8);
        Files.write(path("x.jsonl.2.gz"), SampleLogsTest.gzip(old, 0, old.length));
        write("x.jsonl.1", lines("r1"));
        Path live = write("x.jsonl", lines("l1") + line("l2").substring(0, 10));
        JsonlSource s = follow(glob());
        List<String> first = poll(s);
        assertEquals(List.of("o1", "o2", "r1", "l1"), first);
        write("x.jsonl.3", "not json\n"); // the oldest file now, so read first after the rewind
        assertEquals(List.of(), poll(s));
        assertEquals(1, s.status().linesSkipped());

        s.rewind();

        SourceStatus reset = s.status();
        assertEquals(0, reset.eventsRead());
        assertEquals(0, reset.linesSkipped());
        assertTrue(reset.firstEventAt().isEmpty());
        assertEquals(first, poll(s), "everything, from the start, in the same order");
        assertEquals(4, s.status().eventsRead());
        assertEquals(List.of(), poll(s), "and then only what is new");
        append(live, line("l2").substring(10) + "\n");
        assertEquals(List.of("l2"), poll(s));
    }

    @Test
    void aSourceReadOnceCanBeRewoundToo() throws IOException {
        write("x.jsonl", lines("a") + line("b"));
        JsonlSource s = source(glob(), false, 1 << 20, LineSplitter.DEFAULT_CHUNK_BYTES);
        assertEquals(List.of("a", "b"), poll(s));
        assertEquals(List.of(), poll(s));
        s.rewind();
        assertEquals(List.of("a", "b"), poll(s));
        assertEquals(2, s.status().eventsRead());
    }

    @Test
    void logsNoLongerListedAreRememberedUpToABound() throws IOException {
        int n = KnownLogs.UNLISTED_STREAMS_KEPT + 40;
        for (int i = 0; i < n; i++) {
            write("x.jsonl." + (i + 1), lines("r" + i));
        }
        JsonlSource s = follow(glob());
        assertEquals(n, poll(s).size());
        assertEquals(n, s.logsKnown());
        byte[] newest = Files.readAllBytes(path("x.jsonl.1"));
        byte[] oldest = Files.readAllBytes(path("x.jsonl." + n));
        write("x.jsonl", lines("live"));
        for (int i = 0; i < n; i++) {
            Files.delete(path("x.jsonl." + (i + 1)));
        }
        assertEquals(List.of("live"), poll(s));
        assertEquals(KnownLogs.UNLISTED_STREAMS_KEPT + 1, s.logsKnown());
        Files.write(path("x.jsonl.1.gz"), SampleLogsTest.gzip(newest, 0, newest.length));
        Files.write(path("x.jsonl." + n + ".gz"), SampleLogsTest.gzip(oldest, 0, oldest.length));
        assertEquals(List.of("r" + (n - 1)), poll(s), "the newest logs are remembered and recognised in their"
                + " compressed copies; the oldest, beyond the bound, is forgotten and read as a new log");
    }

    @Test
    void aThousandLinesAfterAMillionCostTheThousandNotTheMillion() throws IOException {
        Path p = path("x.jsonl");
        byte[] compact = "{\"timestamp\":\"2025-10-20T13:55:00Z\",\"event\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
            for (int i = 0; i < 1_000_000; i++) {
                out.write(compact);
            }
        }
        JsonlSource s = follow(p.toString());
        long[] seenMidway = {-1};
        assertEquals(0, s.poll(e -> { }), "a million events of a type not used");
        assertEquals(1_000_000, s.status().eventsRead());
        assertEquals(1_000_000L * compact.length, s.bytesRead() - Fingerprint.MAX_BYTES - 2,
                "the first poll reads the file once, plus its first bytes and magic number");

        String thousand = lines(idArray("n", 0, 1000));
        append(p, thousand);
        long before = s.bytesRead();
        List<String> got = new ArrayList<>();
        s.poll(e -> {
            got.add(((TaskStart) e).taskId());
            if (got.size() == 1) {
                seenMidway[0] = s.status().eventsRead();
            }
        });
        long cost = s.bytesRead() - before;
        assertEquals(ids("n", 0, 1000), got);
        long appended = thousand.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(cost >= appended && cost <= appended + Fingerprint.MAX_BYTES + 2,
                "the second poll reads what was appended and the first bytes only: " + cost + " for " + appended);
        assertEquals(1_000_000, seenMidway[0], "counts are merged per poll, not per line");
        assertEquals(1_001_000, s.status().eventsRead());
    }

    @Test
    void aLongFirstReadShowsItsCountsAsItGoes() throws IOException {
        Path p = path("x.jsonl");
        byte[] compact = "{\"timestamp\":\"2025-10-20T13:55:00Z\",\"event\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
            for (int i = 0; i < 200_000; i++) {
                out.write(compact);
            }
            out.write(lines("last").getBytes(StandardCharsets.UTF_8));
        }
        JsonlSource s = follow(p.toString());
        long[] seen = {-1};
        assertEquals(1, s.poll(e -> seen[0] = s.status().eventsRead()));
        assertTrue(seen[0] >= 65_536 && seen[0] <= 200_001, "visible before the poll ends: " + seen[0]);
        assertEquals(200_001, s.status().eventsRead());
    }

    @Test
    void anUnchangedFileIsNotOpenedAgain() throws IOException {
        Path gz = gzipTo(write("x.jsonl.1", lines("z")), "x.jsonl.1.gz");
        Files.delete(path("x.jsonl.1"));
        Path p = write("x.jsonl", lines("a"));
        Files.setLastModifiedTime(p, FileTime.fromMillis(OLD));
        Files.setLastModifiedTime(gz, FileTime.fromMillis(OLD));
        JsonlSource s = follow(glob());
        assertEquals(List.of("z", "a"), poll(s));
        long opened = s.filesOpened();
        long read = s.bytesRead();
        assertEquals(List.of(), poll(s));
        assertEquals(List.of(), poll(s));
        assertEquals(opened, s.filesOpened(), "neither file was opened");
        assertEquals(read, s.bytesRead());
        append(p, lines("b"));
        assertEquals(List.of("b"), poll(s));
        assertEquals(opened + 1, s.filesOpened(), "only the file that changed");
    }

    @Test
    void aRewriteOfTheSameSizeIsCaughtByTheFirstBytesWhenTheTimeChanges() throws IOException {
        Path p = write("x.jsonl", lines("a", "b"));
        Files.setLastModifiedTime(p, FileTime.fromMillis(OLD));
        JsonlSource s = follow(p.toString());
        assertEquals(List.of("a", "b"), poll(s));
        Files.writeString(p, lines("c", "d"));
        Files.setLastModifiedTime(p, FileTime.fromMillis(OLD + 1000));
        assertEquals(List.of("c", "d"), poll(s));
    }

    @Test
    void aRecentModificationTimeProvesNothingSoTheFileIsCheckedAnyway() throws IOException {
        Path p = write("x.jsonl", lines("a", "b"));
        FileTime recent = FileTime.fromMillis(System.currentTimeMillis());
        Files.setLastModifiedTime(p, recent);
        JsonlSource s = follow(p.toString());
        assertEquals(List.of("a", "b"), poll(s));
        // a file system with coarse times may show the same time after a rewrite of the same size
        Files.writeString(p, lines("c", "d"));
        Files.setLastModifiedTime(p, recent);
        assertEquals(List.of("c", "d"), poll(s));
    }

    @Test
    void anOverLongFirstLineGrowingAcrossPollsIsCountedOnce() throws IOException {
        Path p = write("x.jsonl", "{\"error\": \"" + "x".repeat(300));
        JsonlSource s = source(p.toString(), true, 200, 64);
        assertEquals(List.of(), poll(s));
        append(p, "y".repeat(500));
        assertEquals(List.of(), poll(s));
        append(p, "\"}\n" + lines("a"));
        assertEquals(List.of("a"), poll(s));
        assertEquals(Map.of("too_long", 1L), s.status().skippedByReason());
    }
}
