package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Connections that send half a request and wait (as a slow-headers attack does) are held to a bound: past it, new
 * connections wait to be accepted, and are once others close.
 */
class ConnectionLimitTest {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 60 s for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void halfRequestsBeyondTheLimitWaitAndAreAcceptedOnceOthersClose() throws Exception {
        try (ServerFixture fixture = new ServerFixture(ServerOptions.defaults(0), Authenticator.off())) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < HttpServer.MAX_CONNECTIONS + 20; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), fixture.server.port());
                    s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(2000))
                            .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                await("the limit reached", () -> fixture.server.connections() == HttpServer.MAX_CONNECTIONS);
                assertEquals(HttpServer.MAX_CONNECTIONS, fixture.server.connections(), "never more");

                for (Socket s : slow.subList(0, 40)) {
                    s.close();
                }
                assertEquals(200, fixture.http.get("/health").status(), "answered once others closed");
                assertTrue(fixture.server.connections() <= HttpServer.MAX_CONNECTIONS);
            } finally {
                slow.forEach(s -> {
                    try {
                        s.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
