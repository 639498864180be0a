package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A document under the field limit that asks for large lists is refused before it runs, by its estimated cost; an
 * answer larger than the response limit is replaced by an error, its execution stopped early.
 */
class CostLimitTest {

    private static final long MAX_RESPONSE = 60_000;
    private static final String PAGE = "dagRuns(first: 1000) { edges { cursor node { id dagName tenant status "
            + "startedAt endedAt durationSeconds error tasks { taskId status durationSeconds attempts error retries "
            + "{ at attempt error } } } } }";
    private static ServerFixture fixture;
    private static Http http;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0).withFairShare(new FairShare(
                FairShare.DEFAULT_MAX_QUERY_COST, MAX_RESPONSE, 4, 16, 1_000_000_000L, 1_000_000_000L, false)),
                Authenticator.off());
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String aliases(int n, String selection) {
        return IntStream.range(0, n).mapToObj(i -> "a" + i + ": " + selection).collect(Collectors.joining(" "));
    }

    @Test
    void aDocumentUnderTheFieldLimitThatAsksForLargeListsIsRefusedWithItsCostTheLimitAndWhatDrivesIt() {
        String query = "{ " + aliases(10, PAGE) + " }"; // 240 fields, under the 1000 allowed

        Http.Response response = http.graphql(query, null);

        assertEquals(200, response.status());
        assertNull(response.json().get("data"), "nothing ran");
        assertEquals("QUERY_TOO_COSTLY", classification(response));
        String message = message(response);
        assertTrue(message.contains("estimated cost is ") && message.contains("at most 1,000,000")
                && message.contains("--max-query-cost"), message);
        assertTrue(message.contains("a0 (first: 1000, ×1000) 532,000 (and 9 more like it)")
                && message.contains("a0.edges.node.tasks (a list without a size argument, ×20)"), message);
        assertTrue(message.contains("smaller first"), message);
    }

    @Test
    void theCostCountsVariablesFragmentsAndGetRequestsAlike() {
        String query = "query Q($n: Int) { ...Pages } fragment Pages on Query { " + aliases(3, PAGE.replace(
                "first: 1000", "first: $n")) + " }";

        Http.Response big = http.graphql(query, Map.of("n", 1000), null, null);
        Http.Response small = http.graphql(query, Map.of("n", 2), null, null);
        Http.Response viaGet = http.graphqlGet(query, "{\"n\": 1000}", null, null);

        assertEquals("QUERY_TOO_COSTLY", classification(big), big.body());
        assertNull(small.json().get("errors"), small.body());
        assertNotNull(small.json().get("data"));
        assertEquals("QUERY_TOO_COSTLY", classification(viaGet), viaGet.body());
    }

    @Test
    void aSeriesOfTooManyBucketsTimesManyAliasesIsRefused() {
        String series = "taskSeries(window: {hours: 16000}, bucketMinutes: 960) { buckets { start end runsStarted "
                + "stats { succeeded failed retried errorRate p50DurationSeconds p95DurationSeconds } } }";

        Http.Response response = http.graphql("{ " + aliases(25, series) + " }", null);

        assertEquals("QUERY_TOO_COSTLY", classification(response), response.body());
        assertTrue(message(response).contains("bucketMinutes: 960 over 960000 minutes, ×1000 buckets of 100"),
                message(response));
    }

    @Test
    void anExpensiveSubscriptionOrQueryOverWebSocketIsRefusedForItsId() throws Exception {
        try (Ws ws = new Ws(fixture.server.port())) {
            ws.init(null);
            assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));

            String tasks = "tasks { taskId status durationSeconds attempts error retries { at attempt error } }";
            ws.subscribe("big", "subscription { dagRuns(first: 1000) { edges { node { " + aliases(3, tasks)
                    + " } } } }");
            Map<String, Object> subscription = ws.next(Duration.ofSeconds(10));
            ws.subscribe("many", "{ " + aliases(10, PAGE) + " }");
            Map<String, Object> query = ws.next(Duration.ofSeconds(10));

            assertEquals("big", subscription.get("id"));
            assertEquals("error", subscription.get("type"), subscription.toString());
            assertTrue(String.valueOf(subscription.get("payload")).contains("QUERY_TOO_COSTLY"),
                    subscription.toString());
            assertEquals("many", query.get("id"));
            assertEquals("error", query.get("type"), query.toString());
            assertTrue(String.valueOf(query.get("payload")).contains("QUERY_TOO_COSTLY"), query.toString());
        }
    }

    @Test
    void anAnswerLargerThanTheResponseLimitIsAClearErrorAndItsExecutionStopsEarly() {
        Http.Response response = http.graphql("{ dagRuns(first: 1000) { edges { node { id dagName tenant status "
                + "startedAt error } } } }", null);

        assertEquals(200, response.status());
        assertNull(response.json().get("data"));
        assertEquals("RESPONSE_TOO_LARGE", classification(response));
        String message = message(response);
        assertTrue(message.contains("grew past " + MAX_RESPONSE + " bytes") && message.contains("was stopped")
                && message.contains("--max-response-bytes"), message);
        assertTrue(response.body().length() < 2_000, "an error, not the answer cut short");
    }

    @Test
    void anAnswerJustUnderTheLimitIsSentWhole() {
        Http.Response response = http.graphql("{ dagRuns(first: 100) { edges { node { id } } } }", null);

        assertNull(response.json().get("errors"), response.body());
        assertEquals(100, ((List<?>) ((Map<?, ?>) ((Map<?, ?>) response.json().get("data")).get("dagRuns"))
                .get("edges")).size());
    }
}
