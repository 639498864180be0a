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
 * execution or a route, and not while every execution thread is stuck.
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

    @Test
    void whileEveryExecutionThreadIsStuckHealthIsDownAndUpAgainOnceTheyRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ServerOptions options = ServerOptions.defaults(0).withLimits(ServerOptions.DEFAULT_MAX_BODY_BYTES,
                ServerOptions.DEFAULT_MAX_QUERY_DEPTH, ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY,
                Duration.ofMillis(500));
        try (ServerFixture f = fixture(options, release, b -> b)) {
            assertEquals(Map.of("status", "UP"), f.http.get("/health").json());
            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 64; i++) { // more than the pool has threads on any machine this runs on
                stuck.add(client.sendAsync(HttpRequest.newBuilder(f.http.uri("/graphql"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"query\": \"{ taskSummary(tenant: \\\"stuck\\\") { windowEnd } }\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
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
