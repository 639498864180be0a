package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket connections and subscriptions are logged only with {@code --access-log}, like HTTP requests: without it,
 * nothing a caller does over a socket (connect, subscribe, fail to authenticate) writes a line.
 */
class WebSocketLogTest {

    private static final String TOKEN = "websocket-log-token-8d2f1a";
    private static final int CONNECTIONS = 5;
    private static ServerFixture quiet;
    private static ServerFixture logged;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws IOException {
        tokenFile = Files.createTempFile("dagscope-tokens", ".yaml");
        Files.writeString(tokenFile, "- name: ops\n  token_sha256: " + Authenticator.sha256Hex(TOKEN)
                + "\n  admin: true\n");
        quiet = new ServerFixture(ServerOptions.defaults(0), Authenticator.fromFile(tokenFile));
        logged = new ServerFixture(ServerOptions.defaults(0).withAccessLog(true), Authenticator.fromFile(tokenFile));
    }

    @AfterAll
    static void stop() throws IOException {
        quiet.close();
        logged.close();
        Files.deleteIfExists(tokenFile);
    }

    /** Connects, subscribes, completes, and has one more connection refused for its token. */
    private static void use(ServerFixture fixture) throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Ws ws = new Ws(fixture.server.port())) {
                ws.init(Map.of("token", TOKEN));
                assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));
                ws.subscribe("s", "subscription Live { windowOf { end } }");
                assertEquals("next", ws.next(Duration.ofSeconds(5)).get("type"));
                ws.send(Map.of("id", "s", "type", "complete"));
            }
            try (Ws refused = new Ws(fixture.server.port())) {
                refused.init(Map.of("token", "wrong"));
                assertEquals(4401, refused.awaitClose(Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void withoutTheAccessLogNoSocketWritesALine() throws Exception {
        use(quiet);

        assertFalse(quiet.log().contains("websocket"), quiet.log());
    }

    @Test
    void withTheAccessLogEachSubscriptionAndConnectionIsLogged() throws Exception {
        use(logged);

        String log = logged.log();
        assertEquals(CONNECTIONS, count(log, "websocket: subscription started operation=Live caller=ops"), log);
        assertEquals(CONNECTIONS, count(log, "websocket: connected caller=ops"), log);
        assertEquals(CONNECTIONS, count(log, "websocket: refused a connection without a valid token"), log);
    }

    private static int count(String text, String line) {
        return text.split(java.util.regex.Pattern.quote(line), -1).length - 1;
    }
}
