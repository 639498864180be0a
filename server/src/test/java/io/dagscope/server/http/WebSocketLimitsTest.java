package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What WebSocket callers can make the server hold is bounded: open connections, the length of an id, what one
 * connection's subscriptions keep, and the messages waiting for clients that do not read them.
 */
class WebSocketLimitsTest {

    private static final String PROTOCOL = "Sec-WebSocket-Protocol: graphql-transport-ws";
    private static ServerFixture fixture;
    private static int port;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
        port = fixture.server.port();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static RawHttp connect() {
        RawHttp ws = RawHttp.upgrade(port, "/graphql", PROTOCOL);
        assertEquals(101, ws.handshake().status());
        ws.sendText("{\"type\":\"connection_init\"}");
        assertTrue(new String(ws.readFrame().getValue(), StandardCharsets.UTF_8).contains("connection_ack"));
        return ws;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 60 s for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void pastTheMostOpenConnectionsAnUpgradeGets503WithRetryAfterUntilOneCloses() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            while (fixture.server.webSockets() < SubscriptionSocket.MAX_CONNECTIONS) {
                open.add(connect());
            }
            try (RawHttp refused = RawHttp.upgrade(port, "/graphql", PROTOCOL)) {
                RawHttp.Response response = refused.response();
                assertEquals(503, response.status(), response.toString());
                assertEquals("5", response.header("retry-after"));
                assertTrue(response.body().contains("\"BUSY\"") && response.body().contains("512 WebSockets"),
                        response.body());
            }
            open.remove(0).close();
            await("the server to see a connection close",
                    () -> fixture.server.webSockets() < SubscriptionSocket.MAX_CONNECTIONS);
            open.add(connect());
        } finally {
            open.forEach(RawHttp::close);
        }
        await("every connection closed", () -> fixture.server.webSockets() == 0);
    }

    @Test
    void anIdLongerThanTheLimitClosesTheConnectionWith4400() {
        try (RawHttp ws = connect()) {
            ws.sendText("{\"id\":\"" + "i".repeat(SubscriptionSocket.MAX_ID_CHARS + 1) + "\",\"type\":\"subscribe\","
                    + "\"payload\":{\"query\":\"subscription { windowOf { end } }\"}}");

            assertEquals(4400, ws.awaitCloseCode());
        }
    }

    @Test
    void whatOneConnectionsSubscriptionsKeepIsBoundedAndFreedWhenTheyComplete() {
        String big = "x".repeat(30_000);
        try (Ws ws = new Ws(port)) {
            ws.init(null);
            assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));
            int accepted = 0;
            Map<String, Object> refusal = null;
            for (int i = 0; i < 10 && refusal == null; i++) {
                ws.subscribe("s" + i, "subscription { dagRuns(filter: {dagName: \"" + big + i + "\"}) { totalCount } "
                        + "}");
                Map<String, Object> message = ws.next(Duration.ofSeconds(10));
                if (message.get("type").equals("error")) {
                    refusal = message;
                } else {
                    assertEquals("next", message.get("type"), message.toString());
                    accepted++;
                }
            }
            assertEquals(4, accepted, "four documents of 30,000 characters fit in 131,072");
            assertTrue(String.valueOf(refusal).contains("at most 131072 characters"), String.valueOf(refusal));

            ws.send(Map.of("id", "s0", "type", "complete"));
            ws.subscribe("again", "subscription { dagRuns(filter: {dagName: \"" + big + "\"}) { totalCount } }");
            Map<String, Object> again = ws.next(Duration.ofSeconds(10));
            assertEquals("next", again.get("type"), "room again once one completed: " + again);
            assertEquals("again", again.get("id"));
        }
    }

    @Test
    void clientsThatDoNotReadAreDisconnectedOnceTooMuchWaitsAndOthersAreStillServed() throws Exception {
        String runs = "subscription { dagRuns(first: 1000) { edges { cursor node { id dagName tenant status startedAt "
                + "endedAt durationSeconds taskCount tasksSucceeded tasksFailed tasksRetried error lastEventAt "
                + "inferred } } } }";
        List<RawHttp> deaf = new ArrayList<>();
        try (Ws reader = new Ws(port)) {
            reader.init(null);
            assertEquals("connection_ack", reader.next(Duration.ofSeconds(5)).get("type"));
            for (int c = 0; c < 4; c++) {
                RawHttp ws = connect();
                deaf.add(ws);
                for (int i = 0; i < SubscriptionSocket.MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
                    ws.sendText("{\"id\":\"" + i + "\",\"type\":\"subscribe\",\"payload\":{\"query\":\""
                            + runs.replace("\"", "\\\"") + "\"}}");
                }
            }
            await("a deaf client disconnected", () -> fixture.server.webSockets() < 5);
            assertTrue(fixture.server.webSocketCharsWaiting() <= SubscriptionSocket.MAX_WAITING_CHARS + 1_000_000,
                    fixture.server.webSocketCharsWaiting() + " characters waiting");

            reader.subscribe("live", "subscription { windowOf { end } }");
            Map<String, Object> answer = reader.next(Duration.ofSeconds(30));
            assertEquals("live", answer.get("id"), "a client that reads is still served: " + answer);
        } finally {
            deaf.forEach(RawHttp::close);
        }
        await("every connection closed", () -> fixture.server.webSockets() == 0);
        await("nothing left waiting", () -> fixture.server.webSocketCharsWaiting() == 0);
    }
}
