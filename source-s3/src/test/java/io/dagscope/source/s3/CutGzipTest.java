package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.JsonlSourceFactory;
import io.dagscope.spi.SourceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by fuzzing (ObjectReadingFuzzTest): a gzip object cut short in the middle of a line already longer than the
 * limit lost that line, where the JSONL source counts it as too long. The S3 source counts a long line when its end
 * arrives, so that a read resumed after a dropped connection does not count it twice; but a damaged gzip is never
 * read again, so what it showed of the line is counted then.
 */
class CutGzipTest {

    private static final int LIMIT = 100;
    private static final String LINE = "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"dag_start\", "
            + "\"dag_name\": \"ops\"}\n";

    @TempDir
    Path tmp;

    private record Read(List<Event> events, SourceStatus status) {
    }

    private static Read read(EventSource source) {
        try (source) {
            List<Event> events = new ArrayList<>();
            source.poll(events::add);
            return new Read(events, source.status());
        }
    }

    /** A line of 3,000 bytes that deflate cannot shrink much, so most of it comes out before a cut near the end. */
    private static final String LONG_LINE = "{\"error\": \"" + new java.util.Random(7).ints(3000, 'a', 'z' + 1)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "\"}";

    /** The text gzipped, cut short: the trailer and the last deflated bytes missing, so it ends inside its last line. */
    private static byte[] cutGzip(String text) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = zipped.toByteArray();
        return Arrays.copyOf(whole, whole.length - 40);
    }

    @Test
    void aLineTooLongWhereTheGzipIsCutIsCountedAsTheJsonlSourceCountsIt() throws IOException {
        byte[] object = cutGzip(LINE + LINE + LONG_LINE + "\n");
        Path file = Files.write(tmp.resolve("part-0001.jsonl.gz"), object);

        Read expected = read(new JsonlSourceFactory().create(Map.of(),
                new SourceContext("events", file.toString(), false, LIMIT, Clock.systemUTC())));
        Read actual = read(new S3Source("events", S3Options.parse("bucket/logs/", Map.of("concurrency", "1")), false,
                LIMIT, Clock.systemUTC(), () -> new OneObjectStore("logs/part-0001.jsonl.gz", object),
                S3Source.DEFAULT_READ_AHEAD_BYTES, 1));

        assertEquals(Map.of("too_long", 1L), expected.status().skippedByReason(), "the file's reading");
        assertEquals(2, expected.events().size());
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.status().skippedByReason(), actual.status().skippedByReason());
        assertFalse(actual.status().healthy(), "a cut gzip is reported");
    }

    @Test
    void soItIsWhenTheObjectIsReadAheadOnAWorker() throws IOException {
        byte[] object = cutGzip(LINE + LONG_LINE + "\n");
        S3Options options = S3Options.parse("bucket/logs/", Map.of("concurrency", "4"));
        ObjectStore store = new TwoObjects(object);

        Read actual = read(new S3Source("events", options, false, LIMIT, Clock.systemUTC(), () -> store,
                S3Source.DEFAULT_READ_AHEAD_BYTES, 1));

        assertEquals(Map.of("too_long", 1L), actual.status().skippedByReason());
        assertEquals(2, actual.events().size(), "one from each object");
        assertFalse(actual.status().healthy(), "a cut gzip is reported");
    }

    /** A plain first object, then the cut gzip, which a worker reads ahead while the first is delivered. */
    private record TwoObjects(byte[] cut) implements ObjectStore {
        private static final OneObjectStore FIRST = new OneObjectStore("logs/part-0001.jsonl",
                LINE.getBytes(StandardCharsets.UTF_8));

        private OneObjectStore second() {
            return new OneObjectStore("logs/part-0002.jsonl.gz", cut);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            List<StoredObject> all = new ArrayList<>(FIRST.list(prefix));
            all.addAll(second().list(prefix));
            return all;
        }

        @Override
        public Fetched get(String key, long from, ObjectVersion expected) throws StoreException {
            return key.equals(FIRST.key()) ? FIRST.get(key, from, expected) : second().get(key, from, expected);
        }

        @Override
        public void close() {
        }
    }
}
