package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source against S3Proxy, a real S3-protocol server, in this JVM: the contract, and a store that goes down. */
class S3ProxySourceTest extends S3SourceContract {

    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.startInMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    URI endpoint() {
        return server.endpoint();
    }

    @Override
    String accessKey() {
        return S3ProxyServer.ACCESS_KEY;
    }

    @Override
    String secretKey() {
        return S3ProxyServer.SECRET_KEY;
    }

    @Test
    void aServerStoppedMidReadAndRestartedIsReadOnWithoutLossOrDuplicates() throws Exception {
        putObjects(0, 20, 300);
        TestClock clock = new TestClock();
        S3Source s = source(endpoint(), "logs/", Map.of("poll_seconds", "5", "concurrency", "3"), true, clock,
                1000, S3Source.DEFAULT_READ_AHEAD_BYTES);
        List<Event> events = new ArrayList<>();
        long first = s.poll(e -> {
            events.add(e);
            if (events.size() == 5 * 300 + 120) {
                try {
                    server.stop();
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            }
        });
        SourceStatus down = s.status();
        try {
            assertEquals(events.size(), first);
            assertTrue(first < 20 * 300, "the server went away before the end: " + first);
            assertFalse(down.healthy());
            String error = down.error().orElseThrow();
            assertTrue(error.contains("cannot reach " + endpoint()) && error.contains("wait for it"), error);
            assertTrue(down.lagObjects().orElseThrow() > 0, down.toString());
            assertTrue(down.lagBytes().orElseThrow() > down.lagObjects().orElseThrow() * 1000, down.toString());
            assertEquals(first, down.eventsRead());

            clock.advance(Duration.ofSeconds(5));
            assertEquals(0, s.poll(events::add), "still down");
            assertFalse(s.status().healthy());
        } finally {
            server.restart();
        }
        clock.advance(Duration.ofSeconds(5));
        s.poll(events::add);
        assertEquals(Runs.ids(0, 20, 300), Runs.idsOf(events));
        SourceStatus up = s.status();
        assertTrue(up.healthy(), () -> up.error().orElse(""));
        assertEquals(20 * 300, up.eventsRead());
        assertEquals(0, up.lagObjects().orElseThrow());
    }
}
