package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket upgrade on {@code /graphql}: only the graphql-transport-ws subprotocol is spoken. */
class WebSocketHandshakeTest {

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

    @Test
    void anUpgradeThatDoesNotOfferGraphqlTransportWsIsRefusedWith400NamingIt() {
        for (List<String> offered : List.of(List.<String>of(), List.of("Sec-WebSocket-Protocol: graphql-ws"),
                List.of("Sec-WebSocket-Protocol: chat, superchat"),
                List.of("Sec-WebSocket-Protocol: GRAPHQL-TRANSPORT-WS"),
                List.of("Sec-WebSocket-Protocol: graphql-transport-ws-v2"), List.of("Sec-WebSocket-Protocol: "),
                List.of("Sec-WebSocket-Protocol: graphql-transport-wsx, graphql"))) {
            try (RawHttp upgrade = RawHttp.upgrade(port, "/graphql", offered.toArray(String[]::new))) {
                RawHttp.Response response = upgrade.response();

                assertEquals(400, response.status(), offered + ": " + response);
                assertTrue(response.body().contains("graphql-transport-ws"), response.body());
                assertTrue(response.body().contains("BAD_REQUEST"), response.body());
            }
        }
    }

    @Test
    void anUpgradeOfferingGraphqlTransportWsAmongOthersIsAnsweredWithThatProtocol() {
        for (List<String> offered : List.of(List.of("Sec-WebSocket-Protocol: graphql-transport-ws"),
                List.of("Sec-WebSocket-Protocol: graphql-ws, graphql-transport-ws"),
                List.of("Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: graphql-transport-ws"))) {
            try (RawHttp upgrade = RawHttp.upgrade(port, "/graphql", offered.toArray(String[]::new))) {
                assertEquals(101, upgrade.handshake().status(), offered.toString());
                assertEquals(List.of("graphql-transport-ws"), upgrade.handshake().all("sec-websocket-protocol"));
                upgrade.sendText("{\"type\":\"connection_init\"}");
                assertEquals(1, upgrade.readFrame().getKey(), "connection_ack");
            }
        }
    }
}
