package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.source.lines.decode.LineOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live writer continues the history in real time with whole lines, and stops when asked. */
class LiveLogWriterTest {

    @TempDir
    Path tmp;

    /** The real clock, run faster, so that a test sees minutes of logs in a second or two. */
    private static final class FastClock extends Clock {
        private final Instant origin;
        private final long originNanos = System.nanoTime();
        private final long speed;

        FastClock(Instant origin, long speed) {
            this.origin = origin;
            this.speed = speed;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return origin.plusNanos((System.nanoTime() - originNanos) * speed);
        }
    }

    /** Every line of a file that is complete decodes; returns how many there are. */
    private static int completeLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);
        int lines = 0;
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                LineOutcome o = decoder.decode(bytes, from, i - from);
                assertTrue(o == LineOutcome.EVENT || o == LineOutcome.IGNORED, "a broken line: "
                        + new String(Arrays.copyOfRange(bytes, from, i)));
                lines++;
                from = i + 1;
            }
        }
        return lines;
    }

    @Test
    void appendsWholeLinesOnTheWallClockAndStopsCleanly() throws Exception {
        Instant now = Instant.now();
        FastClock clock = new FastClock(now, 60);
        GeneratorOptions options = GeneratorOptions.builder().days(1.0 / 24).ratePerMinute(600).build();
        LogGenerator generator = LogGenerator.create(options, clock);
        GenerationReport history = generator.writeHistory(tmp, false);
        long historyLines = history.totalLines();
        Path runner = tmp.resolve(LogGenerator.RUNNER_LOG);
        Path state = tmp.resolve(LogGenerator.STATE_LOG);

        LiveLogWriter live = generator.liveWriter();
        Thread thread = live.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline && seen < historyLines + 200) {
            // read while it writes: every complete line is a whole event
            seen = completeLines(runner) + completeLines(state);
            Thread.sleep(20);
        }
        assertTrue(seen >= historyLines + 200, "lines appended while running: " + (seen - historyLines));
        assertTrue(live.linesWritten() >= 200);

        live.stop();
        assertTrue(live.awaitTermination(Duration.ofSeconds(5)), "stops within seconds");
        thread.join(5000);
        assertFalse(thread.isAlive());
        assertTrue(live.failure().isEmpty());
        long written = live.linesWritten();
        Instant stoppedAt = clock.instant();
        assertEquals(historyLines + written, completeLines(runner) + completeLines(state));
        assertEquals('\n', lastByte(runner));
        assertEquals('\n', lastByte(state));

        Thread.sleep(200);
        assertEquals(written, live.linesWritten(), "nothing more after stop");
        live.close();
        assertLiveLinesStampedBetween(runner, history, stoppedAt);
    }

    /** The cron minutes each schedule was enqueued for, from a state log. */
    private static java.util.Map<String, java.util.Set<Long>> enqueuedMinutes(Path state) throws IOException {
        java.util.regex.Pattern id = java.util.regex.Pattern.compile("\"schedule_id\": \"([^\"]+)\"");
        java.util.regex.Pattern minute = java.util.regex.Pattern.compile("\"minute\": \"([^\"]+)\"");
        java.util.Map<String, java.util.Set<Long>> out = new java.util.HashMap<>();
        for (String line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
            if (!line.contains("\"event\": \"schedule_enqueued\"")) {
                continue;
            }
            java.util.regex.Matcher i = id.matcher(line);
            java.util.regex.Matcher m = minute.matcher(line);
            assertTrue(i.find() && m.find(), line);
            long epochMinute = java.time.LocalDateTime.parse(m.group(1).replace(' ', 'T'))
                    .toEpochSecond(ZoneOffset.UTC) / 60;
            out.computeIfAbsent(i.group(1), k -> new java.util.HashSet<>()).add(epochMinute);
        }
        return out;
    }

    @Test
    void aStoppedScheduleMissesEverySlotAndWithoutHiccupsNoOtherDoes() throws Exception {
        Instant now = Instant.now();
        FastClock clock = new FastClock(now, 600);
        GeneratorOptions options = GeneratorOptions.builder().days(1.0 / 24).ratePerMinute(600)
                .schedulerHiccups(false).build();
        LogGenerator generator = LogGenerator.create(options, clock);
        generator.writeHistory(tmp, false);
        Fleet fleet = Fleet.build(options.format(), options.tenants(), options.dags(),
                options.effectiveRatePerMinute(), Rng.derived(options.seed(), 0xF1EE7L));
        Fleet.Schedule stopped = fleet.schedules().stream().filter(Fleet.Schedule::enabled)
                .min(java.util.Comparator.comparingInt(s -> s.cron().minuteStep() == 0 ? 60 : s.cron().minuteStep()))
                .orElseThrow();
        LiveLogWriter live = generator.liveWriter();
        assertThrows(IllegalArgumentException.class, () -> live.stopSchedule("no-such-schedule"));
        live.stopSchedule(stopped.id());
        live.start();
        long liveStart = now.getEpochSecond() / 60;
        long until = liveStart + 40;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (clock.instant().getEpochSecond() / 60 < until + 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        live.close();
        assertTrue(live.failure().isEmpty());
        assertTrue(clock.instant().getEpochSecond() / 60 >= until, "the live writer ran 40 minutes");

        java.util.Map<String, java.util.Set<Long>> enqueued = enqueuedMinutes(tmp.resolve(LogGenerator.STATE_LOG));
        long historyStart = generator.start().getEpochSecond() / 60 + 1;
        for (Fleet.Schedule s : fleet.schedules()) {
            java.util.Set<Long> minutes = enqueued.getOrDefault(s.id(), java.util.Set.of());
            for (long m = historyStart; m <= until; m++) {
                if (!s.enabled() || !s.cron().matches(m)) {
                    assertFalse(minutes.contains(m), s.id() + " enqueued off its cron at " + m);
                } else if (s == stopped && m > liveStart + 1) {
                    assertFalse(minutes.contains(m), "the stopped schedule still enqueued at minute " + m);
                } else if (s != stopped || m < liveStart) {
                    assertTrue(minutes.contains(m), s.id() + " missed minute " + m + " without hiccups");
                }
            }
        }
    }

    @Test
    void aLiveWriterNeedsAHistoryAndRunsOnce() throws IOException {
        LogGenerator generator = LogGenerator.create(GeneratorOptions.builder().days(0.01).build(), Clock.systemUTC());
        assertThrows(IllegalStateException.class, generator::liveWriter);
        generator.writeHistory(tmp, false);
        LiveLogWriter live = generator.liveWriter();
        assertThrows(IllegalStateException.class, generator::liveWriter);
        live.stop();
        live.run();
        assertThrows(IllegalStateException.class, live::start);
        live.close();
        assertEquals(0, live.linesWritten(), "stopped before it ran");
    }

    private static void assertLiveLinesStampedBetween(Path runner, GenerationReport history,
            Instant stoppedAt) throws IOException {
        long historyEnd = LogGenerator.micros(history.end().orElseThrow());
        long stop = LogGenerator.micros(stoppedAt);
        JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);
        int live = 0;
        for (String line : Files.readAllLines(runner)) {
            decoder.decode(line.getBytes(StandardCharsets.UTF_8));
            long t = decoder.timestampMicros();
            if (t >= historyEnd) {
                assertTrue(t <= stop, "a line stamped after the clock when the writer stopped");
                live++;
            }
        }
        assertTrue(live > 0, "runner lines after the history");
    }

    private static byte lastByte(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return b[b.length - 1];
    }
}
