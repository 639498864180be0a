package io.dagscope.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.Settings;
import io.dagscope.server.http.Authenticator;
import io.dagscope.server.http.Backend;
import io.dagscope.server.http.HttpServer;
import io.dagscope.server.http.Redactor;
import io.dagscope.server.http.ServerOptions;
import io.dagscope.server.logging.LogLevel;
import io.dagscope.server.logging.LogOutput;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real dagscope server on a free port, following copies of logs in a temporary folder (tests append to the copies,
 * never to the fixtures), as {@code dagscope serve} runs it: sources, engine, GraphQL API, HTTP and WebSocket.
 */
final class DashboardServer implements AutoCloseable {

    /** The real sample logs. */
    static final Path SAMPLES = Path.of("..", "fixtures", "samples", "head");
    /** "Now" for the sample logs, so that every number is reproducible. */
    static final String END = "2025-10-21T18:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path events;
    final Path state;
    private final Dagscope app;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final LogOutput.Restore logging;

    private DashboardServer(Path dir, Path events, Path state, List<String> flags, Authenticator auth) {
        this.dir = dir;
        this.events = events;
        this.state = state;
        List<String> argv = new ArrayList<>(List.of("--events", events.toString(), "--state", state.toString()));
        argv.addAll(flags);
        Settings settings = CommonOptions.resolve(Args.parse("serve", argv.toArray(new String[0]),
                CommonOptions.FLAGS), Map.of(), note -> { });
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        this.app = Dagscope.create(settings, SourceFactories.discover(getClass().getClassLoader()), true, out);
        app.ingestor().pollOnce();
        app.ingestor().startFollowing(Duration.ofMillis(100), e -> e.printStackTrace(out));
        Backend backend = new Backend(app.api(), app.analytics()::version, app.analytics(), app.ingestor(),
                app.ingestor()::eventsDelivered, app.analytics()::stats, app.analytics());
        this.logging = LogOutput.route(out, LogLevel.INFO, UnaryOperator.identity());
        this.server = new HttpServer(ServerOptions.defaults(0), backend, auth, Redactor.none()).start();
    }

    /**
     * The sample logs (copied), their schedule definitions, and "now" fixed at {@link #END}.
     *
     * @return the server
     */
    static DashboardServer samples() {
        return samples(Authenticator.off());
    }

    /**
     * The sample logs with authentication.
     *
     * @param auth the tokens
     * @return the server
     */
    static DashboardServer samples(Authenticator auth) {
        Path dir = tempDir();
        try {
            Path events = Files.copy(SAMPLES.resolve("orchestrator_events.jsonl"), dir.resolve("events.jsonl"));
            Path state = Files.copy(SAMPLES.resolve("orchestrator_state.jsonl"), dir.resolve("state.jsonl"));
            return new DashboardServer(dir, events, state, List.of("--schedules",
                    SAMPLES.resolve("configs").resolve("schedules").toString(), "--end", END), auth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Logs of the given lines, with "now" fixed.
     *
     * @param eventLines runner log lines, or null for runner and state logs that do not exist (yet)
     * @param stateLines state log lines
     * @param end "now"
     * @return the server
     */
    static DashboardServer lines(List<String> eventLines, List<String> stateLines, String end) {
        Path dir = tempDir();
        Path events = dir.resolve("orchestrator_events.jsonl");
        Path state = dir.resolve("orchestrator_state.jsonl");
        try {
            if (eventLines != null) {
                Files.writeString(events, String.join("\n", eventLines) + "\n", StandardCharsets.UTF_8);
                Files.writeString(state, stateLines.isEmpty() ? "" : String.join("\n", stateLines) + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DashboardServer(dir, events, state, List.of("--end", end), Authenticator.off());
    }

    /**
     * Serves logs that are already in a folder (e.g. written by {@code dagscope generate}).
     *
     * @param dir the folder
     * @param end "now"
     * @return the server
     */
    static DashboardServer generated(Path dir, String end) {
        return new DashboardServer(dir, dir.resolve("orchestrator_events.jsonl"),
                dir.resolve("orchestrator_state.jsonl"), List.of("--schedules",
                        dir.resolve("configs").resolve("schedules").toString(), "--end", end), Authenticator.off());
    }

    /**
     * A token file for authentication, in a temporary folder.
     *
     * @param yaml the entries
     * @return the authenticator
     */
    static Authenticator tokens(String yaml) {
        try {
            Path file = Files.writeString(Files.createTempFile("dagscope-tokens", ".yaml"), yaml);
            try {
                return Authenticator.fromFile(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("dagscope-dashboard-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the dashboard's URL */
    String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** @return the port */
    int port() {
        return server.port();
    }

    /**
     * Appends lines to the followed runner log (the copy).
     *
     * @param lines JSONL lines
     */
    void appendEvents(List<String> lines) {
        try {
            Files.writeString(events, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks the GraphQL API over HTTP, as any client would.
     *
     * @param query the document
     * @param token a bearer token, or null
     * @return the answer's {@code data}
     */
    JsonNode graphql(String query, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || body.has("errors")) {
                throw new AssertionError("GraphQL request failed: " + response.statusCode() + " " + response.body());
            }
            return body.get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return the data of an unauthenticated query */
    JsonNode graphql(String query) {
        return graphql(query, null);
    }

    /**
     * A plain GET.
     *
     * @param path the path, without the leading slash
     * @return the response
     */
    HttpResponse<byte[]> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return everything the server logged */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
        app.close();
        logging.close();
        if (dir.getFileName().toString().startsWith("dagscope-dashboard-test")) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
