package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.spi.SourceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real orchestrator's logs (fixtures/samples/README.md) decode to exactly the counts their README gives. */
class SampleLogsTest {

    private static final Path SAMPLES = Path.of("../fixtures/samples");

    private static final Path LEGACY_EVENTS = SAMPLES.resolve("legacy-27c/orchestrator_events.jsonl");
    private static final Path LEGACY_STATE = SAMPLES.resolve("legacy-27c/orchestrator_state.jsonl");
    private static final Path HEAD_EVENTS = SAMPLES.resolve("head/orchestrator_events.jsonl");
    private static final Path HEAD_STATE = SAMPLES.resolve("head/orchestrator_state.jsonl");

    private record Read(List<Event> events, SourceStatus status) {

        Map<String, Integer> countsByType() {
            Map<String, Integer> counts = new TreeMap<>();
            for (Event e : events) {
                counts.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
            return counts;
        }
    }

    private static Read readOnce(String target, int chunkBytes) {
        try (EventSource source = new JsonlSource("sample", FileTarget.parse(target), false,
                SourceContext.DEFAULT_MAX_LINE_BYTES, chunkBytes)) {
            List<Event> events = new ArrayList<>();
            long delivered = source.poll(events::add);
            assertEquals(events.size(), delivered);
            assertEquals(0, source.poll(events::add), "a source read once has nothing more to give");
            return new Read(events, source.status());
        }
    }

    private static Read readOnce(Path file) {
        return readOnce(file.toString(), LineSplitter.DEFAULT_CHUNK_BYTES);
    }

    private static Map<String, Integer> counts(Object... typeAndCount) {
        Map<String, Integer> m = new TreeMap<>();
        for (int i = 0; i < typeAndCount.length; i += 2) {
            m.put(((Class<?>) typeAndCount[i]).getSimpleName(), (Integer) typeAndCount[i + 1]);
        }
        return m;
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000);
    }

    @Test
    void theLegacyRunnerLogHasEveryEventOfTheReadmeAndNoRunIds() {
        Read read = readOnce(LEGACY_EVENTS);
        assertEquals(counts(DagStart.class, 362, TaskStart.class, 1_280, TaskOk.class, 1_271, TaskRetry.class, 51,
                TaskFail.class, 9, DagDone.class, 353), read.countsByType());
        assertEquals(3_326, read.status().eventsRead());
        assertEquals(0, read.status().linesSkipped());
        assertEquals(0, read.status().ignored());
        assertTrue(read.events().stream().allMatch(e -> ((RunnerEvent) e).dagRunId() == null));
        assertTrue(read.status().healthy());
    }

    @Test
    void legacyNaiveTimestampsAreReadAsUtc() {
        Read read = readOnce(LEGACY_EVENTS);
        Event first = read.events().get(0);
        assertEquals(new DagStart(first.timestampMicros(), "crm_sync", null, "acme-corp", 2), first);
        assertEquals(Instant.parse("2025-10-04T10:00:01.515049Z"), instant(first.timestampMicros()));
        assertEquals(Instant.parse("2025-10-04T10:00:01.515049Z"), read.status().firstEventAt().orElseThrow());
        assertEquals(Instant.parse("2025-10-07T09:30:11.309455Z"), read.status().lastEventAt().orElseThrow());
    }

    @Test
    void theLegacyStateLogHasEveryEventOfTheReadme() {
        Read read = readOnce(LEGACY_STATE);
        assertEquals(counts(ScheduleEnqueued.class, 362, RunStarted.class, 362, RunFinished.class, 362),
                read.countsByType());
        assertEquals(Map.of("success", 353, "failed", 9), statuses(read.events()));
        assertEquals(1_086, read.status().eventsRead());
        assertEquals(0, read.status().linesSkipped());
        assertTrue(read.events().stream().filter(e -> e instanceof ScheduleEnqueued)
                .allMatch(e -> ((ScheduleEnqueued) e).minuteEpoch() != null));
    }

    @Test
    void theHeadRunnerLogHasEveryEventOfTheReadmeWithRunIds() {
        Read read = readOnce(HEAD_EVENTS);
        assertEquals(counts(DagStart.class, 1_278, TaskStart.class, 5_201, TaskOk.class, 5_141, TaskRetry.class, 181,
                TaskFail.class, 60, DagDone.class, 1_204, CheckpointPending.class, 43, CheckpointApproved.class, 29),
                read.countsByType());
        assertEquals(13_137, read.events().size());
        assertEquals(13_137, read.status().eventsRead());
        assertEquals(0, read.status().linesSkipped());
        assertTrue(read.events().stream().allMatch(e -> ((RunnerEvent) e).dagRunId() != null));
        assertEquals(Instant.parse("2025-10-20T13:55:00.353948Z"), read.status().firstEventAt().orElseThrow());
        assertEquals(Instant.parse("2025-10-22T13:45:59.772971Z"), read.status().lastEventAt().orElseThrow());
    }

    @Test
    void theHeadStateLogHasEveryEventOfTheReadmeAndIgnoresResumeTokens() {
        Read read = readOnce(HEAD_STATE);
        assertEquals(counts(ScheduleEnqueued.class, 1_200, RunStarted.class, 1_234, RunFinished.class, 1_234,
                CheckpointExpired.class, 9), read.countsByType());
        assertEquals(Map.of("success", 1_177, "retry", 34, "failed", 23), statuses(read.events()));
        assertEquals(3_720, read.status().eventsRead());
        assertEquals(43, read.status().ignored());
        assertEquals(3_677, read.events().size());
        assertEquals(0, read.status().linesSkipped());
        CheckpointExpired expired = (CheckpointExpired) read.events().stream()
                .filter(e -> e instanceof CheckpointExpired).findFirst().orElseThrow();
        assertNotNull(expired.checkpointId());
        assertNotNull(expired.dagRunId());
        assertEquals("finance_signoff", expired.taskId());
    }

    @Test
    void everyFailedOrRetriedRunCarriesItsErrorAndNoSuccessDoes() {
        for (Event e : readOnce(HEAD_STATE).events()) {
            if (e instanceof RunFinished f) {
                if ("success".equals(f.status())) {
                    assertNull(f.error());
                } else {
                    assertTrue(f.error().startsWith("Task '"), f.error());
                }
                assertNotNull(f.durationSeconds());
            }
        }
    }

    @Test
    void theCheckpointStoreHasNoTimestampsSoEveryLineIsSkipped() {
        Read read = readOnce(SAMPLES.resolve("head/checkpoints.jsonl"));
        assertEquals(0, read.events().size());
        assertEquals(0, read.status().eventsRead());
        assertEquals(Map.of("missing_timestamp", 83L), read.status().skippedByReason());
    }

    @Test
    void aGlobOverBothHeadLogsReadsTheRunnerLogThenTheStateLog() {
        Read read = readOnce(SAMPLES.resolve("head").toString() + "/orchestrator_*.jsonl",
                LineSplitter.DEFAULT_CHUNK_BYTES);
        assertEquals(13_137 + 3_677, read.events().size());
        assertEquals(13_137 + 3_720, read.status().eventsRead());
        assertTrue(read.events().get(13_136) instanceof RunnerEvent);
        assertTrue(read.events().get(13_137) instanceof ScheduleEnqueued);
    }

    @Test
    void smallReadsSplitTheSameLinesAsLargeOnes() {
        List<Event> large = readOnce(HEAD_EVENTS).events();
        for (int chunk : new int[] {64, 333, 4096}) {
            assertEquals(large, readOnce(HEAD_EVENTS.toString(), chunk).events(), "chunk " + chunk);
        }
    }

    @Test
    void aMultiMemberGzipCopyReadsLikeThePlainLog(@TempDir Path dir) throws IOException {
        byte[] plain = Files.readAllBytes(HEAD_EVENTS);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        int third = plain.length / 3;
        // members split mid-line: a line may span two members
        gz.writeBytes(gzip(plain, 0, third));
        gz.writeBytes(gzip(plain, third, third));
        gz.writeBytes(gzip(plain, 2 * third, plain.length - 2 * third));
        Path copy = dir.resolve("orchestrator_events.jsonl.1.gz");
        Files.write(copy, gz.toByteArray());
        Read read = readOnce(copy);
        assertEquals(readOnce(HEAD_EVENTS).events(), read.events());
        assertTrue(read.status().healthy(), read.status().toString());
    }

    static byte[] gzip(byte[] data, int off, int len) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data, off, len);
        }
        return out.toByteArray();
    }

    private static Map<String, Integer> statuses(List<Event> events) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Event e : events) {
            if (e instanceof RunFinished f) {
                m.merge(f.status(), 1, Integer::sum);
            }
        }
        return m;
    }

    @Test
    void aSourceMadeByTheFactoryReportsItsNameKindAndLocation() {
        SourceContext context = new SourceContext("s", HEAD_STATE.toString(), false,
                SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());
        try (EventSource source = new JsonlSourceFactory().create(Map.of(), context)) {
            assertEquals(3_677, source.poll(e -> { }));
            assertEquals("s", source.name());
            assertEquals("jsonl", source.status().kind());
            assertEquals(HEAD_STATE.toString(), source.status().location());
        }
    }
}
