package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions over graphql-transport-ws, and cache invalidation, against a server that follows a copy of the
 * sample logs to which the tests append lines.
 */
class SubscriptionTest {

    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final AtomicInteger runs = new AtomicInteger();
    private static ServerFixture fixture;
    private static Http http;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(ServerOptions.defaults(0), Authenticator.off());
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Appends a new run of one task start to the followed runner log. */
    private static void appendARun() {
        String run = "appended-run-" + runs.incrementAndGet();
        fixture.appendEvents(List.of(
                "{\"timestamp\": \"2025-10-22T13:50:0" + runs.get() + ".000000+00:00\", \"event\": \"dag_start\", "
                        + "\"dag_name\": \"ops_sync\", \"dag_run_id\": \"" + run + "\", \"tenant\": \"initech\", "
                        + "\"task_count\": 1}",
                "{\"timestamp\": \"2025-10-22T13:50:0" + runs.get() + ".500000+00:00\", \"event\": \"task_start\", "
                        + "\"dag_name\": \"ops_sync\", \"dag_run_id\": \"" + run + "\", \"task_id\": \"fetch\", "
                        + "\"workflow_ref\": \"crm_fetch\"}"));
    }

    private static long started(Map<String, Object> message) {
        Map<?, ?> payload = (Map<?, ?>) message.get("payload");
        assertNull(payload.get("errors"), message.toString());
        return ((Number) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) payload.get("data")).get("taskSummary"))
                .get("allTime")).get("started")).longValue();
    }

    private static Ws connect() {
        Ws ws = new Ws(fixture.server.port());
        ws.init(null);
        assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));
        return ws;
    }

    @Test
    void aSubscriptionGetsAFirstAnswerAtOnceThenANewOneAfterALineIsAppendedAndNoneOnceCompleted() throws Exception {
        try (Ws ws = connect()) {
            ws.subscribe("counts", "subscription Counts { taskSummary { allTime { started } } }");
            Map<String, Object> first = ws.next(Duration.ofSeconds(5));
            assertEquals("next", first.get("type"));
            assertEquals("counts", first.get("id"));
            long before = started(first);
            ws.subscribe("window", "subscription { windowOf { end } }");
            Map<String, Object> window = ws.next(Duration.ofSeconds(5));
            assertEquals("window", window.get("id"));
            assertEquals(Map.of("data", Map.of("windowOf", Map.of("end", "2025-10-22T14:00:00Z"))),
                    window.get("payload"));

            appendARun();

            Map<String, Object> update = ws.next(GENEROUS);
            assertEquals("counts", update.get("id"), "the unchanged window is not sent again: " + update);
            assertEquals(before + 1, started(update));
            assertNull(ws.poll(Duration.ofMillis(1500)), "nothing changed since");

            ws.send(Map.of("id", "counts", "type", "complete"));
            appendARun();
            assertNull(ws.poll(Duration.ofMillis(2500)), "a completed subscription gets no more answers");
        }
    }

    @Test
    void aQuerySentWithSubscribeIsAnsweredOnceAndCompleted() {
        try (Ws ws = connect()) {
            ws.subscribe("q", "{ windowOf { end } }");

            Map<String, Object> next = ws.next(Duration.ofSeconds(5));
            Map<String, Object> complete = ws.next(Duration.ofSeconds(5));

            assertEquals("next", next.get("type"));
            assertEquals(Map.of("data", Map.of("windowOf", Map.of("end", "2025-10-22T14:00:00Z"))), next.get("payload"));
            assertEquals(Map.of("id", "q", "type", "complete"), complete);
        }
    }

    @Test
    void theProtocolsRulesAreKeptPingsPongedInvalidDocumentsAnsweredWithErrorsAndViolationsClosed() throws Exception {
        try (Ws ws = connect()) {
            ws.send(Map.of("type", "ping"));
            assertEquals("pong", ws.next(Duration.ofSeconds(5)).get("type"));

            ws.subscribe("bad", "subscription { nosuchfield }");
            Map<String, Object> error = ws.next(Duration.ofSeconds(5));
            assertEquals("error", error.get("type"));
            assertEquals("bad", error.get("id"));
            assertTrue(error.get("payload").toString().contains("nosuchfield"), error.toString());

            ws.subscribe("dup", "subscription { windowOf { end } }");
            assertEquals("next", ws.next(Duration.ofSeconds(5)).get("type"));
            ws.subscribe("dup", "subscription { windowOf { end } }");
            assertEquals(4409, ws.awaitClose(Duration.ofSeconds(5)));
        }
        try (Ws ws = connect()) {
            ws.init(null);
            assertEquals(4429, ws.awaitClose(Duration.ofSeconds(5)));
        }
        try (Ws ws = connect()) {
            ws.send(Map.of("type", "no_such_message"));
            assertEquals(4400, ws.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aRepeatedQueryIsACacheHitUntilNewEventsArriveAndThenItsAnswerChanges() throws Exception {
        String query = "{ taskSummary { allTime { started } } }";
        String first = http.graphql(query, null).body();
        long hits = counter("dagscope_result_cache_hits_total");
        assertEquals(first, http.graphql(query, null).body());
        assertEquals(hits + 1, counter("dagscope_result_cache_hits_total"));
        long misses = counter("dagscope_result_cache_misses_total");

        appendARun();

        String changed = first;
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (changed.equals(first) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            changed = http.graphql(query, null).body();
        }
        assertNotEquals(first, changed, "the new event reached the answer");
        assertTrue(counter("dagscope_result_cache_misses_total") > misses, "the new version missed the cache");
    }

    @Test
    void idsAndAnswersThatNeedEscapingArriveIntact() throws Exception {
        String weird = "we\"ird\\ dag\n\t\u2603 \uD83D\uDE00 \u2028</script>\u0007";
        String run = "escaping-run-" + runs.incrementAndGet();
        fixture.appendEvents(List.of(Http.JSON.writeValueAsString(Map.of("timestamp",
                "2025-10-22T13:51:00.000000+00:00", "event", "dag_start", "dag_name", weird, "dag_run_id", run,
                "tenant", "initech", "task_count", 1))));
        String query = "query Weird($d: String) { dagRuns(filter: {dagName: $d}) { edges { node { id dagName } } } }";
        Map<String, Object> variables = Map.of("d", weird);
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!http.graphql(query, variables, null, null).body().contains(run)) {
            assertTrue(System.nanoTime() < deadline, "the appended run was read");
            Thread.sleep(100);
        }
        String id = "id \"quoted\" \\ back\nline \u2603 \uD83D\uDE00 \u2028";
        try (Ws ws = connect()) {
            ws.send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", query, "variables",
                    variables)));
            Map<String, Object> next = ws.next(Duration.ofSeconds(5));
            Map<String, Object> complete = ws.next(Duration.ofSeconds(5));

            assertEquals("next", next.get("type"), next.toString());
            assertEquals(id, next.get("id"));
            assertEquals(Map.of("data", Map.of("dagRuns", Map.of("edges", List.of(Map.of("node", Map.of("id", run,
                    "dagName", weird)))))), next.get("payload"));
            assertEquals(Map.of("id", id, "type", "complete"), complete);

            ws.send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", "{ \"un\u2603terminated")));
            Map<String, Object> error = ws.next(Duration.ofSeconds(5));
            assertEquals("error", error.get("type"), error.toString());
            assertEquals(id, error.get("id"));
        }
    }

    private static long counter(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)(?:\\.0)?$").matcher(http.get("/metrics").body());
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }
}
