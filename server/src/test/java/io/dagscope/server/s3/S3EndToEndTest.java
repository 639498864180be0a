package io.dagscope.server.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.Main;
import io.dagscope.source.s3.LogSplitter;
import io.dagscope.source.s3.S3ProxyServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The command line over S3: the sample logs, cut into date-partitioned objects (some gzipped) in a real
 * S3-protocol server, give exactly the JSON that the same logs on disk give, for the contract's queries.
 *
 * <p>S3Proxy runs in a JVM of its own, so that its Jetty 11 never meets the server's Jetty 12 on one classpath:
 * the class comes from {@code source-s3}'s test-jar, and the classpath it needs from the file that module's build
 * writes beside it ({@code s3proxy.classpath}). Credentials reach the source through the AWS default chain, as
 * the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties (the SDK reads the real environment,
 * not the map {@code Main.run} is given).
 */
class S3EndToEndTest {

    private static final Path SAMPLES = Path.of("../fixtures/samples");
    private static final Path CONFORMANCE = Path.of("../fixtures/conformance");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "orchestrator-logs";

    private static final String STATS = "started succeeded failed retried errorRate avgDurationSeconds "
            + "p50DurationSeconds p95DurationSeconds p99DurationSeconds";
    private static final String RUN = "id dagName tenant status startedAt endedAt durationSeconds taskCount "
            + "tasksSucceeded tasksFailed tasksRetried error tasks { taskId status startedAt endedAt durationSeconds "
            + "attempts error }";
    private static final String SCHEDULE = "id tenant dagPath cron enabled lastRunAt lastStatus nextRunAt missedRuns "
            + "enqueued started finished succeeded failed retried avgDurationSeconds";
    private static final String LOAD = "tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds";

    private static Process s3proxy;
    private static URI endpoint;
    private static S3Client client;
    private static String savedAccessKey;
    private static String savedSecretKey;

    @BeforeAll
    static void startS3ProxyInItsOwnJvm() throws Exception {
        Path testJar = Path.of(S3ProxyServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classpath;
        try (InputStream in = S3ProxyServer.class.getResourceAsStream("s3proxy.classpath")) {
            assertNotNull(in, "source-s3's build writes s3proxy.classpath into its test-jar");
            classpath = testJar + File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        s3proxy = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, S3ProxyServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(s3proxy.getInputStream(),
                StandardCharsets.UTF_8));
        String portLine = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(S3ProxyServer.PORT_LINE_PREFIX)) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
        assertNotNull(portLine, "S3Proxy printed its port");
        endpoint = URI.create("http://127.0.0.1:" + portLine.substring(S3ProxyServer.PORT_LINE_PREFIX.length()));
        client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
        for (String set : List.of("head", "legacy-27c")) {
            upload(LogSplitter.split(SAMPLES.resolve(set).resolve("orchestrator_events.jsonl"), 20,
                    set + "/events/", 3));
            upload(LogSplitter.split(SAMPLES.resolve(set).resolve("orchestrator_state.jsonl"), 20,
                    set + "/state/", 4));
        }
        savedAccessKey = System.getProperty("aws.accessKeyId");
        savedSecretKey = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }

    private static void upload(Map<String, byte[]> objects) {
        assertEquals(20, objects.size());
        objects.forEach((key, bytes) -> client.putObject(b -> b.bucket(BUCKET).key(key),
                RequestBody.fromBytes(bytes)));
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        restore("aws.accessKeyId", savedAccessKey);
        restore("aws.secretAccessKey", savedSecretKey);
        if (client != null) {
            client.close();
        }
        if (s3proxy != null) {
            s3proxy.getOutputStream().close(); // it stops when its stdin closes
            if (!s3proxy.waitFor(30, TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Main().run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String s3(String set, String log) {
        return "s3://" + BUCKET + "/" + set + "/" + log + "/?endpoint=" + endpoint + "&path_style=true&concurrency=4";
    }

    /** Runs one document against the logs on disk and in the bucket, and checks both answer the same. */
    private static JsonNode sameAnswer(String set, Properties params, String document) throws IOException {
        Path dir = SAMPLES.resolve(set);
        List<String> common = List.of("--schedules", dir.resolve("configs/schedules").toString(),
                "--end", params.getProperty("END"), "--window-hours", params.getProperty("HOURS"), document);
        List<String> onDisk = new ArrayList<>(List.of("query", "--events",
                dir.resolve("orchestrator_events.jsonl").toString(), "--state",
                dir.resolve("orchestrator_state.jsonl").toString()));
        onDisk.addAll(common);
        List<String> inBucket = new ArrayList<>(List.of("query", "--events", s3(set, "events"), "--state",
                s3(set, "state")));
        inBucket.addAll(common);
        Result disk = run(onDisk);
        Result bucket = run(inBucket);
        assertEquals(0, disk.exit(), disk.err() + disk.out());
        assertEquals(0, bucket.exit(), bucket.err() + bucket.out());
        assertEquals("", bucket.err(), "every S3 source is healthy");
        assertEquals(disk.out(), bucket.out());
        JsonNode data = JSON.readTree(bucket.out()).path("data");
        assertFalse(data.isMissingNode(), bucket.out());
        return data;
    }

    private static Properties params(String set) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(CONFORMANCE.resolve(set + ".params"))) {
            p.load(in);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"head", "legacy-27c"})
    void answersTheContractsQueriesExactlyAsFromTheSameLogsOnDisk(String set) throws IOException {
        Properties params = params(set);
        String window = "{hours: " + params.getProperty("HOURS") + ", end: \"" + params.getProperty("END") + "\"}";

        JsonNode overview = sameAnswer(set, params, "{ all: taskSummary(window: " + window + ") { windowStart "
                + "windowEnd allTime { " + STATS + " } window { " + STATS + " } } load: tenantLoad(window: " + window
                + ") { " + LOAD + " } schedules: schedules(window: " + window + ") { " + SCHEDULE + " } }");
        assertTrue(overview.path("all").path("allTime").path("started").asLong() > 100, overview.toString());
        assertTrue(overview.path("schedules").size() > 0, overview.toString());

        // every run, paged, with its tasks; then the summary of each tenant and each DAG they name
        TreeSet<String> tenants = new TreeSet<>();
        TreeSet<String> dags = new TreeSet<>();
        String after = null;
        long runs = 0;
        do {
            JsonNode page = sameAnswer(set, params, "{ dagRuns(first: 1000" + (after == null ? "" : ", after: \""
                    + after + "\"") + ") { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { "
                    + RUN + " } } } }").path("dagRuns");
            for (JsonNode edge : page.path("edges")) {
                tenants.add(edge.path("node").path("tenant").asText());
                dags.add(edge.path("node").path("dagName").asText());
                runs++;
            }
            after = page.path("pageInfo").path("hasNextPage").asBoolean()
                    ? page.path("pageInfo").path("endCursor").asText() : null;
            if (after == null) {
                assertEquals(page.path("totalCount").asLong(), runs);
            }
        } while (after != null);
        assertTrue(runs > 300, "runs: " + runs);

        StringBuilder doc = new StringBuilder("{ ");
        int i = 0;
        for (String tenant : tenants) {
            doc.append("t").append(i++).append(": taskSummary(window: ").append(window).append(", tenant: ")
                    .append(JSON.writeValueAsString(tenant)).append(") { allTime { ").append(STATS)
                    .append(" } window { ").append(STATS).append(" } } ");
        }
        i = 0;
        for (String dag : dags) {
            doc.append("d").append(i++).append(": taskSummary(window: ").append(window).append(", dagName: ")
                    .append(JSON.writeValueAsString(dag)).append(") { window { ").append(STATS).append(" } } ");
        }
        JsonNode breakdown = sameAnswer(set, params, doc.append("}").toString());
        assertEquals(tenants.size() + dags.size(), breakdown.size());
    }

    @Test
    void refusesSecretOptionsOnTheCommandLineWithoutEchoingThem() {
        Result r = run(List.of("query", "--events", s3("head", "events") + "&secret_key=do-not-print-me",
                "{ sources { name } }"));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("option 'secret_key' is a secret and is refused on the command line"), r.err());
        assertFalse(r.err().contains("do-not-print-me") || r.out().contains("do-not-print-me"), r.err());
    }

    @Test
    void reportsAnUnreadableBucketAsAnUnhealthySource() throws IOException {
        Result r = run(List.of("query", "--events", "s3://no-such-bucket/events/?endpoint=" + endpoint,
                "--state", s3("head", "state"), "{ sources { name kind location healthy error eventsRead } }"));
        // the answer is printed; since issue 17 a one-shot command that could not read a source exits 4
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.err().contains("--allow-partial"), r.err());
        JsonNode sources = JSON.readTree(r.out()).path("data").path("sources");
        assertEquals("s3", sources.get(0).path("kind").asText());
        assertFalse(sources.get(0).path("healthy").asBoolean());
        assertTrue(sources.get(0).path("error").asText().contains("no such bucket 'no-such-bucket'"), r.out());
        assertTrue(sources.get(1).path("healthy").asBoolean(), r.out());
        assertTrue(sources.get(1).path("eventsRead").asLong() > 1000, r.out());
        assertTrue(r.err().contains("dagscope: source events (s3://no-such-bucket/events/"), r.err());
        assertFalse(r.out().contains(S3ProxyServer.SECRET_KEY) || r.err().contains(S3ProxyServer.SECRET_KEY));
    }
}
