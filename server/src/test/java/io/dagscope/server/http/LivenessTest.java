package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.graphql.GraphQlApi;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} says UP only while the server can answer queries: never again once the JVM ran out of memory in an
 * execution or a route, and not while every execution thread is stuck; but UP while one caller's executions are
 * stuck, its budgets spent: the probe belongs to no caller, and that caller holds at most half the threads.
 */
class LivenessTest {

    /** The engine's task summary, but tenant "oom" runs out of memory and "stuck" waits, deaf to interrupts. */
    private record Troubled(AnalyticsEngine engine, CountDownLatch release) implements TaskSummaryQuery {
        @Override
        public TaskSummary taskSummary(Request request) {
            if (request.tenant().equals(Optional.of("oom"))) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            if (request.tenant().equals(Optional.of("stuck"))) {
                boolean released = false;
                while (!released) {
                    try {
                        released = release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        // stuck as a thread in an uninterruptible read would be
                    }
                }
            }
            return engine.taskSummary(request);
        }
    }

    private static ServerFixture fixture(ServerOptions options, CountDownLatch release,
            java.util.function.UnaryOperator<Backend> backend) {
        return new ServerFixture(options, Authenticator.off(), Redactor.none(), app -> new GraphQlApi(
                GraphQlApi.Ports.of(app.analytics()).withTaskSummaries(new Troubled(app.engine(), release))), backend);
    }

    private static Http.Response awaitHealth(Http http, String path, Predicate<Http.Response> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Http.Response response = http.get(path);
        while (!condition.test(response)) {
            assertTrue(System.nanoTime() < deadline, "waited 60 s; last: " + response.status() + " " + response.body());
            Thread.sleep(100);
            response = http.get(path);
        }
        return response;
    }

    @Test
    void afterAnExecutionRanOutOfMemoryHealthIsDownWithTheReasonAndStaysDown() throws Exception {
        try (ServerFixture f = fixture(ServerOptions.defaults(0), new CountDownLatch(0), b -> b)) {
            assertEquals(200, f.http.get("/health").status());

            Http.Response failed = f.http.graphql("{ taskSummary(tenant: \"oom\") { windowEnd } }", null);

            assertEquals("INTERNAL_ERROR", HttpServerTest.classification(failed), failed.body());
            Http.Response live = awaitHealth(f.http, "/health", r -> r.status() != 200);
            assertEquals(503, live.status());
            assertEquals("DOWN", live.json().get("status"));
            assertTrue(String.valueOf(live.json().get("reason")).contains("OutOfMemoryError"), live.body());
            assertEquals("no-store", live.header("Cache-Control"));
            assertEquals(503, f.http.get("/health/live").status());
            Http.Response ready = f.http.get("/health/ready");
            assertEquals(503, ready.status());
            assertEquals("DOWN", ready.json().get("status"));
            assertEquals(200, f.http.graphql("{ windowOf { end } }", null).status(), "it still answers what it can");
            assertEquals(503, f.http.get("/health").status(), "and stays down: it needs a restart");
        }
    }

    @Test
    void anErrorThrownByARouteIsA500InJsonAndAFatalOneTakesHealthDown() throws Exception {
        AtomicBoolean fail = new AtomicBoolean();
        try (ServerFixture f = fixture(ServerOptions.defaults(0), new CountDownLatch(0), b -> new Backend(b.api(),
                b.dataVersion(), b.windows(), () -> {
                    if (fail.get()) {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    }
                    return b.sources().sources();
                }, b.eventsIngested(), b.engineStats(), b.fleet()))) {
            assertEquals(200, f.http.get("/health/ready").status());
            fail.set(true);

            Http.Response failed = f.http.get("/health/ready");

            assertEquals(500, failed.status(), failed.body());
            assertEquals("INTERNAL_ERROR", HttpServerTest.classification(failed));
            assertEquals("no-store", failed.header("Cache-Control"));
            assertEquals("nosniff", failed.header("X-Content-Type-Options"));
            fail.set(false);
            Http.Response live = f.http.get("/health");
            assertEquals(503, live.status(), live.body());
            assertTrue(String.valueOf(live.json().get("reason")).contains("OutOfMemoryError"), live.body());
            assertTrue(f.log().contains("OutOfMemoryError"), f.log());
        }
    }

    /** A timeout of 500 ms, four execution threads, and callers' budgets as given. */
    private static ServerOptions stuckOptions(int callerConcurrency, boolean trustProxy) {
        return ServerOptions.defaults(0).withLimits(ServerOptions.DEFAULT_MAX_BODY_BYTES,
                ServerOptions.DEFAULT_MAX_QUERY_DEPTH, ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY,
                Duration.ofMillis(500)).withFairShare(new FairShare(FairShare.DEFAULT_MAX_QUERY_COST,
                        FairShare.DEFAULT_MAX_RESPONSE_BYTES, 4, callerConcurrency,
                        FairShare.DEFAULT_CALLER_COST_PER_SECOND, FairShare.DEFAULT_CALLER_BURST_COST, trustProxy));
    }

    /** A query that gets stuck, from the given client address (taken from X-Forwarded-For with --trust-proxy). */
    private static CompletableFuture<HttpResponse<String>> stuckQuery(HttpClient client, ServerFixture f,
            String address) {
        return client.sendAsync(HttpRequest.newBuilder(f.http.uri("/graphql")).header("X-Forwarded-For", address)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"query\": \"{ taskSummary(tenant: \\\"stuck\\\") { windowEnd } }\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whileEveryExecutionThreadIsStuckHealthIsDownAndUpAgainOnceTheyRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // one caller runs at most half the threads: it takes several callers to make every thread stuck
        ServerOptions options = stuckOptions(FairShare.DEFAULT_CALLER_CONCURRENCY, true);
        try (ServerFixture f = fixture(options, release, b -> b)) {
            assertEquals(Map.of("status", "UP"), f.http.get("/health").json());
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 64; i++) { // 16 times the pool's threads, from 4 callers: each its whole budget
                stuck.add(stuckQuery(client, f, "10.0.0." + (i % 4 + 1)));
            }
            for (CompletableFuture<HttpResponse<String>> s : stuck) {
                assertTrue(s.get().body().contains("TIMEOUT") || s.get().body().contains("BUSY"), s.get().body());
            }

            Http.Response down = awaitHealth(f.http, "/health", r -> r.status() != 200);
            assertEquals(503, down.status());
            assertTrue(String.valueOf(down.json().get("reason")).contains("stuck"), down.body());

            release.countDown();
            Http.Response up = awaitHealth(f.http, "/health", r -> r.status() == 200);
            assertEquals(Map.of("status", "UP"), up.json());
            assertFalse(f.http.graphql("{ windowOf { end } }", null).body().contains("errors"));
        }
    }

    @Test
    void oneCallersStuckExecutionsAndSpentBudgetLeaveHealthUpAndTheOtherCallersAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // a concurrency budget of 2, as many threads as one caller may run of the 4
        try (ServerFixture f = fixture(stuckOptions(2, false), release, b -> b)) {
            HttpClient client = HttpClient.newHttpClient();
            // without --trust-proxy the header is not believed: both are the one caller 127.0.0.1
            List<CompletableFuture<HttpResponse<String>>> stuck = List.of(stuckQuery(client, f, "10.0.0.1"),
                    stuckQuery(client, f, "10.0.0.2"));
            for (CompletableFuture<HttpResponse<String>> s : stuck) {
                assertTrue(s.get().body().contains("TIMEOUT"), s.get().body());
            }
            // both still hold their threads, deaf to the interrupt: the caller's concurrency budget stays spent
            Http.Response refused = f.http.graphql("{ windowOf { end } }", null);
            assertEquals(429, refused.status(), refused.body());
            assertEquals("RATE_LIMITED", HttpServerTest.classification(refused));

            // UP throughout, also once nothing has finished for longer than the timeout and the grace: only a probe
            // that runs can say so then (one refused by the caller's budget, or waiting for its threads, could not)
            long until = System.nanoTime() + Duration.ofMillis(500).plus(GraphQlService.STALL_GRACE)
                    .plusMillis(2 * Liveness.PROBE_EVERY_MILLIS).toNanos();
            while (System.nanoTime() < until) {
                Http.Response live = f.http.get("/health");
                assertEquals(200, live.status(), live.body());
                Thread.sleep(100);
            }
            assertEquals(Optional.empty(), f.server.probe(Duration.ofSeconds(30)));
            assertEquals(429, f.http.graphql("{ windowOf { end } }", null).status(), "the caller is still stuck");
            release.countDown();
        }
    }

    @Test
    void aDagscopeThreadThatDiesTakesHealthDownAndAnotherThreadsExceptionDoesNot() throws Exception {
        try (ServerFixture f = fixture(ServerOptions.defaults(0), new CountDownLatch(0), b -> b)) {
            Thread.UncaughtExceptionHandler handler = f.server.uncaughtExceptions();

            handler.uncaughtException(new Thread("some-library-thread"), new IllegalStateException("theirs"));
            assertEquals(200, f.http.get("/health").status(), "not ours, not fatal");
            handler.uncaughtException(new Thread("dagscope-follow"), new IllegalStateException("a bug"));

            Http.Response live = f.http.get("/health");
            assertEquals(503, live.status());
            assertTrue(String.valueOf(live.json().get("reason")).contains("dagscope-follow"), live.body());
            assertTrue(f.log().contains("the thread dagscope-follow stopped: IllegalStateException: a bug"), f.log());
        }
    }

    @Test
    void aSourceThatIsUnhealthyMakesReadinessDownButNotLiveness() throws Exception {
        try (ServerFixture f = fixture(ServerOptions.defaults(0), new CountDownLatch(0), b -> b)) {
            java.nio.file.Files.delete(f.events);
            java.nio.file.Files.createDirectory(f.events);
            awaitHealth(f.http, "/health/ready", r -> r.status() == 503);
            assertEquals(200, f.http.get("/health").status(), "the process still answers");
        }
    }
}
