package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sink that throws (a bug in the fold) loses only the event it refused, as with the JSONL source: the lines before
 * it stay delivered and counted once, the poll does not throw, and reading goes on after the refused line (in the
 * same poll or the next). Whether the object was read on the polling thread or read ahead on a worker (then
 * delivered from its batch), and whether the line refused is the first, one in the middle, or the last of its object.
 */
class SinkFailureTest {

    private static final int LINES = 40;

    private static String object(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            sb.append("{\"timestamp\": \"2025-10-20T13:").append(String.format("%02d", n * 10 + i / 10))
                    .append(":00Z\", \"event\": \"task_start\", \"dag_name\": \"d\", \"dag_run_id\": \"r").append(n)
                    .append("\", \"task_id\": \"t").append(i).append("\"}\n");
            if (i % 7 == 3) {
                sb.append("{\"timestamp\": \"2025-10-20T13:00:00Z\", \"event\": \"resume_token\"}\n");
            }
            if (i % 11 == 5) {
                sb.append("not json\n\n");
            }
        }
        return sb.toString();
    }

    /** Objects in memory, in one version each. */
    private record Objects(Map<String, byte[]> bytes) implements ObjectStore {

        static Objects of(int count) {
            Map<String, byte[]> bytes = new LinkedHashMap<>();
            for (int n = 1; n <= count; n++) {
                bytes.put("logs/part-" + n + ".jsonl", object(n).getBytes(StandardCharsets.UTF_8));
            }
            return new Objects(bytes);
        }

        private static ObjectVersion version(byte[] b) {
            return ObjectVersion.of("\"etag-" + b.length + "\"", (long) b.length,
                    Instant.parse("2025-10-21T18:00:00Z"));
        }

        @Override
        public List<StoredObject> list(String prefix) {
            List<StoredObject> listed = new ArrayList<>();
            bytes.forEach((key, b) -> listed.add(new StoredObject(key, version(b))));
            return listed;
        }

        @Override
        public Fetched get(String key, long from, ObjectVersion expected) throws StoreException {
            byte[] b = bytes.get(key);
            if (b == null) {
                throw new StoreException(StoreException.Kind.MISSING, key + " is not there", null);
            }
            int start = (int) Math.min(from, b.length);
            return new Fetched(new ByteArrayInputStream(b, start, b.length - start), version(b));
        }

        @Override
        public void close() {
        }
    }

    private record Outcome(List<Event> events, SourceStatus status) {
    }

    private static Outcome read(int concurrency, int refuse) {
        Objects store = Objects.of(3);
        S3Options options = S3Options.parse("bucket/logs/", Map.of("concurrency", Integer.toString(concurrency)));
        List<Event> got = new ArrayList<>();
        try (S3Source s = new S3Source("events", options, false, 1 << 20, Clock.systemUTC(), () -> store,
                S3Source.DEFAULT_READ_AHEAD_BYTES, 1)) {
            int[] seen = {0};
            s.poll(e -> {
                if (++seen[0] == refuse) {
                    throw new IllegalStateException("the fold failed");
                }
                got.add(e);
            });
            s.poll(got::add);
            return new Outcome(got, s.status());
        }
    }

    @Test
    void aRefusedEventIsTheOnlyOneLostWhereverItsObjectWasRead() {
        Outcome all = read(1, 0);
        assertEquals(3 * LINES, all.events().size());
        for (int concurrency : new int[] {1, 2, 3}) {
            for (int refuse : new int[] {1, 2, LINES / 2, LINES, LINES + 1, LINES + 17, 2 * LINES, 2 * LINES + 1,
                    3 * LINES - 1, 3 * LINES}) {
                String what = "concurrency " + concurrency + ", event " + refuse + " refused";
                Outcome o = read(concurrency, refuse);
                List<Event> expected = new ArrayList<>(all.events());
                expected.remove(refuse - 1);
                assertEquals(expected, o.events(), what);
                assertTrue(o.status().healthy(), what + ": the next poll reads cleanly");
                assertEquals(all.status().eventsRead(), o.status().eventsRead(), what);
                assertEquals(all.status().ignored(), o.status().ignored(), what);
                assertEquals(all.status().skippedByReason(), o.status().skippedByReason(), what);
            }
        }
    }
}
