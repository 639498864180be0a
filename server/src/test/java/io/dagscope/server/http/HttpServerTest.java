package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.in.TenantScope;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server without authentication, over the real sample logs, through real HTTP and WebSocket clients. */
class HttpServerTest {

    static final String DASHBOARD = "https://dash.example.com";
    private static ServerFixture fixture;
    private static Http http;

    @BeforeAll
    static void start() {
        ServerOptions options = ServerOptions.defaults(0).withCorsOrigins(List.of(DASHBOARD))
                .withLimits(64 * 1024, ServerOptions.DEFAULT_MAX_QUERY_DEPTH,
                        ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY, ServerOptions.DEFAULT_QUERY_TIMEOUT);
        fixture = new ServerFixture(options, Authenticator.off());
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Documents that between them use every root field, with and without variables. */
    static final List<String> DOCUMENTS = List.of(
            "{ taskSummary { windowStart windowEnd allTime { started succeeded failed retried errorRate "
                    + "avgDurationSeconds p50DurationSeconds p95DurationSeconds p99DurationSeconds durations } "
                    + "window { started failed errorRate p95DurationSeconds } } }",
            "{ taskSummary(window: {hours: 6, end: \"2025-10-21T12:00:00Z\"}, tenant: \"acme-corp\") "
                    + "{ window { started succeeded failed } } }",
            "{ dagRuns(first: 50, filter: {statuses: [FAILED]}) { totalCount pageInfo { hasNextPage endCursor } "
                    + "edges { cursor node { id dagName tenant status startedAt endedAt durationSeconds taskCount "
                    + "tasksSucceeded tasksFailed tasksRetried error lastEventAt inferred "
                    + "tasks { taskId status startedAt endedAt durationSeconds attempts error checkpoint } } } } }",
            "{ tenantLoad { tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds } }",
            "{ schedules { id tenant dagPath cron enabled lastRunAt lastStatus nextRunAt missedRuns enqueued started "
                    + "finished succeeded failed retried avgDurationSeconds firstEventAt error } }",
            "{ sources { name kind location eventsRead linesSkipped ignored firstEventAt lastEventAt healthy error "
                    + "skippedByReason { reason count } lagObjects } }",
            "{ windowOf { start end hours } w: windowOf(window: {hours: 1.5}) { start end hours } }");

    @Test
    void postAndGetAnswerWithTheSameDataAsTheInProcessApiForEveryRootField() {
        for (String document : DOCUMENTS) {
            Object expected = Http.viaJson(fixture.app.api().execute(document, null, null, TenantScope.ALL)
                    .get("data"));

            Http.Response post = http.graphql(document, null);
            Http.Response get = http.graphqlGet(document, null, null, null);

            assertEquals(200, post.status(), post.body());
            assertEquals(200, get.status(), get.body());
            assertNull(post.json().get("errors"), post.body());
            assertEquals(expected, post.json().get("data"), document);
            assertEquals(expected, get.json().get("data"), document);
            assertTrue(post.header("Content-Type").startsWith("application/json"));
            assertEquals("no-store", post.header("Cache-Control"));
        }
        Http.Response dagRun = http.graphql("{ dagRuns(first: 1) { edges { node { id } } } }", null);
        String id = (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) dagRun.json()
                .get("data")).get("dagRuns")).get("edges")).get(0)).get("node")).get("id");
        String byId = "query One($id: ID!) { dagRun(id: $id) { id tenant status tasks { taskId } } }";
        Object expected = Http.viaJson(fixture.app.api().execute(byId, Map.of("id", id), "One", TenantScope.ALL)
                .get("data"));
        assertEquals(expected, http.graphql(byId, Map.of("id", id), "One", null).json().get("data"));
        assertEquals(expected, http.graphqlGet(byId, "{\"id\": \"" + id + "\"}", "One", null).json().get("data"));
    }

    @Test
    void getRefusesSubscriptionsWith405AndPostAnswersThemWithAnErrorPointingToTheWebSocket() {
        String subscription = "subscription { windowOf { end } }";

        Http.Response get = http.graphqlGet(subscription, null, null, null);
        Http.Response post = http.graphql(subscription, null);

        assertEquals(405, get.status());
        assertEquals("POST", get.header("Allow"));
        assertEquals(200, post.status());
        String message = (String) ((Map<?, ?>) ((List<?>) post.json().get("errors")).get(0)).get("message");
        assertTrue(message.contains("WebSocket") && message.contains("graphql-transport-ws"), message);
        assertNull(post.json().get("data"));
    }

    @Test
    void malformedRequestsGetA4xxWithAJsonErrorThatSaysWhatIsExpected() {
        Http.Response notJson = http.postJson("{\"query\": ");
        Http.Response noQuery = http.postJson("{\"variables\": {}}");
        Http.Response badVariables = http.postJson("{\"query\": \"{ windowOf { end } }\", \"variables\": [1]}");
        Http.Response wrongType = http.send(HttpRequest.newBuilder(http.uri("/graphql"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{ windowOf { end } }")));
        Http.Response getWithoutQuery = http.get("/graphql");

        assertEquals(400, notJson.status());
        assertTrue(message(notJson).startsWith("The body is not valid JSON"), notJson.body());
        assertEquals(400, noQuery.status());
        assertTrue(message(noQuery).contains("\"query\""), noQuery.body());
        assertEquals(400, badVariables.status());
        assertTrue(message(badVariables).contains("variables"), badVariables.body());
        assertEquals(415, wrongType.status());
        assertTrue(message(wrongType).contains("application/json"), wrongType.body());
        assertEquals(400, getWithoutQuery.status());
        assertTrue(message(getWithoutQuery).contains("?query="), getWithoutQuery.body());
    }

    @Test
    void aBodyOverTheLimitGets413WithAJsonErrorNamingTheLimitAndTheFlag() {
        String padding = " ".repeat(70 * 1024);
        Http.Response response = http.postJson("{\"query\": \"{ windowOf { end } }" + padding + "\"}");

        assertEquals(413, response.status());
        assertTrue(message(response).contains("65536 bytes") && message(response).contains("--max-body-bytes"),
                response.body());
        assertEquals("PAYLOAD_TOO_LARGE", classification(response));
    }

    @Test
    void theExplorerPageAndEveryAssetItLinksLoadFromThisServerWithoutAnyExternalUrl() {
        Http.Response page = http.get("/graphiql");

        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'none'"));
        Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> assets = new ArrayList<>();
        while (links.find()) {
            assets.add(links.group(1));
        }
        assertEquals(7, assets.size(), "react, react-dom, graphiql, its css, explorer.js, explorer.css and the icon: "
                + assets);
        for (String asset : assets) {
            assertFalse(asset.contains("//") || asset.startsWith("/"), "a relative link to this server: " + asset);
            Http.Response loaded = http.get("/" + asset);
            assertEquals(200, loaded.status(), asset);
            assertTrue(loaded.body().length() > 100, asset);
            if (asset.endsWith(".svg")) {
                assertEquals("image/svg+xml", loaded.header("Content-Type"), asset);
            }
            if (asset.endsWith(".css")) {
                assertFalse(Pattern.compile("url\\(\\s*['\"]?(https?:)?//").matcher(loaded.body()).find(), asset);
                assertFalse(loaded.body().contains("@import"), asset);
            }
        }
        assertFalse(Pattern.compile("https?://").matcher(page.body()).find(), "no URL in the page");
        assertFalse(Pattern.compile("https?://").matcher(http.get("/graphiql/assets/explorer.js").body()).find());
        assertEquals(404, http.get("/graphiql/assets/..%2F..%2Fschema.graphqls").status());
        assertEquals(404, http.get("/graphiql/assets/nothing.js").status());
    }

    @Test
    void livenessIsUpAndReadinessListsEachSourceWithoutItsLocation() {
        Http.Response live = http.get("/health");
        Http.Response ready = http.get("/health/ready");

        assertEquals(200, live.status());
        assertEquals(Map.of("status", "UP"), live.json());
        assertEquals(200, ready.status());
        assertEquals("UP", ready.json().get("status"));
        List<?> sources = (List<?>) ready.json().get("sources");
        assertEquals(2, sources.size());
        Map<?, ?> events = (Map<?, ?>) sources.get(0);
        assertEquals("events", events.get("name"));
        assertEquals("jsonl", events.get("kind"));
        assertEquals(true, events.get("healthy"));
        assertNull(events.get("error"));
        assertTrue(((Number) events.get("eventsRead")).longValue() >= 13_137);
        assertFalse(ready.body().contains(fixture.dir.toString()), "no location");
    }

    @Test
    void metricsCountOperationsByNameAndShowEventsSkipsAndSourceHealthInThePrometheusTextFormat() {
        http.graphql("query DashboardKpis { taskSummary { allTime { started } } }", null);
        http.graphql("query DashboardKpis { taskSummary { allTime { started } } }", null);

        Http.Response metrics = http.get("/metrics");

        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        String body = metrics.body();
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})?"
                + " (-?[0-9.]+(E-?[0-9]+)?|NaN|\\+Inf|-Inf)");
        for (String line : body.split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || sample.matcher(line).matches(),
                    "not in the exposition format: " + line);
        }
        // the library writes labels in name order
        assertTrue(body.contains("dagscope_graphql_requests_total{operation=\"DashboardKpis\",outcome=\"ok\","
                + "transport=\"http\"} "), body);
        assertTrue(body.contains("dagscope_graphql_request_duration_seconds_bucket{operation=\"DashboardKpis\","
                + "le=\"+Inf\"} "), body);
        assertTrue(body.contains("dagscope_graphql_request_duration_seconds_count{operation=\"DashboardKpis\"} "));
        assertTrue(body.contains("dagscope_source_events_read_total{source=\"events\"} 13137"), body);
        assertTrue(body.contains("dagscope_source_events_read_total{source=\"state\"} 3720"), body);
        assertTrue(body.contains("dagscope_source_healthy{source=\"events\"} 1"));
        assertTrue(body.contains("dagscope_sources_healthy 2"));
        // the library leaves out a family with no series: the samples skip no line (PoisonValuesTest checks that type)
        assertTrue(body.contains("# TYPE dagscope_source_events_read_total counter"));
        assertTrue(Pattern.compile("dagscope_events_ingested_total (\\d+)").matcher(body).find());
        // the engine's own figures: the samples span three days, so the oldest is sealed
        java.util.regex.Matcher kept = Pattern.compile("dagscope_engine_runs_kept (\\d+)").matcher(body);
        assertTrue(kept.find() && Long.parseLong(kept.group(1)) > 0, body);
        java.util.regex.Matcher cells = Pattern.compile("dagscope_engine_aggregate_cells (\\d+)").matcher(body);
        java.util.regex.Matcher sealed = Pattern.compile("dagscope_engine_aggregate_cells_sealed (\\d+)")
                .matcher(body);
        assertTrue(cells.find() && sealed.find(), body);
        long sealedCells = Long.parseLong(sealed.group(1));
        assertTrue(sealedCells > 0 && sealedCells < Long.parseLong(cells.group(1)), body);
        assertTrue(body.contains("# TYPE dagscope_engine_runs_dropped_total counter"), body);
        assertTrue(Pattern.compile("dagscope_engine_sealed_bytes [1-9]\\d*").matcher(body).find(), body);
        // the sealed days live in the history store: memory-mapped files by default
        assertTrue(Pattern.compile("dagscope_history_bytes\\{part=\"blocks\",store=\"files\"} [1-9]\\d*")
                .matcher(body).find(), body);
        assertTrue(body.contains("dagscope_http_responses_total{route=\"/graphql\",status=\"200\"} "), body);
    }

    @Test
    void aRepeatedQueryIsAnsweredFromTheCache() {
        String query = "query CacheProbe { tenantLoad { tenant runs } }";
        http.graphql(query, null);
        long hits = counter("dagscope_result_cache_hits_total");
        long misses = counter("dagscope_result_cache_misses_total");

        Http.Response again = http.graphql(query, null);

        assertEquals(200, again.status());
        assertEquals(hits + 1, counter("dagscope_result_cache_hits_total"));
        assertEquals(misses, counter("dagscope_result_cache_misses_total"));
    }

    @Test
    void corsHeadersAreSentToTheListedOriginOnlyAndPreflightsAreAnswered() {
        Http.Response listed = http.send(HttpRequest.newBuilder(http.uri("/graphql?query=%7BwindowOf%7Bend%7D%7D"))
                .header("Origin", DASHBOARD).GET());
        Http.Response other = http.send(HttpRequest.newBuilder(http.uri("/graphql?query=%7BwindowOf%7Bend%7D%7D"))
                .header("Origin", "https://evil.example").GET());
        Http.Response preflight = http.send(HttpRequest.newBuilder(http.uri("/graphql")).header("Origin", DASHBOARD)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        Http.Response otherPreflight = http.send(HttpRequest.newBuilder(http.uri("/graphql"))
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertEquals(DASHBOARD, listed.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", listed.header("Vary"));
        assertNull(other.header("Access-Control-Allow-Origin"));
        assertEquals(204, preflight.status());
        assertEquals(DASHBOARD, preflight.header("Access-Control-Allow-Origin"));
        assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
        assertTrue(preflight.header("Access-Control-Allow-Methods").contains("POST"));
        assertNull(otherPreflight.header("Access-Control-Allow-Origin"));
    }

    @Test
    void aWebSocketIsAcceptedFromTheListedOriginAndFromNonBrowsersButNotFromOtherSites() throws Exception {
        try (Ws fromDashboard = new Ws(fixture.server.port(), DASHBOARD); Ws noOrigin = new Ws(fixture.server.port())) {
            assertEquals("graphql-transport-ws", fromDashboard.subprotocol());
            noOrigin.init(null);
            assertEquals("connection_ack", noOrigin.next(Duration.ofSeconds(5)).get("type"));
        }
        CompletionException refused = assertThrows(CompletionException.class,
                () -> new Ws(fixture.server.port(), "https://evil.example"));
        assertNotNull(refused.getCause());
    }

    private static long counter(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)(?:\\.0)?$").matcher(http.get("/metrics").body());
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    static String message(Http.Response response) {
        return (String) ((Map<?, ?>) ((List<?>) response.json().get("errors")).get(0)).get("message");
    }

    static String classification(Http.Response response) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) response.json().get("errors")).get(0))
                .get("extensions")).get("classification");
    }
}
