package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.JsonlSourceFactory;
import io.dagscope.spi.SourceContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real orchestrator's logs (fixtures/samples), cut into date-partitioned objects, some gzipped, give exactly
 * the events and counts that the same logs give as files.
 */
class SampleLogsOverS3Test {

    private static final Path SAMPLES = Path.of("../fixtures/samples");

    private static S3ProxyServer server;
    private static TestStore store;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.startInMemory();
        store = new TestStore(server.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        server.close();
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

    @ParameterizedTest
    @CsvSource({
        "head/orchestrator_events.jsonl, 20, 1",
        "head/orchestrator_events.jsonl, 20, 4",
        "head/orchestrator_state.jsonl, 20, 4",
        "head/orchestrator_state.jsonl, 3, 2",
        "legacy-27c/orchestrator_events.jsonl, 20, 8",
        "legacy-27c/orchestrator_state.jsonl, 7, 4",
    })
    void givesTheSameEventsAndCountsAsTheSameLogOnDisk(String log, int parts, int concurrency) throws Exception {
        Path file = SAMPLES.resolve(log);
        String bucket = store.newBucket();
        Map<String, byte[]> objects = LogSplitter.split(file, parts, "logs/", 3);
        assertTrue(new ArrayList<>(objects.keySet()).stream().sorted(ObjectCursors.KEY_ORDER).toList()
                .equals(new ArrayList<>(objects.keySet())), "keys sort in log order: " + objects.keySet());
        objects.forEach((key, bytes) -> store.put(bucket, key, bytes));

        SourceContext onDisk = new SourceContext("sample", file.toString(), false,
                SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());
        Read expected = read(new JsonlSourceFactory().create(Map.of(), onDisk));
        SourceContext inBucket = new SourceContext("sample", bucket + "/logs/", false,
                SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());
        Read actual = read(new S3SourceFactory().create(Map.of("endpoint", server.endpoint().toString(),
                "access_key", S3ProxyServer.ACCESS_KEY, "secret_key", S3ProxyServer.SECRET_KEY,
                "concurrency", Integer.toString(concurrency)), inBucket));

        assertTrue(actual.status().healthy(), () -> actual.status().error().orElse(""));
        assertTrue(expected.events().size() > 50, "the sample has events: " + expected.events().size());
        assertEquals(expected.events(), actual.events());
        SourceStatus e = expected.status();
        SourceStatus a = actual.status();
        assertEquals(e.eventsRead(), a.eventsRead());
        assertEquals(e.skippedByReason(), a.skippedByReason());
        assertEquals(e.ignored(), a.ignored());
        assertEquals(e.firstEventAt(), a.firstEventAt());
        assertEquals(e.lastEventAt(), a.lastEventAt());
        assertEquals(0, a.lagObjects().orElseThrow());
    }
}
