package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every response, whoever writes it (a route, Javalin's own 404 and 405, Jetty refusing a malformed request), carries
 * {@code X-Content-Type-Options: nosniff} and, unless it is one of the dashboard's or explorer's static files,
 * {@code Cache-Control: no-store}; errors are JSON in the API's error shape and never echo the path asked for.
 */
class ResponseHeadersTest {

    /** A path nobody serves, distinctive enough to spot if an answer repeats it. */
    private static final String PROBE = "/probe-c3f1e9-<script>alert(1)</script>";
    private static ServerFixture fixture;
    private static int port;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0).withLimits(4096, ServerOptions.DEFAULT_MAX_QUERY_DEPTH,
                ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY, ServerOptions.DEFAULT_QUERY_TIMEOUT), Authenticator.off());
        port = fixture.server.port();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static RawHttp.Response post(String path, String contentType, String body) {
        List<String> head = new ArrayList<>(List.of("POST " + path + " HTTP/1.1", "Host: 127.0.0.1"));
        if (contentType != null) {
            head.add("Content-Type: " + contentType);
        }
        return RawHttp.exchange(port, head, body);
    }

    private static RawHttp.Response request(String method, String path, String... headers) {
        List<String> head = new ArrayList<>(List.of(method + " " + path + " HTTP/1.1", "Host: 127.0.0.1"));
        head.addAll(List.of(headers));
        return RawHttp.exchange(port, head, null);
    }

    /** Responses of every kind the API and the server's machinery give, by what was asked. */
    private static Map<String, RawHttp.Response> apiResponses() {
        Map<String, RawHttp.Response> responses = new LinkedHashMap<>();
        String query = "{\"query\": \"{ windowOf { end } }\"}";
        responses.put("200 POST /graphql", post("/graphql", "application/json", query));
        responses.put("200 GET /graphql", request("GET", "/graphql?query=%7BwindowOf%7Bend%7D%7D"));
        responses.put("200 /health", request("GET", "/health"));
        responses.put("200 /health/ready", request("GET", "/health/ready"));
        responses.put("200 /metrics", request("GET", "/metrics"));
        responses.put("400 not JSON", post("/graphql", "application/json", "{\"query\": "));
        responses.put("400 GET without query", request("GET", "/graphql"));
        responses.put("404 unknown path", request("GET", PROBE.replace("<", "%3C").replace(">", "%3E")));
        responses.put("404 unknown path, JSON wanted", request("GET", PROBE.replace("<", "%3C").replace(">", "%3E"),
                "Accept: application/json"));
        responses.put("404 unknown path, HTML wanted", request("GET", PROBE.replace("<", "%3C").replace(">", "%3E"),
                "Accept: text/html"));
        responses.put("404 unknown explorer asset", request("GET", "/graphiql/assets/nothing.js"));
        responses.put("404 unknown dashboard asset", request("GET", "/assets/1/nothing.js"));
        try (RawHttp elsewhere = RawHttp.upgrade(port, PROBE.replace("<", "%3C").replace(">", "%3E"),
                "Sec-WebSocket-Protocol: graphql-transport-ws")) {
            responses.put("404 WebSocket elsewhere", elsewhere.response());
        }
        try (RawHttp badOrigin = RawHttp.upgrade(port, "/graphql", "Sec-WebSocket-Protocol: graphql-transport-ws",
                "Origin: https://evil.example")) {
            responses.put("403 WebSocket from another site", badOrigin.response());
        }
        responses.put("405 PUT /graphql", request("PUT", "/graphql"));
        responses.put("405 DELETE /health", request("DELETE", "/health"));
        responses.put("405 subscription over GET",
                request("GET", "/graphql?query=subscription%7BwindowOf%7Bend%7D%7D"));
        responses.put("413 body too large", post("/graphql", "application/json", "{\"query\": \"" + "x".repeat(5000)
                + "\"}"));
        responses.put("415 not JSON", post("/graphql", "text/plain", "{ windowOf { end } }"));
        responses.put("400 malformed header", RawHttp.exchange(port, List.of("GET /health HTTP/1.1",
                "Host: 127.0.0.1", "Bad Header Without Colon"), null));
        responses.put("431 header too large", request("GET", "/health", "X-Big: " + "y".repeat(20_000)));
        responses.put("414 URI too long", request("GET", "/graphql?query=" + "z".repeat(20_000)));
        responses.put("400 bad path", request("GET", "/%"));
        return responses;
    }

    @Test
    void everyApiResponseAndEveryErrorIsNoStoreAndNosniff() {
        Map<String, RawHttp.Response> responses = apiResponses();
        List<String> wrong = new ArrayList<>();
        responses.forEach((what, r) -> {
            if (!what.startsWith(String.valueOf(r.status()))) {
                wrong.add(what + ": status " + r.status());
            }
            if (!"no-store".equals(r.header("cache-control"))) {
                wrong.add(what + ": Cache-Control " + r.header("cache-control"));
            }
            if (!"nosniff".equals(r.header("x-content-type-options"))) {
                wrong.add(what + ": X-Content-Type-Options " + r.header("x-content-type-options"));
            }
        });
        assertEquals(List.of(), wrong, "responses without the headers");
    }

    @Test
    void errorsAreJsonInTheApisShapeAndNeverEchoThePath() {
        List<String> wrong = new ArrayList<>();
        apiResponses().forEach((what, r) -> {
            if (r.status() < 400) {
                return;
            }
            if (r.header("content-type") == null || !r.header("content-type").startsWith("application/json")) {
                wrong.add(what + ": Content-Type " + r.header("content-type"));
            } else if (!(errorMessage(r.body()) instanceof String)) {
                wrong.add(what + ": body " + r);
            }
            if (r.body().contains("probe-c3f1e9") || r.body().contains("nothing.js") || r.body().contains("zzzz")) {
                wrong.add(what + ": echoes the request: " + r.body());
            }
        });
        assertEquals(List.of(), wrong);
    }

    private static Object errorMessage(String body) {
        try {
            Map<?, ?> json = Http.JSON.readValue(body, Map.class);
            return ((Map<?, ?>) ((List<?>) json.get("errors")).get(0)).get("message");
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void staticFilesKeepTheirCachingAndAreNosniff() {
        RawHttp.Response dashboard = request("GET", "/");
        RawHttp.Response explorer = request("GET", "/graphiql");
        RawHttp.Response asset = request("GET", "/graphiql/assets/explorer.js");

        assertEquals("no-cache", dashboard.header("cache-control"));
        assertEquals("no-cache", explorer.header("cache-control"));
        assertEquals("public, max-age=3600", asset.header("cache-control"));
        for (RawHttp.Response r : List.of(dashboard, explorer, asset)) {
            assertEquals(200, r.status());
            assertEquals("nosniff", r.header("x-content-type-options"));
        }
    }

    @Test
    void aHeadOrOptionsRequestIsNoStoreAndNosniffToo() {
        for (RawHttp.Response r : List.of(request("HEAD", "/health"), request("OPTIONS", "/graphql"),
                request("HEAD", PROBE.replace("<", "%3C").replace(">", "%3E")))) {
            assertEquals("no-store", r.header("cache-control"), r.toString());
            assertEquals("nosniff", r.header("x-content-type-options"), r.toString());
            assertFalse(r.body().contains("probe-c3f1e9"), r.body());
        }
        assertTrue(request("HEAD", "/health").status() < 500);
    }
}
