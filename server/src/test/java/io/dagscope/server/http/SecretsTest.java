package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.server.logging.LogLevel;
import io.dagscope.server.logging.LogOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Secret option values never reach health, metrics, GraphQL answers or the log, even when a source quotes them. */
@SuppressWarnings("try") // the log's route is held open by try-with-resources and restored at its end, never read
class SecretsTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /** A source that failed and, carelessly, quotes its secret key in its name, its error and a skip reason. */
    private static final SourceStatusQuery LEAKY = () -> List.of(new SourceStatus("s3-" + SECRET, "s3",
            "s3://bucket/logs/?secret_key=" + SECRET, 0, Map.of("denied " + SECRET, 3L), 0, Optional.empty(),
            Optional.empty(), false, Optional.of("403 from s3 with secret_key=" + SECRET), OptionalLong.empty(),
            OptionalLong.of(2)));

    @Test
    void aSecretQuotedByASourceIsMaskedInHealthMetricsGraphqlAnswersAndTheLog() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(Instant.parse(
                "2025-10-22T14:00:00Z"), ZoneOffset.UTC));
        GraphQlApi api = new GraphQlApi(GraphQlApi.Ports.of(engine, LEAKY));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Redactor redactor = Redactor.of(List.of(SECRET));
        try (LogOutput.Restore logging = LogOutput.route(new PrintStream(logBytes, true, StandardCharsets.UTF_8),
                LogLevel.INFO, redactor::redact);
                HttpServer server = new HttpServer(ServerOptions.defaults(0), new Backend(api, engine::version, engine,
                LEAKY, () -> 0, engine::stats, engine), Authenticator.off(), redactor).start()) {
            Http http = new Http(server.port());

            Http.Response ready = http.get("/health/ready");
            Http.Response metrics = http.get("/metrics");
            Http.Response sources = http.graphql("{ sources { name location error skippedByReason { reason } } }",
                    null);
            LoggerFactory.getLogger(HttpServer.class).info("source s3-" + SECRET + " is unhealthy: 403 from s3 with secret_key=" + SECRET);

            assertEquals(503, ready.status(), "an unhealthy source makes the server not ready");
            assertTrue(ready.body().contains("403 from s3 with secret_key=***"), ready.body());
            assertTrue(metrics.body().contains("dagscope_source_healthy{source=\"s3-***\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("{reason=\"denied ***\",source=\"s3-***\"} 3"), metrics.body());
            assertTrue(sources.body().contains("secret_key=***"), sources.body());
            String logText = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(logText.contains("secret_key=***"), logText);
            for (String text : List.of(ready.body(), metrics.body(), sources.body(), logText)) {
                assertFalse(text.contains(SECRET), text);
                assertFalse(text.contains("wJalrXUtnFEMI"), text);
            }
        }
    }

    @Test
    void aFieldThatFailsQuotingTheSecretIsLoggedWithItsStackTraceMasked() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(Instant.parse(
                "2025-10-22T14:00:00Z"), ZoneOffset.UTC));
        SourceStatusQuery failing = () -> {
            throw new IllegalStateException("listing s3://bucket/?secret_key=" + SECRET + " failed",
                    new java.io.IOException("403 Forbidden for " + SECRET));
        };
        GraphQlApi api = new GraphQlApi(GraphQlApi.Ports.of(engine, failing));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Redactor redactor = Redactor.of(List.of(SECRET));
        try (LogOutput.Restore logging = LogOutput.route(new PrintStream(logBytes, true, StandardCharsets.UTF_8),
                LogLevel.INFO, redactor::redact);
                HttpServer server = new HttpServer(ServerOptions.defaults(0), new Backend(api, engine::version, engine,
                LEAKY, () -> 0, engine::stats, engine), Authenticator.off(), redactor).start()) {
            Http.Response sources = new Http(server.port()).graphql("{ sources { name } }", null);

            assertTrue(sources.body().contains("INTERNAL_ERROR"), sources.body());
            String logText = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(logText.contains("dagscope: ERROR Resolving /sources failed (incident "), logText);
            assertTrue(logText.contains("IllegalStateException: listing s3://bucket/?secret_key=*** failed"), logText);
            assertTrue(logText.contains("Caused by: java.io.IOException: 403 Forbidden for ***"), logText);
            assertTrue(logText.contains("\tat io.dagscope."), "the stack trace follows: " + logText);
            assertFalse(logText.contains(SECRET), logText);
            assertFalse(logText.contains("wJalrXUtnFEMI"), logText);
        }
    }

    @Test
    void theRedactorMasksLongestSecretsFirstAndLeavesTooShortValuesAlone() {
        Redactor redactor = Redactor.of(List.of("abcd", "abcdefgh", "x", " "));

        assertEquals("key=*** and ***, x stays", redactor.redact("key=abcdefgh and abcd, x stays"));
        assertEquals("nothing", Redactor.none().redact("nothing"));
        assertEquals("{\"a\":\"***\"}", new String(Redactor.of(List.of("q\"uote")).redact(
                "{\"a\":\"q\\\"uote\"}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
}
