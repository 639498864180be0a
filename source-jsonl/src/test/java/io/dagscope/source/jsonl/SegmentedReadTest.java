package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read on several threads ({@link SegmentedRead}) delivers exactly what one thread delivers: the same events
 * in the same order, the same counts, and the same position afterwards (checked by appending and polling again),
 * whatever the segment size, lines that cross segments, over-long lines, blank and corrupt lines, and a last line
 * without its newline.
 */
class SegmentedReadTest {

    private static final int MAX_LINE = 160;

    @TempDir
    Path dir;

    private static String event(SplittableRandom r, int n) {
        String[] kinds = {"task_start", "task_ok", "dag_start", "dag_done", "resume_token", "schedule_enqueued"};
        String kind = kinds[r.nextInt(kinds.length)];
        return "{\"timestamp\": \"2026-01-05T10:" + String.format("%02d:%02d", (n / 60) % 60, n % 60)
                + ".000001+00:00\", \"event\": \"" + kind + "\", \"dag_name\": \"d" + r.nextInt(5)
                + "\", \"task_id\": \"t" + n + "\", \"dag_run_id\": \"r" + (n / 7) + "\", \"schedule_id\": \"s\"}";
    }

    /** A random stretch of lines: events mostly, and every kind of line a log may hold. */
    private static byte[] lines(SplittableRandom r, int count, int first) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int n = first + i;
            int pick = r.nextInt(20);
            String line = switch (pick) {
                case 0 -> "";
                case 1 -> "   \t";
                case 2 -> "not json " + n;
                case 3 -> "{\"timestamp\": \"yesterday\", \"event\": \"task_ok\"}";
                case 4 -> "x".repeat(MAX_LINE + 1 + r.nextInt(3 * MAX_LINE)); // over-long, across segments
                case 5 -> "[" + n + "]";
                default -> event(r, n);
            };
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (pick == 6) {
                out.write('\r');
            }
            if (pick == 7) {
                out.writeBytes(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}); // invalid UTF-8 after
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static final class Run {
        final List<Event> events = new ArrayList<>();
        final List<Long> perPoll = new ArrayList<>();
        SourceStatus status;
    }

    private Run read(Path file, boolean follow, SegmentedRead.Settings threads, List<byte[]> appends)
            throws IOException {
        Path copy = dir.resolve(threads.threads() + "-" + file.getFileName());
        Files.copy(file, copy);
        Run run = new Run();
        try (JsonlSource s = new JsonlSource("t", FileTarget.parse(copy.toString()), follow, MAX_LINE, 64,
                threads)) {
            run.perPoll.add(s.poll(run.events::add));
            for (byte[] more : appends) {
                Files.write(copy, more, StandardOpenOption.APPEND);
                run.perPoll.add(s.poll(run.events::add));
            }
            run.status = s.status();
        }
        return run;
    }

    @Test
    void severalThreadsDeliverWhatOneDelivers() throws IOException {
        SplittableRandom seeds = new SplittableRandom(20261128);
        for (int round = 0; round < 60; round++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            boolean follow = r.nextBoolean();
            byte[] first = lines(r, 50 + r.nextInt(400), 0);
            switch (r.nextInt(3)) {
                // a last line without its newline: held back when followed, read when read once
                case 0 -> first = join(first, event(r, 9999).getBytes(StandardCharsets.UTF_8));
                // an over-long one: counted once, and skipped on to its newline when it is appended to
                case 1 -> first = join(first, "y".repeat(2 * MAX_LINE).getBytes(StandardCharsets.UTF_8));
                default -> {
                    // every line complete
                }
            }
            List<byte[]> appends = new ArrayList<>();
            if (follow) {
                // the first append completes the last line, or carries on with it first
                byte[] completion = (r.nextBoolean() ? "\n" : "zz\n").getBytes(StandardCharsets.UTF_8);
                appends.add(join(completion, lines(r, r.nextInt(200), 1000)));
                appends.add(lines(r, r.nextInt(100), 2000));
            }
            Path file = dir.resolve("log-" + round + ".jsonl");
            Files.write(file, first);
            SegmentedRead.Settings several = new SegmentedRead.Settings(1 + r.nextInt(4) + 1,
                    1 + r.nextInt(r.nextBoolean() ? 40 : 2000), 0);
            Run one = read(file, follow, SegmentedRead.Settings.ONE_THREAD, appends);
            Run many = read(file, follow, several, appends);
            String what = "seed " + seed + ", follow " + follow + ", " + several;
            assertEquals(one.events, many.events, what);
            assertEquals(one.perPoll, many.perPoll, what);
            assertEquals(one.status.eventsRead(), many.status.eventsRead(), what);
            assertEquals(one.status.ignored(), many.status.ignored(), what);
            assertEquals(one.status.skippedByReason(), many.status.skippedByReason(), what);
            assertEquals(one.status.firstEventAt(), many.status.firstEventAt(), what);
            assertEquals(one.status.lastEventAt(), many.status.lastEventAt(), what);
            assertEquals(one.status.lagBytes(), many.status.lagBytes(), what);
            assertTrue(many.status.healthy(), what);
            assertTrue(!one.events.isEmpty(), what);
        }
    }

    @Test
    void aSinkThatThrowsLosesOnlyItsEventAndCountsOnlyWhatWasDelivered() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        byte[] content = lines(r, 600, 0);
        Path file = dir.resolve("x.jsonl");
        Files.write(file, content);
        List<List<Event>> outcomes = new ArrayList<>();
        List<SourceStatus> statuses = new ArrayList<>();
        for (SegmentedRead.Settings threads : List.of(SegmentedRead.Settings.ONE_THREAD,
                new SegmentedRead.Settings(3, 500, 0))) {
            Path copy = dir.resolve(threads.threads() + ".jsonl");
            Files.copy(file, copy);
            List<Event> got = new ArrayList<>();
            try (JsonlSource s = new JsonlSource("t", FileTarget.parse(copy.toString()), true, MAX_LINE, 64,
                    threads)) {
                int[] seen = {0};
                assertThrows(IllegalStateException.class, () -> s.poll(e -> {
                    if (++seen[0] == 200) {
                        throw new IllegalStateException("the fold failed");
                    }
                    got.add(e);
                }));
                s.poll(got::add);
                statuses.add(s.status());
            }
            outcomes.add(got);
        }
        assertEquals(outcomes.get(0), outcomes.get(1));
        assertEquals(statuses.get(0).eventsRead(), statuses.get(1).eventsRead());
        assertEquals(statuses.get(0).skippedByReason(), statuses.get(1).skippedByReason());
    }

    @Test
    void theFactoryTakesDecodeThreadsAndRejectsAnythingButAPositiveCount() {
        JsonlSourceFactory factory = new JsonlSourceFactory();
        SourceContext context = new SourceContext("t", dir.resolve("x.jsonl").toString(), false,
                SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());
        factory.create(Map.of("decode_threads", "4"), context).close();
        // by default, the processors but two (one folds; the JIT and the collector need one), at least one
        assertEquals(List.of(1, 1, 1, 2, 6, 64), List.of(JsonlSourceFactory.defaultDecodeThreads(1),
                JsonlSourceFactory.defaultDecodeThreads(2), JsonlSourceFactory.defaultDecodeThreads(3),
                JsonlSourceFactory.defaultDecodeThreads(4), JsonlSourceFactory.defaultDecodeThreads(8),
                JsonlSourceFactory.defaultDecodeThreads(200)));
        for (String bad : List.of("0", "-1", "two", "65")) {
            SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                    () -> factory.create(Map.of("decode_threads", bad), context));
            assertEquals("option 'decode_threads' must be a positive number of threads (at most 64), not '" + bad
                    + "'", e.getMessage());
        }
    }

    private static byte[] join(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
