package io.dagscope.server.http;

import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.Settings;
import io.dagscope.server.logging.LogLevel;
import io.dagscope.server.logging.LogOutput;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real server on port 0 over a copy of the real sample logs (fixtures/samples/head) in a temporary directory, which
 * it follows: tests may append to the copy, never to the fixtures.
 */
final class ServerFixture implements AutoCloseable {

    /** The samples every server test reads. */
    static final Path SAMPLES = Path.of("..", "fixtures", "samples", "head");
    /** The default window's end: the samples end on 2025-10-22 at 13:46. */
    static final String END = "2025-10-22T14:00:00Z";

    final Path dir;
    final Path events;
    final Path state;
    final Dagscope app;
    final HttpServer server;
    final Http http;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    /** The process's log sent to {@link #logBytes} while the fixture lives. */
    private final LogOutput.Restore logging;

    ServerFixture(ServerOptions options, Authenticator authenticator) {
        this(options, authenticator, Redactor.none());
    }

    ServerFixture(ServerOptions options, Authenticator authenticator, Redactor redactor) {
        this(options, authenticator, redactor, Dagscope::api);
    }

    /**
     * @param api the API to serve, built over the app (e.g. with a slow port in place of one of the engine's)
     */
    ServerFixture(ServerOptions options, Authenticator authenticator, Redactor redactor,
            java.util.function.Function<Dagscope, io.dagscope.graphql.GraphQlApi> api) {
        this(options, authenticator, redactor, api, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param api the API to serve, built over the app
     * @param backend changes what the server is given (e.g. a source status that fails)
     */
    ServerFixture(ServerOptions options, Authenticator authenticator, Redactor redactor,
            java.util.function.Function<Dagscope, io.dagscope.graphql.GraphQlApi> api,
            java.util.function.UnaryOperator<Backend> backend) {
        this(options, authenticator, redactor, api, backend, System::nanoTime, GraphQlService::threadCpuNanos);
    }

    /**
     * @param api the API to serve
     * @param nanoClock the clock callers' rate budgets refill by (a test's own, to move time by hand)
     * @param cpuClock the executions' CPU time, which they are charged by beyond their estimate
     */
    ServerFixture(ServerOptions options, Authenticator authenticator, Redactor redactor,
            java.util.function.Function<Dagscope, io.dagscope.graphql.GraphQlApi> api,
            java.util.function.LongSupplier nanoClock, java.util.function.LongSupplier cpuClock) {
        this(options, authenticator, redactor, api, java.util.function.UnaryOperator.identity(), nanoClock,
                cpuClock);
    }

    /**
     * @param api the API to serve, built over the app
     * @param backend changes what the server is given
     * @param nanoClock the clock callers' rate budgets refill by
     * @param cpuClock the executions' CPU time
     */
    ServerFixture(ServerOptions options, Authenticator authenticator, Redactor redactor,
            java.util.function.Function<Dagscope, io.dagscope.graphql.GraphQlApi> api,
            java.util.function.UnaryOperator<Backend> backend, java.util.function.LongSupplier nanoClock,
            java.util.function.LongSupplier cpuClock) {
        try {
            dir = Files.createTempDirectory("dagscope-http-test");
            events = Files.copy(SAMPLES.resolve("orchestrator_events.jsonl"), dir.resolve("events.jsonl"));
            state = Files.copy(SAMPLES.resolve("orchestrator_state.jsonl"), dir.resolve("state.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Args args = Args.parse("serve", new String[] {"--events", events.toString(), "--state", state.toString(),
            "--end", END, "--window-hours", "72"}, CommonOptions.FLAGS);
        Settings settings = CommonOptions.resolve(args, Map.of(), note -> { });
        app = Dagscope.create(settings, SourceFactories.discover(ServerFixture.class.getClassLoader()), true,
                System.err);
        app.ingestor().pollOnce();
        app.ingestor().startFollowing(Duration.ofMillis(100), Throwable::printStackTrace);
        Backend served = backend.apply(new Backend(api.apply(app), app.analytics()::version, app.analytics(),
                app.ingestor(), app.ingestor()::eventsDelivered, app.analytics()::stats, app.analytics()));
        logging = LogOutput.route(new PrintStream(logBytes, true, StandardCharsets.UTF_8), LogLevel.INFO,
                redactor::redact);
        server = new HttpServer(options, served, authenticator, redactor, nanoClock, cpuClock).start();
        http = new Http(server.port());
    }

    /** @return every line the server logged so far */
    String log() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Appends lines to the followed runner log (the copy).
     *
     * @param lines JSONL lines
     */
    void appendEvents(List<String> lines) {
        try {
            Files.writeString(events, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        app.close();
        logging.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
