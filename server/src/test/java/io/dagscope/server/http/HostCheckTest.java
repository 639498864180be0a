package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a page on a name its author controls can point that name at 127.0.0.1 and read the server as its own
 * origin, but the browser still sends the page's name as {@code Host}. The server answers only the hosts it is
 * reachable as (loopback names, IP literals, the names given with {@code --allowed-host}) and refuses any other
 * before doing anything else, over HTTP and for the WebSocket upgrade alike.
 */
class HostCheckTest {

    private static ServerFixture local;
    private static ServerFixture named;

    @BeforeAll
    static void start() {
        local = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
        named = new ServerFixture(ServerOptions.defaults(0).withAllowedHosts(List.of("dagscope.example.com",
                ".corp.example")), Authenticator.off());
    }

    @AfterAll
    static void stop() {
        local.close();
        named.close();
    }

    static final List<String> LOOPBACK_AND_LITERALS = List.of("localhost", "localhost:8080", "LOCALHOST",
            "localhost.", "app.localhost", "a.b.localhost:5173", "127.0.0.1", "127.0.0.1:8080", "[::1]",
            "[::1]:8080", "10.1.2.3", "192.168.0.7:80", "0.0.0.0:8080", "[2001:db8::1]", "[::ffff:127.0.0.1]:1");

    /** Names a rebinding page could use, and numbers that are not IP literals as browsers write them. */
    static final List<String> FOREIGN = List.of("evil.example", "evil.example:8080", "EVIL.example",
            "localhost.evil.example", "localhost.evil.example:8080", "127.0.0.1.nip.io", "127.0.0.1.evil.example",
            "localhost-evil.example", "evillocalhost", "2130706433", "0x7f000001", "127.1", "127.0.0.01",
            "127.0.0.256", "1.2.3.4.5", "dagscope.example.com", "corp.example", "a.corp.example", "xn--lcalhost-9za");

    /** Host headers that are not a host: refused, by Jetty (400) or by the check (421). */
    static final List<String> MALFORMED = List.of("[::1].evil.example", "[::1", "::1", "[localhost]", "[::1]:http",
            "[fe80::1%25eth0]", "localhost:99999", "localhost:8080:80", "local host", "localhost\\@evil.example",
            "evil.example/x", "", " ");

    private static RawHttp.Response get(ServerFixture fixture, String path, String host) {
        return RawHttp.get(fixture.server.port(), path, "Host: " + host);
    }

    private static Http.Response asHttp(RawHttp.Response r) {
        Map<String, List<String>> headers = new TreeMap<>();
        r.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
        return new Http.Response(r.status(), HttpHeaders.of(headers, (a, b) -> true), r.body());
    }

    @Test
    void loopbackNamesAndIpLiteralsAreAnswered() {
        for (String host : LOOPBACK_AND_LITERALS) {
            RawHttp.Response response = get(local, "/graphql?query=%7BwindowOf%7Bend%7D%7D", host);

            assertEquals(200, response.status(), host + ": " + response.body());
        }
    }

    @Test
    void anyOtherHostIsRefusedWith421AndAJsonErrorNamingTheFlagOnEveryPath() {
        for (String host : FOREIGN) {
            for (String path : List.of("/graphql?query=%7BwindowOf%7Bend%7D%7D", "/", "/graphiql", "/health",
                    "/health/ready", "/metrics", "/nowhere")) {
                RawHttp.Response response = get(local, path, host);

                assertEquals(421, response.status(), "'" + host + "' " + path + ": " + response.body());
                Http.Response json = asHttp(response);
                assertEquals("MISDIRECTED_REQUEST", classification(json));
                assertTrue(message(json).contains("--allowed-host"), message(json));
                assertEquals("no-store", response.header("cache-control"));
                assertEquals("nosniff", response.header("x-content-type-options"));
                assertFalse(response.body().contains("evil"), "the host is not repeated: " + response.body());
            }
        }
    }

    @Test
    void aHostHeaderThatIsNotAHostIsRefused() {
        for (String host : MALFORMED) {
            RawHttp.Response response = get(local, "/graphql?query=%7BwindowOf%7Bend%7D%7D", host);

            assertTrue(response.status() == 400 || response.status() == 421, "'" + host + "': " + response);
            assertEquals("no-store", response.header("cache-control"));
            assertFalse(response.body().contains("evil"), "the host is not repeated: " + response.body());
        }
    }

    @Test
    void aPostAndAWebSocketUpgradeWithAForeignHostAreRefusedBeforeAnyOtherCheck() {
        int port = local.server.port();
        RawHttp.Response post = RawHttp.exchange(port, List.of("POST /graphql HTTP/1.1", "Host: evil.example:" + port,
                "Content-Type: application/json"), "{\"query\": \"{ windowOf { end } }\"}");
        assertEquals(421, post.status(), post.body());
        for (List<String> headers : List.of(List.of("Host: evil.example:" + port),
                List.of("Host: evil.example:" + port, "Origin: http://evil.example:" + port),
                List.of("Host: evil.example", "Origin: https://elsewhere.example"))) {
            List<String> all = new ArrayList<>(headers);
            all.add("Sec-WebSocket-Protocol: graphql-transport-ws");
            try (RawHttp upgrade = RawHttp.upgrade(port, "/graphql", all.toArray(String[]::new))) {
                assertEquals(421, upgrade.handshake().status(), headers.toString());
                assertTrue(upgrade.response().body().contains("--allowed-host"));
            }
        }
        String metrics = local.http.get("/metrics").body();
        assertFalse(metrics.contains("transport=\"websocket\""), "no refused request reached GraphQL: " + metrics);
    }

    @Test
    void anAbsoluteRequestTargetNamingAForeignHostIsRefusedToo() {
        RawHttp.Response same = RawHttp.exchange(local.server.port(), List.of(
                "GET http://evil.example/graphql?query=%7BwindowOf%7Bend%7D%7D HTTP/1.1", "Host: evil.example"), null);
        RawHttp.Response behindLocalhost = RawHttp.exchange(local.server.port(), List.of(
                "GET http://evil.example/graphql?query=%7BwindowOf%7Bend%7D%7D HTTP/1.1", "Host: localhost"), null);
        RawHttp.Response local10 = RawHttp.exchange(local.server.port(), List.of(
                "GET http://evil.example/graphql?query=%7BwindowOf%7Bend%7D%7D HTTP/1.0"), null);

        assertEquals(421, same.status(), same.body());
        assertTrue(behindLocalhost.status() == 400 || behindLocalhost.status() == 421, behindLocalhost.toString());
        assertEquals(421, local10.status(), local10.body());
    }

    @Test
    void theNamesGivenWithAllowedHostAreAnsweredBesideLoopbackAndSuffixesCoverSubdomains() {
        for (String host : List.of("dagscope.example.com", "DAGSCOPE.example.com:443", "dagscope.example.com.",
                "corp.example", "a.corp.example", "a.b.corp.example:8443", "localhost", "127.0.0.1", "[::1]:1")) {
            assertEquals(200, get(named, "/health", host).status(), host);
        }
        for (String host : List.of("example.com", "evil-dagscope.example.com", "dagscope.example.com.evil",
                "x.dagscope.example.com", "corp.example.evil", "acorp.example", "evil.example")) {
            assertEquals(421, get(named, "/health", host).status(), host);
        }
    }

    @Test
    void aRequestWithoutHostFromAnHttp10ClientIsAnswered() {
        RawHttp.Response response = RawHttp.exchange(local.server.port(), List.of("GET /health HTTP/1.0"), null);

        assertEquals(200, response.status(), response.body());
    }
}
