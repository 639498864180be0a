package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.introspection.IntrospectionQuery;
import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.graphql.GraphQlApi;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each limit refuses with a clear error; a query that runs too long is cancelled and really stops. */
class LimitsTest {

    private static final CountDownLatch slowStarted = new CountDownLatch(1);
    private static final CountDownLatch slowInterrupted = new CountDownLatch(1);
    private static final AtomicInteger runsAsked = new AtomicInteger();
    private static ServerFixture fixture;
    private static Http http;

    /** The engine's task summary, except for tenant "slow", which waits (as a port stuck on I/O would) a minute. */
    private record SlowSummaries(AnalyticsEngine engine) implements TaskSummaryQuery {
        @Override
        public TaskSummary taskSummary(Request request) {
            if (request.tenant().equals(Optional.of("slow"))) {
                slowStarted.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    slowInterrupted.countDown();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return engine.taskSummary(request);
        }
    }

    /** The engine's runs, counting the requests. */
    private record CountedRuns(AnalyticsEngine engine) implements DagRunQuery {
        @Override
        public RunPage dagRuns(Request request) {
            runsAsked.incrementAndGet();
            return engine.dagRuns(request);
        }

        @Override
        public Optional<DagRun> dagRun(String id, TenantScope scope) {
            return engine.dagRun(id, scope);
        }
    }

    @BeforeAll
    static void start() {
        ServerOptions options = ServerOptions.defaults(0).withLimits(ServerOptions.DEFAULT_MAX_BODY_BYTES, 3, 20,
                Duration.ofMillis(1500));
        fixture = new ServerFixture(options, Authenticator.off(), Redactor.none(), app -> new GraphQlApi(
                GraphQlApi.Ports.of(app.analytics()).withTaskSummaries(new SlowSummaries(app.engine()))
                        .withRuns(new CountedRuns(app.engine()))));
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aQueryNestedDeeperThanTheLimitIsRefusedWithTheDepthAndTheFlag() {
        Http.Response response = http.graphql("{ dagRuns { edges { node { tasks { taskId } } } } }", null);

        assertEquals(200, response.status());
        assertNull(response.json().get("data"));
        String message = message(response);
        assertTrue(message.contains("5 levels deep") && message.contains("at most 3")
                && message.contains("--max-query-depth"), message);
    }

    @Test
    void aQuerySelectingMoreFieldsThanTheComplexityLimitIsRefusedWithTheCountAndTheFlag() {
        String fields = IntStream.range(0, 25).mapToObj(i -> "f" + i + ": windowOf { end }")
                .collect(Collectors.joining(" "));

        Http.Response response = http.graphql("{ " + fields + " }", null);

        String message = message(response);
        assertTrue(message.contains("selects 50 fields") && message.contains("at most 20")
                && message.contains("--max-query-complexity"), message);
        assertNull(response.json().get("data"));
    }

    @Test
    void introspectionAsExplorersSendItIsNotCountedAgainstDepthOrComplexity() {
        Http.Response response = http.graphql(IntrospectionQuery.INTROSPECTION_QUERY, null);

        assertNull(response.json().get("errors"), response.body());
        assertNotNull(((Map<?, ?>) response.json().get("data")).get("__schema"));
    }

    @Test
    void aPageOfMoreThanAThousandRunsIsRefusedByTheApi() {
        Http.Response response = http.graphql("{ dagRuns(first: 1001) { totalCount } }", null);

        assertTrue(message(response).contains("1000"), response.body());
        assertEquals("BAD_USER_INPUT", classification(response));
    }

    @Test
    void aDocumentOverTheParsersTokenLimitIsRefusedBeforeItIsParsedWhole() {
        String aliases = IntStream.range(0, 8_000).mapToObj(i -> "a" + i + ": __typename")
                .collect(Collectors.joining(" "));

        Http.Response response = http.graphql("{ " + aliases + " }", null);

        String message = message(response);
        assertTrue(message.contains("15,000") && message.contains("tokens"), message);
    }

    @Test
    void aQueryRunningLongerThanTheTimeoutIsAnsweredWithAnErrorAndItsExecutionReallyStops() throws Exception {
        runsAsked.set(0);
        long start = System.nanoTime();

        Http.Response response = http.graphql("{ slow: taskSummary(tenant: \"slow\") { windowEnd } "
                + "after: dagRuns { totalCount } }", null);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("TIMEOUT", classification(response), response.body());
        assertTrue(message(response).contains("1500 ms") && message(response).contains("--query-timeout-ms"));
        assertTrue(millis < 10_000, "answered after " + millis + " ms");
        assertTrue(slowStarted.await(1, TimeUnit.SECONDS));
        assertTrue(slowInterrupted.await(5, TimeUnit.SECONDS), "the waiting data fetcher was interrupted");
        Thread.sleep(300);
        assertEquals(0, runsAsked.get(), "the cancelled execution fetched no further field");
        Http.Response later = http.graphql("{ after: dagRuns { totalCount } }", null);
        assertNull(later.json().get("errors"), "the server still answers: " + later.body());
        assertEquals(1, runsAsked.get());
    }
}
