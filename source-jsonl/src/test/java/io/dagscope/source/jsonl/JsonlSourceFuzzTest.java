package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.lines.decode.JsonlLineDecoder;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the JSONL source over a file (docs/fuzzing.md): fuzzed bytes (any number of lines, any line endings)
 * between valid lines give, line for line, what each line gives alone: the valid lines' events are untouched and
 * every count is the sum of the lines' own.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JsonlSourceFuzzTest {

    private static final Path DIR = tempDir();

    private static final List<String> BEFORE = List.of(
            "{\"timestamp\": \"2025-10-20T13:55:00.353948+00:00\", \"event\": \"dag_start\", \"dag_name\": \"ops\", "
                    + "\"dag_run_id\": \"r1\", \"tenant\": \"acme\", \"task_count\": 2}",
            "{\"timestamp\": \"2025-10-20T13:55:01+00:00\", \"event\": \"task_start\", \"dag_name\": \"ops\", "
                    + "\"dag_run_id\": \"r1\", \"task_id\": \"a\"}",
            "{\"event\": \"schedule_enqueued\", \"schedule_id\": \"s\", \"minute\": \"2025-10-20 13:55\", "
                    + "\"timestamp\": \"2025-10-20T13:55:00.350541\"}");
    private static final List<String> AFTER = List.of(
            "{\"timestamp\": \"2025-10-20T13:55:02.5Z\", \"event\": \"task_ok\", \"dag_name\": \"ops\", "
                    + "\"dag_run_id\": \"r1\", \"task_id\": \"a\", \"attempt\": 1}",
            "{\"event\": \"resume_token\", \"timestamp\": \"2025-10-20T13:55:03+00:00\"}",
            "{\"timestamp\": \"2025-10-20T13:55:04+00:00\", \"event\": \"dag_done\", \"dag_name\": \"ops\", "
                    + "\"dag_run_id\": \"r1\", \"tenant\": \"acme\", \"tasks_succeeded\": 2, \"tasks_failed\": 0, "
                    + "\"duration_seconds\": 4.0}");

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("dagscope-fuzz-jsonl");
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

    /**
     * Valid lines, the fuzzed bytes, valid lines, in one file read by the source (and with a small line limit too):
     * the events and counts are those of each {@code \n}-separated line decoded alone by a fresh decoder.
     */
    @FuzzTest
    void fuzzedLinesChangeNothingAboutTheOthers(byte[] middle) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BEFORE.forEach(line -> file.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8)));
        file.writeBytes(middle);
        file.write('\n');
        AFTER.forEach(line -> file.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8)));
        byte[] bytes = file.toByteArray();
        Path path = Files.write(DIR.resolve("orchestrator_events.jsonl"), bytes);

        for (int limit : new int[] {SourceContext.DEFAULT_MAX_LINE_BYTES, 64}) {
            List<Event> events = new ArrayList<>();
            Map<String, Long> skipped = new TreeMap<>();
            long ignored = 0;
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    JsonlLineDecoder alone = new JsonlLineDecoder(limit);
                    switch (alone.decode(bytes, start, i - start)) {
                        case EVENT -> events.add(alone.event());
                        case IGNORED -> ignored++;
                        case SKIPPED -> skipped.merge(alone.skipReason().key(), 1L, Long::sum);
                        case BLANK -> { }
                    }
                    start = i + 1;
                }
            }

            SourceStatus status;
            List<Event> read = new ArrayList<>();
            try (EventSource source = new JsonlSourceFactory().create(Map.of(),
                    new SourceContext("events", path.toString(), false, limit, Clock.systemUTC()))) {
                source.poll(read::add);
                status = source.status();
            }

            String what = "limit " + limit + ", middle " + new String(middle, StandardCharsets.UTF_8);
            assertEquals(events, read, what);
            assertEquals(events.size() + ignored, status.eventsRead(), what);
            assertEquals(skipped, new TreeMap<>(status.skippedByReason()), what);
            assertEquals(ignored, status.ignored(), what);
        }
    }
}
