package io.dagscope.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dagscope bench freshness}: how long a line appended to a followed log takes to show in the server's
 * answers. It starts {@code dagscope serve} (the product's jar, the launcher's JVM options) on generated logs,
 * then, again and again, appends one {@code task_start} line and asks {@code GET /graphql} every few milliseconds
 * until the all-time count of started tasks has moved: the time from the append to that answer, as a user of the
 * API or the dashboard would see it. A measurement, never an assertion.
 */
final class FreshnessBench {

    static final Set<String> VALUED = Set.of("events", "samples", "out", "seed", "start", "dagscope-jar");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "usage: dagscope bench freshness [--events N] [--samples K] [--out DIR] [--keep] [--seed S] [--start ISO]",
            "",
            "How long an appended line takes to show in dagscope serve's answers (append to answer, over HTTP).",
            "",
            "  --events N    lines of history the server reads first (default 200000)",
            "  --samples K   appends measured (default 50)",
            "  --out DIR     where the logs and freshness.md go (default /tmp/dagscope-bench-freshness-<time>)",
            "  --keep        keep the generated logs",
            "  --seed S, --start ISO   the generator's seed and start (defaults as for dagscope bench)");

    private static final Pattern STARTED = Pattern.compile("\"started\":(\\d+)");
    private static final String QUERY = "{ taskSummary { allTime { started } } }";

    private FreshnessBench() {
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        long lines = flags.wholeNumber("events", 200_000, 1_000, 100_000_000);
        int samples = (int) flags.wholeNumber("samples", 50, 1, 10_000);
        long seed = flags.seed();
        Instant start = flags.start();
        Path outDir = flags.outDir("freshness");
        Path data = outDir.resolve("data");
        out.printf("Generating %,d lines into %s...%n", lines, data);
        Workload w = Workload.generate(data, lines, seed, start, OptionalDouble.empty());
        ChildJvm jvm = ChildJvm.current(Machine.cores(), BenchMain.dagscopeJar(flags));
        List<String> cmd = jvm.dagscope(null, List.of("serve", "--events", w.events().toString(), "--state",
                w.state().toString(), "--bind", "127.0.0.1", "--port", "0"));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String base = HttpBench.serverAddress(server).get(10, TimeUnit.MINUTES);
            String url = base + "/graphql?query=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8);
            HttpClient client = HttpClient.newHttpClient();
            long before = started(client, url);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                String line = "{\"timestamp\": \"" + Instant.now() + "\", \"event\": \"task_start\", \"dag_name\": "
                        + "\"freshness_probe\", \"dag_run_id\": \"freshness-" + i + "\", \"task_id\": \"probe\"}\n";
                long t0 = System.nanoTime();
                Files.writeString(w.events(), line, StandardOpenOption.APPEND);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
                long now;
                while ((now = started(client, url)) <= before) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("an appended line did not show within 30 s");
                    }
                    Thread.sleep(2);
                }
                millis.add((System.nanoTime() - t0) / 1e6);
                before = now;
                Thread.sleep(100);
            }
            Collections.sort(millis);
            String md = BenchReport.f("## dagscope bench freshness%n%nA line appended to the followed runner log of "
                    + "`dagscope serve` (%,d lines read first; JVM options `%s`), then `GET /graphql` every 2 ms "
                    + "until the answer counts it; %d appends, 100 ms apart; machine: %s.%n%n"
                    + "| append to answer | ms |%n|---|---:|%n| p50 | %.0f |%n| p90 | %.0f |%n| max | %.0f |%n",
                    lines, String.join(" ", jvm.jvmOptions()), samples, Machine.cpuModel() + ", " + Machine.cores()
                            + " cores, load average " + Machine.loadAverage(),
                    rank(millis, 0.5), rank(millis, 0.9), millis.get(millis.size() - 1));
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("freshness.md"), md);
            out.println();
            out.print(md);
            return 0;
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (!flags.has("keep")) {
                Machine.deleteTree(data);
            }
        }
    }

    private static double rank(List<Double> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static long started(HttpClient client, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = STARTED.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException("the query failed: " + r.statusCode() + " " + r.body());
        }
        return Long.parseLong(m.group(1));
    }
}
