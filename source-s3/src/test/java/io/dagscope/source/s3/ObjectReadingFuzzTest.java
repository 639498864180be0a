package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.JsonlSourceFactory;
import io.dagscope.spi.SourceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the S3 source's object reading (docs/fuzzing.md): any object, plain or gzip, whole or with its gzip
 * cut short, with lines of any length (the line limit is fuzzed too, down to tens of bytes, so that lines cross it
 * and the reader's buffer boundaries), is read to the same events and counts as the JSONL source reads from a file
 * holding the same bytes, and neither hangs nor throws.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObjectReadingFuzzTest {

    private static final Path DIR = tempDir();

    /** Real lines of both logs, to put the fuzzed bytes among. */
    private static final List<String> LINES = List.of(
            "{\"timestamp\": \"2025-10-20T13:55:00.353948+00:00\", \"event\": \"dag_start\", \"dag_name\": "
                    + "\"weekly_ops_chain\", \"dag_run_id\": \"40471680-d501\", \"tenant\": \"local-dev\", "
                    + "\"task_count\": 3}",
            "{\"timestamp\": \"2025-10-20T13:55:00.354530+00:00\", \"event\": \"task_start\", \"dag_name\": "
                    + "\"weekly_ops_chain\", \"dag_run_id\": \"40471680-d501\", \"task_id\": \"sweep\"}",
            "{\"timestamp\": \"2025-10-20T13:55:03.268904\", \"event\": \"task_ok\", \"dag_name\": "
                    + "\"weekly_ops_chain\", \"dag_run_id\": \"40471680-d501\", \"task_id\": \"sweep\", \"attempt\": 1}",
            "{\"event\": \"schedule_enqueued\", \"schedule_id\": \"weekly_ops_chain\", \"dag_path\": "
                    + "\"configs/dags/weekly_ops_chain.min.yaml\", \"tenant\": \"local-dev\", \"minute\": "
                    + "\"2025-10-20 13:55\", \"timestamp\": \"2025-10-20T13:55:00.350541+00:00\"}",
            "{\"event\": \"resume_token\", \"dag_run_id\": \"b92374f5\", \"timestamp\": \"2025-10-20T14:17:18Z\"}",
            "not json at all",
            "");

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("dagscope-fuzz-s3");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private record Read(List<Event> events, SourceStatus status) {
    }

    private static Read read(EventSource source) {
        try (source) {
            List<Event> events = new ArrayList<>();
            source.poll(events::add);
            return new Read(events, source.status());
        }
    }

    /**
     * Fuzzed lines among real ones, ended by {@code \n} or {@code \r\n}, with or without a last line break, plain or
     * gzip (cut anywhere, or not), read by both sources with the same line limit: the same events in the same order,
     * the same counts of events, skipped lines by reason and ignored lines, the same first and last event times.
     */
    @FuzzTest
    void anObjectReadsAsAFileWithItsBytesDoes(FuzzedDataProvider data) throws IOException {
        int maxLineBytes = data.consumeBoolean() ? SourceContext.DEFAULT_MAX_LINE_BYTES : data.consumeInt(16, 400);
        boolean gzip = data.consumeBoolean();
        boolean cut = gzip && data.consumeBoolean();
        int cutAt = data.consumeInt(0, Integer.MAX_VALUE);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int lines = data.consumeInt(1, 12); lines > 0 && data.remainingBytes() > 0; lines--) {
            if (data.consumeBoolean()) {
                text.writeBytes(data.pickValue(LINES).getBytes(StandardCharsets.UTF_8));
            } else {
                text.writeBytes(data.consumeBytes(data.consumeInt(0, 600)));
            }
            if (lines > 1 || data.consumeBoolean()) {
                text.writeBytes(data.consumeBoolean() ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
            }
        }
        byte[] bytes = text.toByteArray();
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(bytes);
            }
            bytes = zipped.toByteArray();
            if (cut) {
                bytes = java.util.Arrays.copyOf(bytes, cutAt % bytes.length);
            }
        }
        String name = gzip ? "part-0001.jsonl.gz" : "part-0001.jsonl";
        Path file = Files.write(DIR.resolve(name), bytes);

        Read expected = read(new JsonlSourceFactory().create(Map.of(),
                new SourceContext("events", file.toString(), false, maxLineBytes, Clock.systemUTC())));
        S3Options options = S3Options.parse("bucket/logs/", Map.of("concurrency", "1"));
        OneObjectStore store = new OneObjectStore("logs/" + name, bytes);
        Read actual = read(new S3Source("events", options, false, maxLineBytes, Clock.systemUTC(), () -> store,
                S3Source.DEFAULT_READ_AHEAD_BYTES, 1));

        String what = (gzip ? cut ? "cut gzip" : "gzip" : "plain") + " object of " + bytes.length + " bytes, limit "
                + maxLineBytes;
        assertEquals(expected.events(), actual.events(), what);
        SourceStatus e = expected.status();
        SourceStatus a = actual.status();
        assertEquals(e.eventsRead(), a.eventsRead(), what);
        assertEquals(e.skippedByReason(), a.skippedByReason(), what);
        assertEquals(e.ignored(), a.ignored(), what);
        assertEquals(e.firstEventAt(), a.firstEventAt(), what);
        assertEquals(e.lastEventAt(), a.lastEventAt(), what);
        if (!cut) {
            assertTrue(a.healthy(), () -> what + ": " + a.error());
            assertTrue(e.healthy(), () -> what + ": " + e.error());
        } else if (!e.healthy()) {
            assertFalse(a.healthy(), () -> what + ": the file's source says " + e.error());
        }
    }
}
