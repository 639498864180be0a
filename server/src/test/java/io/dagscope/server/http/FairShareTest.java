package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.graphql.GraphQlApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callers share the server fairly: each has a concurrency and a rate budget (HTTP 429 with an honest Retry-After when
 * spent, an {@code error} message over WebSocket), and a free thread serves the caller served least recently, so one
 * caller's queue never delays another's query. Time is a test clock moved by hand; nothing waits on wall time.
 */
class FairShareTest {

    private static final String ABUSER = "abuser-token-0a1b2c3d4e5f";
    private static final String VICTIM = "victim-token-5f4e3d2c1b0a";
    private static final String SPENDER = "spender-token-1234567890";
    private static final String BURNER = "burner-token-0987654321";
    private static final String SOCKET = "socket-token-abcdefabcdef";
    private static final String SUBSCRIBER = "subscriber-token-fedcba9876";

    /** Executions of {@code taskSummary(tenant: "hold-...")}, in the order they started. */
    private static final List<String> started = new CopyOnWriteArrayList<>();
    /** Each holding execution takes a permit before it returns. */
    private static final Semaphore permits = new Semaphore(0);
    /** The clock the rate budgets refill by, in nanoseconds. */
    private static final AtomicLong clock = new AtomicLong();
    /** The executions' CPU time, in nanoseconds: {@code tenant: "burn"} spends five seconds of it. */
    private static final AtomicLong cpu = new AtomicLong();

    private static Path tokens;
    private static ServerFixture budgets;
    private static ServerFixture oneThread;
    private static final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fair-share-test-client");
        t.setDaemon(true);
        return t;
    });

    /** The engine's task summary, except for tenants "hold-..." (waits for a permit) and "burn" (spends CPU). */
    private record ControlledSummaries(AnalyticsEngine engine) implements TaskSummaryQuery {
        @Override
        public TaskSummary taskSummary(Request request) {
            String tenant = request.tenant().orElse("");
            if (tenant.startsWith("hold-")) {
                started.add(tenant);
                permits.acquireUninterruptibly();
            } else if (tenant.equals("burn")) {
                cpu.addAndGet(TimeUnit.SECONDS.toNanos(5));
            }
            return engine.taskSummary(request);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        tokens = Files.createTempFile("dagscope-fair-share-tokens", ".yaml");
        StringBuilder file = new StringBuilder();
        for (String[] t : new String[][] {{"abuser", ABUSER}, {"victim", VICTIM}, {"spender", SPENDER},
            {"burner", BURNER}, {"socket", SOCKET}, {"subscriber", SUBSCRIBER}}) {
            file.append("- name: ").append(t[0]).append("\n  token_sha256: ").append(Authenticator.sha256Hex(t[1]))
                    .append("\n  admin: true\n");
        }
        Files.writeString(tokens, file);
        // two threads, so each caller runs at most one execution at once; two running or waiting per caller; a
        // rate budget of 1,000 that refills at 100 a second
        budgets = fixture(new FairShare(FairShare.DEFAULT_MAX_QUERY_COST, FairShare.DEFAULT_MAX_RESPONSE_BYTES, 2, 2,
                100, 1000, false));
        oneThread = fixture(new FairShare(FairShare.DEFAULT_MAX_QUERY_COST, FairShare.DEFAULT_MAX_RESPONSE_BYTES, 1,
                10, 1_000_000, 1_000_000, false));
    }

    private static ServerFixture fixture(FairShare share) throws IOException {
        return fixture(ServerOptions.defaults(0).withFairShare(share));
    }

    private static ServerFixture fixture(ServerOptions options) throws IOException {
        return new ServerFixture(options, Authenticator.fromFile(tokens), Redactor.none(), app -> new GraphQlApi(
                GraphQlApi.Ports.of(app.analytics()).withTaskSummaries(new ControlledSummaries(app.engine()))),
                clock::get, cpu::get);
    }

    @AfterAll
    static void stop() throws IOException {
        permits.release(1000);
        budgets.close();
        oneThread.close();
        Files.deleteIfExists(tokens);
        clients.shutdownNow();
    }

    private static CompletableFuture<Http.Response> later(Http http, String query, String token) {
        return CompletableFuture.supplyAsync(() -> http.graphql(query, token), clients);
    }

    private static long waiting(ServerFixture fixture) {
        Matcher m = Pattern.compile("\ndagscope_graphql_executions_waiting (\\d+)").matcher(
                fixture.http.get("/metrics", "Authorization", "Bearer " + ABUSER).body());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    private static Map<?, ?> extensions(Http.Response response) {
        return (Map<?, ?>) ((Map<?, ?>) ((List<?>) response.json().get("errors")).get(0)).get("extensions");
    }

    @Test
    void aCallerOverItsConcurrencyBudgetGets429WithRetryAfterWhileAnotherCallerIsServed() throws Exception {
        started.clear();
        Http http = budgets.http;
        CompletableFuture<Http.Response> first = later(http, "{ taskSummary(tenant: \"hold-a1\") { windowEnd } }",
                ABUSER);
        await("the abuser's first query runs", () -> started.size() == 1);
        CompletableFuture<Http.Response> second = later(http, "{ taskSummary(tenant: \"hold-a2\") { windowEnd } }",
                ABUSER);
        await("the abuser's second query waits", () -> waiting(budgets) == 1);

        Http.Response third = http.graphql("{ runCounts { running } }", ABUSER);
        Http.Response victim = http.graphql("{ windowOf { end } }", VICTIM);

        assertEquals(429, third.status(), third.body());
        assertEquals("1", third.header("Retry-After"));
        assertEquals("RATE_LIMITED", classification(third));
        assertEquals("concurrency", extensions(third).get("budget"));
        assertTrue(message(third).contains("token 'abuser' already has 2 running or waiting")
                && message(third).contains("--caller-concurrency"), message(third));
        assertNull(third.json().get("data"));
        assertEquals(200, victim.status(), victim.body());
        assertNotNull(victim.json().get("data"), victim.body());

        permits.release(2);
        assertEquals(200, first.get(20, TimeUnit.SECONDS).status());
        assertEquals(200, second.get(20, TimeUnit.SECONDS).status());
        assertEquals(200, http.graphql("{ runCounts { paused } }", ABUSER).status(), "the budget is back");
    }

    @Test
    void aVictimsQueryRunsBeforeTheAbusersQueuedQueries() throws Exception {
        started.clear();
        Http http = oneThread.http;
        CompletableFuture<Http.Response> a1 = later(http, "{ taskSummary(tenant: \"hold-abuser-1\") { windowEnd } }",
                ABUSER);
        await("the abuser's first query holds the only thread", () -> started.size() == 1);
        CompletableFuture<Http.Response> a2 = later(http, "{ taskSummary(tenant: \"hold-abuser-2\") { windowEnd } }",
                ABUSER);
        await("the abuser's second query waits", () -> waiting(oneThread) == 1);
        CompletableFuture<Http.Response> a3 = later(http, "{ taskSummary(tenant: \"hold-abuser-3\") { windowEnd } }",
                ABUSER);
        await("the abuser's third query waits", () -> waiting(oneThread) == 2);
        CompletableFuture<Http.Response> v = later(http, "{ taskSummary(tenant: \"hold-victim\") { windowEnd } }",
                VICTIM);
        await("the victim's query waits behind them", () -> waiting(oneThread) == 3);

        permits.release();
        await("the next query starts", () -> started.size() == 2);

        assertEquals("hold-victim", started.get(1), "started in order " + started);
        permits.release(3);
        for (CompletableFuture<Http.Response> r : List.of(a1, a2, a3, v)) {
            assertEquals(200, r.get(20, TimeUnit.SECONDS).status());
        }
        assertEquals(List.of("hold-abuser-1", "hold-victim", "hold-abuser-2", "hold-abuser-3"), started);
    }

    @Test
    void theRateBudgetRefusesWithAnHonestRetryAfterAndRefills() throws Exception {
        Http http = budgets.http;
        String page = "dagRuns(first: 150) { edges { node { id } } }"; // costs 150 x 4 = 600

        Http.Response spent = http.graphql("{ a: " + page + " }", SPENDER);
        Http.Response refused = http.graphql("{ b: " + page + " }", SPENDER);
        Http.Response other = http.graphql("{ b: " + page + " }", VICTIM);

        assertEquals(200, spent.status(), spent.body());
        assertEquals(429, refused.status(), refused.body());
        assertEquals("2", refused.header("Retry-After"), "400 left of the 600 needed, at 100 a second");
        assertEquals("rate", extensions(refused).get("budget"));
        assertEquals(600, ((Number) extensions(refused).get("cost")).intValue());
        assertTrue(message(refused).contains("estimated cost is 600") && message(refused).contains("400 of its 1,000")
                && message(refused).contains("--caller-cost-per-second"), message(refused));
        assertEquals(200, other.status(), "another caller's budget is its own: " + other.body());

        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        Http.Response early = http.graphql("{ c: " + page + " }", SPENDER);
        assertEquals(429, early.status());
        assertEquals("1", early.header("Retry-After"));

        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        Http.Response refilled = http.graphql("{ d: " + page + " }", SPENDER);
        assertEquals(200, refilled.status(), refilled.body());
    }

    @Test
    void anExecutionDearerThanItsEstimateIsChargedItsCpuTime() {
        Http http = budgets.http;

        Http.Response burnt = http.graphql("{ taskSummary(tenant: \"burn\") { windowEnd } }", BURNER);
        Http.Response next = http.graphql("{ windowOf { start } }", BURNER);

        assertEquals(200, burnt.status(), burnt.body());
        assertEquals(429, next.status(), next.body());
        long retry = Long.parseLong(next.header("Retry-After"));
        assertTrue(retry > 40_000 && retry < 60_000, "5 s of CPU is 5,000,000 units, 50,000 s at 100 a second: "
                + retry);
        Http.Response unread = http.graphql("{ this is not GraphQL", BURNER);
        assertEquals(429, unread.status(), "a spent caller is refused before its document is read: " + unread.body());
        assertTrue(message(unread).contains("Rate budget spent: token 'burner' has -4,99"), message(unread));
    }

    @Test
    void aQueryThatTimedOutWhileWaitingLeavesItsCallerServedAfterwards() throws Exception {
        started.clear();
        // two threads, so a caller runs one execution at once; executions are cancelled after 300 ms
        ServerOptions options = ServerOptions.defaults(0).withLimits(ServerOptions.DEFAULT_MAX_BODY_BYTES,
                ServerOptions.DEFAULT_MAX_QUERY_DEPTH, ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY,
                Duration.ofMillis(300)).withFairShare(new FairShare(FairShare.DEFAULT_MAX_QUERY_COST,
                        FairShare.DEFAULT_MAX_RESPONSE_BYTES, 2, 10, 1_000_000, 1_000_000, false));
        try (ServerFixture f = fixture(options)) {
            CompletableFuture<Http.Response> running = later(f.http,
                    "{ taskSummary(tenant: \"hold-t1\") { windowEnd } }", VICTIM);
            await("the victim's first query runs", () -> started.contains("hold-t1"));

            Http.Response waited = f.http.graphql("{ taskSummary(tenant: \"hold-t2\") { windowEnd } }", VICTIM);

            assertEquals("TIMEOUT", classification(waited), "it waited behind the first, and timed out: "
                    + waited.body());
            assertEquals("TIMEOUT", classification(running.get()));
            long completed = f.server.executionsCompleted();
            permits.release(); // the first execution's thread returns
            await("the first execution's thread is free", () -> f.server.executionsCompleted() > completed);
            Http.Response next = f.http.graphql("{ windowOf { end } }", VICTIM);
            assertEquals(200, next.status(), next.body());
            assertNull(next.json().get("errors"), "the victim is served again: " + next.body());
            assertEquals(0, waiting(f));
            assertEquals(List.of("hold-t1"), started, "the query that timed out waiting never ran");
        }
    }

    /** @return how many WebSocket operations the server has refused by a budget */
    private static long refusedOverWebSocket(ServerFixture fixture) {
        // the labels in any order (the exposition writes them sorted by name)
        Matcher m = Pattern.compile("\ndagscope_graphql_requests_total\\{([^}]*)} (\\d+)").matcher(
                fixture.http.get("/metrics", "Authorization", "Bearer " + ABUSER).body());
        long n = 0;
        while (m.find()) {
            if (m.group(1).contains("transport=\"websocket\"") && m.group(1).contains("outcome=\"rate_limited\"")) {
                n += Long.parseLong(m.group(2));
            }
        }
        return n;
    }

    @Test
    void subscriptionsWhoseFirstAnswersOutnumberTheConcurrencyBudgetEachGetThemOnceSlotsFree() throws Exception {
        started.clear();
        long refusedBefore = refusedOverWebSocket(budgets);
        try (Ws ws = new Ws(budgets.server.port())) {
            ws.init(Map.of("Authorization", "Bearer " + SUBSCRIBER));
            assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));

            // two running or waiting per caller: one first answer runs, one waits, and the third finds no slot
            for (int i = 1; i <= 3; i++) {
                ws.subscribe("s" + i, "subscription { taskSummary(tenant: \"hold-s" + i + "\") { windowEnd } }");
            }
            await("a third first answer is refused a slot", () -> refusedOverWebSocket(budgets) > refusedBefore);
            assertEquals(1, started.size(), "one runs: " + started);
            permits.release(3);

            Map<Object, Object> firsts = new java.util.TreeMap<>();
            for (int i = 0; i < 3; i++) {
                Map<String, Object> m = ws.next(Duration.ofSeconds(20));
                assertEquals("next", m.get("type"), "a first answer, not an error: " + m);
                firsts.put(m.get("id"), m.get("payload"));
            }
            assertEquals(List.of("s1", "s2", "s3"), List.copyOf(firsts.keySet()));
            assertEquals(List.of("hold-s1", "hold-s2", "hold-s3"), started.stream().sorted().toList());
        }
    }

    @Test
    void overWebSocketQueriesAndSubscriptionsCountAgainstTheSameBudgets() throws Exception {
        Http http = budgets.http;
        assertEquals(200, http.graphql("{ ws: dagRuns(first: 200) { edges { node { id } } } }", SOCKET).status());
        try (Ws ws = new Ws(budgets.server.port())) {
            ws.init(Map.of("Authorization", "Bearer " + SOCKET));
            assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));

            ws.subscribe("q1", "{ dagRuns(first: 100) { edges { node { id } } } }");
            Map<String, Object> queryRefused = ws.next(Duration.ofSeconds(5));
            ws.subscribe("s1", "subscription { dagRuns(first: 100) { edges { node { tenant } } } }");
            Map<String, Object> subscriptionRefused = ws.next(Duration.ofSeconds(5));

            for (Map<String, Object> m : List.of(queryRefused, subscriptionRefused)) {
                assertEquals("error", m.get("type"), m.toString());
                String payload = String.valueOf(m.get("payload"));
                assertTrue(payload.contains("RATE_LIMITED") && payload.contains("--caller-cost-per-second"), payload);
            }
            assertEquals("q1", queryRefused.get("id"));
            assertEquals("s1", subscriptionRefused.get("id"));
        }
    }
}
