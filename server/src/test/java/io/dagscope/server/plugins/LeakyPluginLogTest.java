package io.dagscope.server.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.Main;
import io.dagscope.server.http.Authenticator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code dagscope serve} process with a careless plugin: its source quotes its secret key in every way a
 * library can log (SLF4J, {@code java.util.logging}, the JDK's {@code System.Logger}, an exception's message and its
 * cause's), and in the exception its poll throws, which the server logs with its stack trace. The secret never
 * reaches standard error, nor does a token a caller sends; and {@code --log-level} decides which lines are written.
 */
class LeakyPluginLogTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "tok-3f9a0c77e1b24d6b9d1e";

    @TempDir
    Path tmp;

    /** The plugin: a factory whose {@code secret_key} option is secret, and a source that quotes it everywhere. */
    private static Map<String, String> leakyPlugin() {
        return Map.of("leak.LeakFactory", """
                package leak;

                import io.dagscope.core.port.out.EventSink;
                import io.dagscope.core.port.out.EventSource;
                import io.dagscope.core.model.SourceStatus;
                import io.dagscope.spi.EventSourceFactory;
                import io.dagscope.spi.SourceContext;
                import io.dagscope.spi.SourceStatistics;
                import java.util.Map;
                import java.util.Set;

                public final class LeakFactory implements EventSourceFactory {
                    public LeakFactory() {
                    }

                    @Override
                    public String name() {
                        return "leak";
                    }

                    @Override
                    public Set<String> secretOptionNames() {
                        return Set.of("secret_key");
                    }

                    @Override
                    public Set<String> optionNames() {
                        return Set.of("secret_key");
                    }

                    @Override
                    public EventSource create(Map<String, String> options, SourceContext context) {
                        String secret = options.get("secret_key");
                        return new EventSource() {
                            private int polls;

                            @Override
                            public String name() {
                                return context.name();
                            }

                            @Override
                            public long poll(EventSink sink) {
                                int poll = polls++;
                                if (poll == 0) {
                                    org.slf4j.Logger slf4j = org.slf4j.LoggerFactory.getLogger("com.example.leak");
                                    slf4j.warn("slf4j warning: signing with secret_key={}", secret);
                                    slf4j.warn("slf4j warning with an exception", new IllegalStateException(
                                            "refused secret_key=" + secret, new RuntimeException("cause quotes "
                                            + secret)));
                                    slf4j.info("slf4j info: libraries write warnings and errors only");
                                    java.util.logging.Logger.getLogger("com.example.leak.jul").warning(
                                            "jul warning: signing with " + secret);
                                    System.getLogger("com.example.leak.platform").log(System.Logger.Level.WARNING,
                                            "platform warning: signing with " + secret);
                                } else if (poll == 1) {
                                    throw new IllegalStateException("poll failed for secret_key=" + secret,
                                            new java.io.IOException("403 Forbidden: " + secret));
                                }
                                return 0;
                            }

                            @Override
                            public SourceStatus status() {
                                return new SourceStatistics(context.name(), "leak", "leak://bucket").snapshot();
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }
                """);
    }

    /** Writes the plugin, a token file and a config file holding the secret; returns the config file. */
    private Path setUp() throws IOException {
        Path classes = tmp.resolve("classes");
        PluginJars.compile(classes, leakyPlugin());
        PluginJars.jar(tmp.resolve("plugins").resolve("leak.jar"), classes, PluginJars.services("leak.LeakFactory"));
        Files.writeString(tmp.resolve("tokens.yaml"), "- name: ops\n  token_sha256: "
                + Authenticator.sha256Hex(TOKEN) + "\n  admin: true\n");
        return Files.writeString(tmp.resolve("dagscope.yaml"), "plugins: plugins\n"
                + "sources:\n"
                + "  - name: leak\n    role: events\n    location: leak://bucket\n"
                + "    options: {secret_key: \"" + SECRET + "\"}\n"
                + "server:\n  auth: tokens.yaml\n");
    }

    /** A dagscope JVM and what it has written to stderr so far. */
    private static final class Dagscope implements AutoCloseable {
        final Process process;
        final List<String> lines = new ArrayList<>();
        final Thread reader;

        Dagscope(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "stderr-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String stderr() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** Waits, with a deadline, until stderr holds every one of {@code parts}. */
        void await(String... parts) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (lines) {
                while (true) {
                    String text = String.join("\n", lines);
                    if (List.of(parts).stream().allMatch(text::contains)) {
                        return;
                    }
                    assertTrue(process.isAlive(), "dagscope ended early: " + text);
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertTrue(left > 0, "timed out waiting for " + List.of(parts) + " in " + text);
                    lines.wait(Math.min(left, 500));
                }
            }
        }

        /** Stops it as a supervisor would (SIGTERM) and waits until it has exited and its stderr is read. */
        String stop() throws Exception {
            Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dagscope stops on SIGTERM: " + stderr());
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return stderr();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits, with a deadline, until the server answers on its port (its "serving on" line may be hidden). */
    private static void awaitListening(Dagscope serve, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                assertTrue(serve.process.isAlive(), "dagscope ended early: " + serve.stderr());
                assertTrue(System.nanoTime() < deadline, "dagscope does not listen: " + serve.stderr());
                Thread.sleep(50);
            }
        }
    }

    /** Calls the server with the token, a wrong token, and the secret in a query string. */
    private static void callWithTokens(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        for (String token : List.of(TOKEN, TOKEN + "-wrong")) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ sources { name } }\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(answer.body().contains(SECRET), answer.body());
        }
        client.send(HttpRequest.newBuilder(URI.create(base + "/graphql?query=%7B__typename%7D&secret_key=" + SECRET))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNoSecret(String stderr) {
        for (String secret : List.of(SECRET, "wJalrXUtnFEMI", TOKEN)) {
            assertFalse(stderr.contains(secret), "'" + secret + "' in stderr:\n" + stderr);
        }
    }

    @Test
    void theSecretNeverReachesStderrFromAnyLoggerOrStackTraceNorDoesACallersToken() throws Exception {
        Path config = setUp();
        int port = freePort();
        try (Dagscope serve = new Dagscope("serve", "--config", config.toString(), "--port", String.valueOf(port),
                "--access-log", "--log-level", "debug")) {
            serve.await("serving on", "slf4j warning: signing with secret_key=***", "jul warning: signing with ***",
                    "platform warning: signing with ***", "refused secret_key=***", "cause quotes ***",
                    "reading the sources failed", "poll failed for secret_key=***", "403 Forbidden: ***");
            callWithTokens(port);
            serve.await("POST /graphql 200", "POST /graphql 401", "GET /graphql 200",
                    "DEBUG graphql over http: operation=anonymous caller=ops outcome=OK");
            String stderr = serve.stop();

            assertNoSecret(stderr);
            assertFalse(stderr.contains("sources { name }") || stderr.contains("__typename"),
                    "no query text, even at debug:\n" + stderr);
            assertTrue(Pattern.compile("(?m)^\\s+at ").matcher(stderr).find(), "stack traces are written:\n" + stderr);
            assertTrue(stderr.contains("Caused by: java.io.IOException: 403 Forbidden: ***"), stderr);
            assertFalse(stderr.contains("slf4j info"), "libraries write warnings and errors only:\n" + stderr);
            assertTrue(stderr.contains("WARN com.example.leak: slf4j warning"), "a library's line names its logger:\n"
                    + stderr);
            assertTrue(Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z dagscope: DEBUG ")
                    .matcher(stderr).find(), "--log-level debug writes debug lines:\n" + stderr);
        }
    }

    @Test
    void logLevelWarnHidesInfoLinesAndKeepsWarnings() throws Exception {
        Path config = setUp();
        int port = freePort();
        try (Dagscope serve = new Dagscope("serve", "--config", config.toString(), "--port", String.valueOf(port),
                "--log-level", "warn")) {
            serve.await("slf4j warning: signing with secret_key=***", "reading the sources failed");
            awaitListening(serve, port);
            callWithTokens(port);
            String stderr = serve.stop();

            assertNoSecret(stderr);
            for (String info : List.of("serving on", "read 0 events", "authentication on", "stopping", "DEBUG")) {
                assertFalse(stderr.contains(info), "'" + info + "' with --log-level warn:\n" + stderr);
            }
        }
    }

    @Test
    void theConfigFilesLogLevelIsUsedAndTheFlagOverridesIt() throws Exception {
        Path config = setUp();
        Files.writeString(config, Files.readString(config) + "  log_level: error\n");
        int port = freePort();
        try (Dagscope serve = new Dagscope("serve", "--config", config.toString(), "--port", String.valueOf(port))) {
            serve.await("ERROR reading the sources failed");
            String stderr = serve.stop();

            assertNoSecret(stderr);
            assertFalse(stderr.contains("WARN"), "server.log_level: error hides warnings:\n" + stderr);
            assertFalse(stderr.contains("serving on"), stderr);
        }
        try (Dagscope serve = new Dagscope("serve", "--config", config.toString(), "--port", String.valueOf(port),
                "--log-level", "info")) {
            serve.await("serving on", "WARN com.example.leak: slf4j warning");
            assertNoSecret(serve.stop());
        }
    }
}
