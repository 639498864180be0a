package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing a caller sends leaves an HTTP session behind: the server keeps none, so repeated handshakes of every kind
 * (accepted, refused for their origin or subprotocol, without a token, never initialised, to a path with no socket)
 * and plain requests neither create one nor set a cookie.
 */
class NoSessionsTest {

    private static final int ROUNDS = 25;
    private static final String PROTOCOL = "Sec-WebSocket-Protocol: graphql-transport-ws";
    private static final String TOKEN = "no-sessions-token-51c0e2";
    private static ServerFixture open;
    private static ServerFixture authenticated;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws IOException {
        open = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
        tokenFile = Files.createTempFile("dagscope-tokens", ".yaml");
        Files.writeString(tokenFile, "- name: ops\n  token_sha256: " + Authenticator.sha256Hex(TOKEN)
                + "\n  admin: true\n");
        authenticated = new ServerFixture(ServerOptions.defaults(0), Authenticator.fromFile(tokenFile));
    }

    @AfterAll
    static void stop() throws IOException {
        open.close();
        authenticated.close();
        Files.deleteIfExists(tokenFile);
    }

    @Test
    void handshakesOfEveryKindLeaveNoSessionAndSetNoCookie() {
        for (ServerFixture fixture : List.of(open, authenticated)) {
            int port = fixture.server.port();
            List<RawHttp.Response> responses = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                try (RawHttp accepted = RawHttp.upgrade(port, "/graphql", PROTOCOL)) {
                    assertEquals(101, accepted.handshake().status());
                    responses.add(accepted.handshake());
                    accepted.sendText("{\"type\":\"connection_init\",\"payload\":{\"token\":\"" + TOKEN + "\"}}");
                    assertEquals(1, accepted.readFrame().getKey(), "connection_ack");
                }
                try (RawHttp noToken = RawHttp.upgrade(port, "/graphql", PROTOCOL)) {
                    responses.add(noToken.handshake());
                    noToken.sendText("{\"type\":\"connection_init\"}");
                    if (fixture == authenticated) {
                        assertEquals(4401, noToken.awaitCloseCode());
                    }
                }
                try (RawHttp neverInitialised = RawHttp.upgrade(port, "/graphql", PROTOCOL)) {
                    responses.add(neverInitialised.handshake());
                }
                try (RawHttp badOrigin = RawHttp.upgrade(port, "/graphql", PROTOCOL,
                        "Origin: https://evil.example")) {
                    assertEquals(403, badOrigin.handshake().status());
                    responses.add(badOrigin.handshake());
                }
                try (RawHttp badProtocol = RawHttp.upgrade(port, "/graphql", "Sec-WebSocket-Protocol: graphql-ws")) {
                    responses.add(badProtocol.handshake());
                }
                try (RawHttp noProtocol = RawHttp.upgrade(port, "/graphql")) {
                    responses.add(noProtocol.handshake());
                }
                try (RawHttp withCookie = RawHttp.upgrade(port, "/graphql", PROTOCOL,
                        "Cookie: JSESSIONID=node0forged" + i + ".node0")) {
                    assertEquals(101, withCookie.handshake().status());
                    responses.add(withCookie.handshake());
                }
                responses.add(RawHttp.get(port, "/health", "Host: 127.0.0.1", "Cookie: JSESSIONID=node0forged" + i));
                responses.add(RawHttp.get(port, "/nowhere", "Host: 127.0.0.1", "Sec-WebSocket-Version: 13",
                        "Upgrade: websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
                responses.add(RawHttp.get(port, "/health", "Host: 127.0.0.1"));
                responses.add(RawHttp.get(port, "/graphql?query=%7BwindowOf%7Bend%7D%7D", "Host: 127.0.0.1"));
            }
            assertEquals(0, fixture.server.sessionsCreated(), "sessions created");
            for (RawHttp.Response response : responses) {
                assertTrue(response.all("set-cookie").isEmpty(), "a cookie: " + response);
            }
        }
    }
}
