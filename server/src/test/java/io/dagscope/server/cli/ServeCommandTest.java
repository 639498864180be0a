package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.Main;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dagscope serve} and {@code dagscope hash-token} on the command line. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String stdin, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(argv, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpDocumentsEveryFlag() {
        Run help = run("", "serve", "--help");

        assertEquals(0, help.status());
        for (Flag flag : new ServeCommand().flags()) {
            assertTrue(help.out().contains("--" + flag.name()), flag.name());
        }
        assertTrue(help.out().contains("/graphiql") && help.out().contains("/metrics"));
        assertTrue(run("", "--help").out().contains("serve") && run("", "--help").out().contains("hash-token"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port|70000|--port must be a whole number from 0 to 65535",
        "--port|http|--port must be a whole number from 0 to 65535",
        "--bind|not a host!|--bind must be an address",
        "--cors-origin|ftp://dash.example.com|--cors-origin must be an origin such as https://",
        "--cors-origin|https://dash.example.com/app|without a path",
        "--cors-origin|dash.example.com|--cors-origin must be an origin",
        "--allowed-host|https://dagscope.example.com|--allowed-host must be a host name such as dagscope.example.com",
        "--allowed-host|dagscope.example.com:443|without a scheme, port or path; got 'dagscope.example.com:443'",
        "--allowed-host|*.example.com|or * (any name)",
        "--allowed-host|''|--allowed-host must be a host name",
        "--max-body-bytes|0|--max-body-bytes must be a whole number from 1 to 1073741824",
        "--max-query-depth|deep|--max-query-depth must be a whole number from 1 to 1000",
        "--max-query-complexity|-1|--max-query-complexity must be a whole number from 1 to 1000000",
        "--query-timeout-ms|1.5|--query-timeout-ms must be a whole number from 1 to 3600000",
        "--metrics-max-series|0|--metrics-max-series must be a whole number from 1 to 1000000",
        "--metrics-max-series|many|--metrics-max-series must be a whole number from 1 to 1000000",
        "--auth|/no/such/tokens.yaml|--auth must name a readable YAML token file",
        "--max-query-cost|0|--max-query-cost must be a whole number from 1 to 9223372036854775807",
        "--max-response-bytes|big|--max-response-bytes must be a whole number from 1 to 1099511627776",
        "--query-threads|0|--query-threads must be a whole number from 1 to 1024",
        "--caller-concurrency|-3|--caller-concurrency must be a whole number from 1 to 100000",
        "--caller-cost-per-second|0.5|--caller-cost-per-second must be a whole number from 1 to",
        "--caller-burst-cost|none|--caller-burst-cost must be a whole number from 1 to",
        "--snapshot-every|5x|--snapshot-every must be a time such as 90s, 5m or 1h30m, from 1s to 168h; got '5x'",
        "--snapshot-every|200h|--snapshot-every must be a time such as 90s, 5m or 1h30m, from 1s to 168h",
        "--snapshot-every-events|none|--snapshot-every-events must be a whole number from 1 to",
        "--snapshot-keep|0|--snapshot-keep must be a whole number from 1 to 1000",
        "--snapshot-keep|3|--snapshot-every, --snapshot-every-events and --snapshot-keep need a folder"})
    void aBadValueExitsWith2AndAMessageNamingTheFlagAndWhatIsAllowed(String flag, String value, String expected) {
        Run result = run("", "serve", flag, value);

        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains(expected), result.err());
    }

    @Test
    void theConfigFilesServerSectionIsUsedAndTheFlagsOverrideIt() throws Exception {
        Path config = Files.writeString(dir.resolve("dagscope.yaml"), "server:\n  port: 9191\n  bind: 127.0.0.1\n"
                + "  cors_origins: [\"*\", \"https://dash.example.com\"]\n  metrics_max_series: 25\n");
        io.dagscope.server.config.Settings settings = io.dagscope.server.config.CommonOptions.resolve(
                Args.parse("serve", new String[] {"--config", config.toString()}, new ServeCommand().flags()),
                java.util.Map.of(), note -> { });
        io.dagscope.server.http.ServerOptions fromFile = ServeCommand.options(
                Args.parse("serve", new String[0], new ServeCommand().flags()), settings.server());
        assertEquals(9191, fromFile.port());
        assertEquals(java.util.List.of("*", "https://dash.example.com"), fromFile.corsOrigins());
        assertEquals(25, fromFile.metrics().maxSeries());
        io.dagscope.server.http.ServerOptions overridden = ServeCommand.options(Args.parse("serve",
                new String[] {"--port", "0", "--cors-origin", "http://localhost:3000", "--metrics-max-series", "7"},
                new ServeCommand().flags()), settings.server());
        assertEquals(0, overridden.port());
        assertEquals(7, overridden.metrics().maxSeries());
        assertEquals(java.util.List.of("http://localhost:3000"), overridden.corsOrigins());
    }

    @Test
    void theCostAndSharingLimitsComeFromTheFlagsElseTheConfigFileElseTheDefaults() throws Exception {
        Path config = Files.writeString(dir.resolve("dagscope.yaml"), "server:\n  max_query_cost: 5000\n"
                + "  max_response_bytes: 65536\n  query_threads: 3\n  caller_concurrency: 4\n"
                + "  caller_cost_per_second: 700\n  caller_burst_cost: 9000\n  trust_proxy: true\n");
        io.dagscope.server.config.Settings settings = io.dagscope.server.config.CommonOptions.resolve(
                Args.parse("serve", new String[] {"--config", config.toString()}, new ServeCommand().flags()),
                java.util.Map.of(), note -> { });

        io.dagscope.server.http.FairShare fromFile = ServeCommand.options(Args.parse("serve", new String[0],
                new ServeCommand().flags()), settings.server()).fairShare();
        io.dagscope.server.http.FairShare fromFlags = ServeCommand.options(Args.parse("serve", new String[] {
            "--max-query-cost", "6000", "--max-response-bytes", "1000", "--query-threads", "1",
            "--caller-concurrency", "2", "--caller-cost-per-second", "10", "--caller-burst-cost", "20"},
                new ServeCommand().flags()), settings.server()).fairShare();
        io.dagscope.server.http.FairShare defaults = ServeCommand.options(Args.parse("serve", new String[0],
                new ServeCommand().flags())).fairShare();

        assertEquals(new io.dagscope.server.http.FairShare(5000, 65536, 3, 4, 700, 9000, true), fromFile);
        assertEquals(new io.dagscope.server.http.FairShare(6000, 1000, 1, 2, 10, 20, true), fromFlags);
        assertEquals(io.dagscope.server.http.FairShare.defaults(), defaults);
        assertTrue(ServeCommand.options(Args.parse("serve", new String[] {"--trust-proxy"},
                new ServeCommand().flags())).fairShare().trustProxy());
    }

    @Test
    void anUnknownFlagExitsWith2AndListsTheFlags() {
        Run result = run("", "serve", "--prot", "80");

        assertEquals(2, result.status());
        assertTrue(result.err().contains("unknown option '--prot'") && result.err().contains("--port"), result.err());
    }

    @Test
    void aBadLogLevelExitsWith2NamingTheFlagAndTheLevels() throws Exception {
        for (String level : List.of("loud", "", "warning", "trace")) {
            Run result = run("", "serve", "--log-level", level, "--port", "0");

            assertEquals(2, result.status(), result.err());
            assertEquals("dagscope serve: --log-level must be one of error, warn, info, debug; got '" + level + "'\n",
                    result.err());
        }
        Path config = Files.writeString(dir.resolve("dagscope.yaml"), "server:\n  log_level: loud\n");
        Run fromFile = run("", "serve", "--config", config.toString(), "--port", "0");

        assertEquals(2, fromFile.status(), fromFile.err());
        assertTrue(fromFile.err().contains("server.log_level: must be one of error, warn, info, debug; got the text "
                + "'loud'"), fromFile.err());
    }

    @Test
    void aBadTokenFileExitsWith2NamingTheEntry() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "- {token_sha256: short, admin: true}\n");

        Run result = run("", "serve", "--auth", tokens.toString());

        assertEquals(2, result.status());
        assertTrue(result.err().contains("token entry 1: token_sha256 must be the 64 hex digits"), result.err());
    }

    @Test
    void hashTokenPrintsTheSha256OfTheFirstLineOfStdin() {
        Run result = run("abc\r\nsecond line\n", "hash-token");

        assertEquals(0, result.status());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n", result.out());
        assertEquals(2, run("", "hash-token").status());
        assertEquals(2, run("", "hash-token", "abc").status(), "a token on the command line is refused");
    }

    @Test
    void serveReadsAndFollowsTheLogsAnswersOverHttpAndStopsWhenAsked() throws Exception {
        Path events = Files.copy(Path.of("..", "fixtures", "samples", "head", "orchestrator_events.jsonl"),
                dir.resolve("events.jsonl"));
        CountDownLatch stop = new CountDownLatch(1);
        ServeCommand serve = new ServeCommand(stop);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), errStream, Map.of("STATE_STORE_PATH", dir.resolve("none.jsonl").toString()),
                SourceFactories.discover(getClass().getClassLoader()));
        Args args = Args.parse("serve", new String[] {"--events", events.toString(), "--port", "0"}, serve.flags());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = thread.submit(() -> serve.run(args, io));
            Matcher port = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!port.reset(err.toString(StandardCharsets.UTF_8)).find() && System.nanoTime() < deadline) {
                assertTrue(!status.isDone(), "serve ended early: " + err);
                Thread.sleep(50);
            }
            String base = "http://127.0.0.1:" + port.group(1);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/graphql?query=%7BtaskSummary%7BallTime%7Bstarted%7D%7D%7D")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals("{\"data\":{\"taskSummary\":{\"allTime\":{\"started\":5201}}}}", answer.body());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("read 13137 events from 2 source(s)"), err.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("authentication off"));
            stop.countDown();
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("stopping"));
        } finally {
            stop.countDown();
            thread.shutdownNow();
        }
    }
}
