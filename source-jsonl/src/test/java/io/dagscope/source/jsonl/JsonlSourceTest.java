package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.SourceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSourceTest {

    @TempDir
    Path dir;

    private final List<EventSource> opened = new ArrayList<>();

    @AfterEach
    void closeSources() {
        opened.forEach(EventSource::close);
    }

    private EventSource source(String target, boolean follow) {
        return source(target, follow, SourceContext.DEFAULT_MAX_LINE_BYTES);
    }

    private EventSource source(String target, boolean follow, int maxLineBytes) {
        EventSource s = new JsonlSourceFactory().create(Map.of(),
                new SourceContext("test", target, follow, maxLineBytes, Clock.systemUTC()));
        opened.add(s);
        return s;
    }

    private static String line(String taskId) {
        return "{\"timestamp\": \"2025-10-20T13:55:00.000001+00:00\", \"event\": \"task_start\", "
                + "\"dag_name\": \"d\", \"task_id\": \"" + taskId + "\"}";
    }

    private static List<String> taskIds(List<Event> events) {
        List<String> ids = new ArrayList<>();
        for (Event e : events) {
            ids.add(((TaskStart) e).taskId());
        }
        return ids;
    }

    private static List<String> poll(EventSource source) {
        List<Event> events = new ArrayList<>();
        long n = source.poll(events::add);
        assertEquals(events.size(), n, "poll returns the number of events it delivered");
        return taskIds(events);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static void append(Path p, String content) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private Path writeGzip(String name, String... members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String member : members) {
            byte[] b = member.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(SampleLogsTest.gzip(b, 0, b.length));
        }
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    @Test
    void readOnceDeliversEveryLineIncludingAFinalOneWithoutNewline() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n" + line("b") + "\n" + line("c"));
        EventSource s = source(p.toString(), false);
        assertEquals(List.of("a", "b", "c"), poll(s));
        append(p, "\n" + line("d") + "\n");
        assertEquals(List.of(), poll(s), "a file read once is not read again");
        assertEquals(3, s.status().eventsRead());
    }

    @Test
    void readsCrLfEndingsAByteOrderMarkAndPassesOverBlankLinesUncounted() throws IOException {
        Path p = write("x.jsonl", "\uFEFF" + line("a") + "\r\n\r\n   \r\n" + line("b") + "\r\n\n\n" + line("c")
                + "\r\n");
        EventSource s = source(p.toString(), false);
        assertEquals(List.of("a", "b", "c"), poll(s));
        assertEquals(0, s.status().linesSkipped());
        assertEquals(3, s.status().eventsRead());
    }

    @Test
    void countsEachUnusableLineByReasonAndReadsOn() throws IOException {
        Path p = write("x.jsonl", String.join("\n",
                line("a"),
                "not json",
                "[1, 2, 3]",
                "{\"event\":\"task_ok\"}",
                "{\"timestamp\": \"yesterday\", \"event\": \"task_ok\"}",
                "{\"timestamp\": \"2025-10-20T13:55:00Z\"}",
                "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"task_ok\", \"task_id\": \"t\"}",
                "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"resume_token\"}",
                line("b")) + "\n");
        Files.write(p, new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'},
                StandardOpenOption.APPEND);
        append(p, line("c") + "\n");
        EventSource s = source(p.toString(), false);
        assertEquals(List.of("a", "b", "c"), poll(s));
        SourceStatus st = s.status();
        assertEquals(Map.of("not_json", 1L, "not_object", 1L, "missing_timestamp", 1L, "bad_timestamp", 1L,
                "missing_event", 1L, "missing_field", 1L, "invalid_utf8", 1L), st.skippedByReason());
        assertEquals(4, st.eventsRead());
        assertEquals(1, st.ignored());
        assertTrue(st.healthy());
    }

    @Test
    void anOverLongLineIsCountedOnceAndTheLinesAroundItAreRead() throws IOException {
        String huge = "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"task_fail\", \"error\": \""
                + "x".repeat(2 << 20) + "\"}";
        Path p = write("x.jsonl", line("a") + "\n" + huge + "\n" + line("b") + "\n" + huge);
        EventSource s = source(p.toString(), false, 1 << 20);
        assertEquals(List.of("a", "b"), poll(s));
        assertEquals(Map.of("too_long", 2L), s.status().skippedByReason());
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndOneByteMoreIsNot() throws IOException {
        String a = line("a");
        int limit = a.length();
        Path p = write("x.jsonl", a + "\r\n" + line("bb") + "\n" + a);
        EventSource s = source(p.toString(), false, limit);
        assertEquals(List.of("a", "a"), poll(s));
        assertEquals(Map.of("too_long", 1L), s.status().skippedByReason());
    }

    @Test
    void followingHoldsBackAPartialLastLineAndDeliversItOnceComplete() throws IOException {
        String b = line("b");
        Path p = write("x.jsonl", line("a") + "\n" + b.substring(0, 20));
        EventSource s = source(p.toString(), true);
        assertEquals(List.of("a"), poll(s));
        assertEquals(20, s.status().lagBytes().orElseThrow(), "the held-back bytes are lag");
        assertEquals(List.of(), poll(s));
        append(p, b.substring(20, 40));
        assertEquals(List.of(), poll(s));
        append(p, b.substring(40) + "\n");
        assertEquals(List.of("b"), poll(s));
        assertEquals(List.of(), poll(s));
        assertEquals(0, s.status().lagBytes().orElseThrow());
        assertEquals(0, s.status().linesSkipped(), "a held-back line is not counted as corrupt");
    }

    @Test
    void followingDeliversEveryAppendedLineExactlyOnceWhereverTheWritesSplitThem() throws IOException {
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.append(line("t" + i)).append(i % 7 == 0 ? "\r\n" : "\n");
            expected.add("t" + i);
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        Path p = write("x.jsonl", "");
        EventSource s = new JsonlSource("t", FileTarget.parse(p.toString()), true, 1 << 20, 100);
        opened.add(s);
        SplittableRandom random = new SplittableRandom(303);
        List<String> got = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, random.nextInt(1, 400));
            Files.write(p, java.util.Arrays.copyOfRange(bytes, at, at + n), StandardOpenOption.APPEND);
            at += n;
            got.addAll(poll(s));
        }
        got.addAll(poll(s));
        assertEquals(expected, got);
        assertEquals(400, s.status().eventsRead());
    }

    @Test
    void followingAnOverLongLineThatGrowsAcrossPollsCountsItOnce() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n" + "{\"error\": \"" + "x".repeat(300));
        EventSource s = new JsonlSource("t", FileTarget.parse(p.toString()), true, 200, 64);
        opened.add(s);
        assertEquals(List.of("a"), poll(s));
        append(p, "y".repeat(500));
        assertEquals(List.of(), poll(s));
        append(p, "z\"}\n" + line("b").substring(0, 10));
        assertEquals(List.of(), poll(s));
        append(p, line("b").substring(10) + "\n");
        assertEquals(List.of("b"), poll(s));
        assertEquals(Map.of("too_long", 1L), s.status().skippedByReason());
    }

    @Test
    void aMissingFileMakesTheSourceUnhealthyUntilItAppears() throws IOException {
        Path p = dir.resolve("logs/orchestrator_events.jsonl");
        for (boolean follow : new boolean[] {false, true}) {
            Files.deleteIfExists(p);
            EventSource s = source(p.toString(), follow);
            assertEquals(List.of(), poll(s));
            SourceStatus st = s.status();
            assertFalse(st.healthy());
            assertEquals("no file matches " + p, st.error().orElseThrow());
            write("logs/orchestrator_events.jsonl", line("a") + "\n");
            assertEquals(List.of("a"), poll(s));
            assertTrue(s.status().healthy());
            assertTrue(s.status().error().isEmpty());
        }
    }

    @Test
    void aGlobThatMatchesNothingIsUnhealthyAndSaysSo() throws IOException {
        write("other.txt", line("a") + "\n");
        String glob = dir + "/*.jsonl*";
        EventSource s = source(glob, true);
        assertEquals(List.of(), poll(s));
        assertEquals("no file matches " + glob, s.status().error().orElseThrow());
        EventSource missingDir = source(dir + "/nowhere/*.jsonl", false);
        assertEquals(List.of(), poll(missingDir));
        assertFalse(missingDir.status().healthy());
    }

    @Test
    void aDirectoryIsNotAFileAndTheErrorSuggestsAGlob() {
        EventSource s = source(dir.toString(), false);
        assertEquals(List.of(), poll(s));
        String error = s.status().error().orElseThrow();
        assertTrue(error.contains("is a directory") && error.contains("*.jsonl"), error);
    }

    @Test
    void rotatedFilesAreReadOldestFirst() throws IOException {
        writeGzip("x.jsonl.2.gz", line("x2") + "\n");
        write("x.jsonl.1", line("x1") + "\n");
        write("x.jsonl", line("x0") + "\n");
        write("x.jsonl.10", line("x10") + "\n");
        writeGzip("x.jsonl.9.gz", line("x9") + "\n");
        assertEquals(List.of("x10", "x9", "x2", "x1", "x0"), poll(source(dir + "/x.jsonl*", false)));
    }

    @Test
    void differentStemsAreReadInNameOrderSoDatedNamesGoByDate() throws IOException {
        write("events-2025-10-21.jsonl", line("21") + "\n");
        write("events-2025-10-20.jsonl.1", line("20.1") + "\n");
        write("events-2025-10-20.jsonl", line("20") + "\n");
        writeGzip("events-2025-10-19.jsonl.gz", line("19") + "\n");
        write("notes.txt", "not a log\n");
        assertEquals(List.of("19", "20.1", "20", "21"), poll(source(dir + "/events-*.jsonl*", false)));
    }

    @Test
    void aDoubleStarGlobReadsSubdirectoriesInOrder() throws IOException {
        write("b/x.jsonl", line("b") + "\n");
        write("a/x.jsonl", line("a") + "\n");
        write("a/deeper/x.jsonl", line("a-deeper") + "\n");
        write("a/x.jsonl.1", line("a1") + "\n");
        write("a/skip.txt", line("no") + "\n");
        assertEquals(List.of("a1", "a", "a-deeper", "b"), poll(source(dir + "/**.jsonl*", false)));
        assertEquals(List.of("a1", "a", "b"), poll(source(dir + "/{a,b}/x.json?*", false)));
        assertEquals(List.of("no", "a1", "a"), poll(source(dir + "/[a]/*", false)), "one level, any name");
    }

    @Test
    void plainAndGzipFilesAreToldApartByTheirBytesNotTheirNames() throws IOException {
        writeGzip("x.jsonl.2", line("gzip-without-suffix") + "\n");
        write("x.jsonl.1.gz", line("plain-with-gz-suffix") + "\n");
        assertEquals(List.of("gzip-without-suffix", "plain-with-gz-suffix"), poll(source(dir + "/x.jsonl.*", false)));
    }

    @Test
    void aMultiMemberGzipIsReadWholeAndItsLastLineNeedsNoNewline() throws IOException {
        Path gz = writeGzip("x.jsonl.1.gz", line("a") + "\n" + line("b").substring(0, 30),
                line("b").substring(30) + "\n", line("c"));
        EventSource s = source(gz.toString(), true);
        assertEquals(List.of("a", "b", "c"), poll(s));
        assertEquals(List.of(), poll(s), "a gzip file is read once");
        assertTrue(s.status().healthy());
    }

    @Test
    void aGzipFileStillBeingWrittenIsReadOnAndEachLineArrivesOnce() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(line("g" + i)).append('\n');
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] gz = SampleLogsTest.gzip(plain, 0, plain.length);
        Path p = dir.resolve("x.jsonl.1.gz");
        Files.write(p, java.util.Arrays.copyOf(gz, gz.length / 2));
        EventSource s = source(p.toString(), true);
        List<String> got = new ArrayList<>(poll(s));
        assertTrue(got.size() > 0 && got.size() < 2000, "the first half gives some lines: " + got.size());
        assertTrue(s.status().healthy(), "a gzip file that grows is not a problem");
        assertEquals(List.of(), poll(s));
        assertFalse(s.status().healthy(), "a gzip file that stopped short is reported");
        Files.write(p, gz);
        got.addAll(poll(s));
        assertEquals(2000, got.size());
        assertEquals("g0", got.get(0));
        assertEquals("g1999", got.get(1999));
        assertEquals(2000, got.stream().distinct().count());
        assertTrue(s.status().healthy());
    }

    @Test
    void aCorruptGzipFileIsReportedAndTheOtherFilesAreStillRead() throws IOException {
        byte[] gz = SampleLogsTest.gzip(line("lost").getBytes(StandardCharsets.UTF_8), 0, line("lost").length());
        for (int i = 10; i < gz.length - 8; i++) {
            gz[i] = (byte) 0xFF;
        }
        Files.write(dir.resolve("x.jsonl.1.gz"), gz);
        write("x.jsonl", line("a") + "\n");
        EventSource s = source(dir + "/x.jsonl*", false);
        assertEquals(List.of("a"), poll(s));
        String error = s.status().error().orElseThrow();
        assertTrue(error.contains("x.jsonl.1.gz") && error.contains("gzip"), error);
    }

    @Test
    void aFileRenamedByRotationKeepsItsPositionAndTheNewFileIsReadAfterIt() throws IOException {
        Path live = write("x.jsonl", line("a") + "\n" + line("b") + "\n");
        EventSource s = source(dir + "/x.jsonl*", true);
        assertEquals(List.of("a", "b"), poll(s));
        append(live, line("c") + "\n");
        Path rotated = dir.resolve("x.jsonl.1");
        Files.move(live, rotated);
        append(rotated, line("d") + "\n"); // the writer still held the old file
        write("x.jsonl", line("e") + "\n");
        assertEquals(List.of("c", "d", "e"), poll(s));
        append(dir.resolve("x.jsonl"), line("f") + "\n");
        assertEquals(List.of("f"), poll(s));
    }

    @Test
    void aFileTruncatedOrRewrittenInPlaceIsReadAgainFromItsStart() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n" + line("b") + "\n");
        EventSource s = source(p.toString(), true);
        assertEquals(List.of("a", "b"), poll(s));
        Files.writeString(p, line("c") + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(List.of("c"), poll(s));
        // same length, other bytes: only the fingerprint can tell
        Files.writeString(p, line("X") + "\n" + line("Y") + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        append(p, line("Z") + "\n");
        assertEquals(List.of("X", "Y", "Z"), poll(s));
    }

    @Test
    void readingNeverChangesTheFilesItReads() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n" + line("b"));
        Path gz = writeGzip("x.jsonl.1.gz", line("z") + "\n");
        FileTime old = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(p, old);
        Files.setLastModifiedTime(gz, old);
        byte[] before = Files.readAllBytes(p);
        byte[] gzBefore = Files.readAllBytes(gz);
        assertTrue(p.toFile().setWritable(false) && gz.toFile().setWritable(false));
        try {
            EventSource follow = source(dir + "/x.jsonl*", true);
            assertEquals(List.of("z", "a"), poll(follow));
            assertEquals(List.of("z", "a", "b"), poll(source(dir + "/x.jsonl*", false)));
            follow.close();
            assertArrayEquals(before, Files.readAllBytes(p));
            assertArrayEquals(gzBefore, Files.readAllBytes(gz));
            assertEquals(old, Files.getLastModifiedTime(p));
            assertEquals(old, Files.getLastModifiedTime(gz));
            assertEquals(2, Files.list(dir).count(), "nothing created beside them");
        } finally {
            p.toFile().setWritable(true);
            gz.toFile().setWritable(true);
        }
    }

    @Test
    void aClosedSourceDeliversNothing() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n");
        EventSource s = source(p.toString(), true);
        s.close();
        assertEquals(List.of(), poll(s));
        assertEquals(0, s.status().eventsRead());
    }

    @Test
    void theStatusTellsWhatWasReadAndWhen() throws IOException {
        Path p = write("x.jsonl", "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"resume_token\"}\n"
                + line("a") + "\n"
                + "{\"timestamp\": \"2025-10-21T08:00:00\", \"event\": \"dag_start\", \"dag_name\": \"d\"}\n");
        EventSource s = source(p.toString(), false);
        assertEquals(2, s.poll(e -> { }));
        SourceStatus st = s.status();
        assertEquals("test", st.name());
        assertEquals("jsonl", st.kind());
        assertEquals(p.toString(), st.location());
        assertEquals(3, st.eventsRead());
        assertEquals(1, st.ignored());
        assertEquals(java.time.Instant.parse("2025-10-20T13:55:00Z"), st.firstEventAt().orElseThrow());
        assertEquals(java.time.Instant.parse("2025-10-21T08:00:00Z"), st.lastEventAt().orElseThrow());
        assertTrue(st.lagBytes().isEmpty(), "lag is for followed sources");
    }

    @Test
    void aSinkThatFailsDoesNotGetTheSameEventAgain() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n" + line("b") + "\n" + line("c") + "\n");
        EventSource s = source(p.toString(), true);
        List<String> got = new ArrayList<>();
        try {
            s.poll(e -> {
                String id = ((TaskStart) e).taskId();
                got.add(id);
                if (id.equals("b")) {
                    throw new IllegalStateException("sink full");
                }
            });
        } catch (IllegalStateException expected) {
            // the host's problem; the source keeps its place
        }
        got.addAll(poll(s));
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    void aFileMatchedTwiceThroughAHardLinkIsReadOnce() throws IOException {
        Path p = write("x.jsonl", line("a") + "\n");
        Files.createLink(dir.resolve("y.jsonl"), p);
        EventSource s = source(dir + "/*.jsonl", true);
        assertEquals(List.of("a"), poll(s));
        append(p, line("b") + "\n");
        assertEquals(List.of("b"), poll(s));
    }
}
