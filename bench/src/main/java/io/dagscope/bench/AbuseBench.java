package io.dagscope.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code dagscope bench abuse}: whether one tenant can starve another. It starts {@code dagscope serve} (the product's
 * jar, or {@code --dagscope-jar} to compare with another build) with {@code --auth} and a token for each of two
 * tenants on generated logs; measures the victim tenant's dashboard document alone (one request at a time), then
 * again while the abusive tenant sends expensive documents flat out from many connections (most under the limits,
 * every fourth over the cost limit), and reports both latencies side by side and what the abuser got. Every document
 * differs from the one before (a comment), so the result cache never answers. A measurement, never an assertion.
 */
final class AbuseBench {

    static final Set<String> VALUED = Set.of("events", "seconds", "abusers", "interval-ms", "out", "seed", "start",
            "dagscope-jar");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "usage: dagscope bench abuse [--events N] [--seconds S] [--abusers C] [--interval-ms MS]",
            "                            [--dagscope-jar JAR] [--out DIR] [--keep] [--seed S] [--start ISO]",
            "",
            "The victim tenant's dashboard latency alone, then while another tenant sends expensive queries flat out.",
            "",
            "  --events N        lines of history the server reads first (default 500000)",
            "  --seconds S       how long each phase measures the victim (default 60)",
            "  --interval-ms MS  the victim's dashboard refreshes this often, or when its answer comes if later",
            "                    (default 500)",
            "  --abusers C       the abuser's concurrent connections (default 16)",
            "  --dagscope-jar J  the product's jar to serve (default server/target/dagscope.jar), e.g. an older build",
            "  --out DIR         where the logs and abuse.md go (default /tmp/dagscope-bench-abuse-<time>)",
            "  --keep            keep the generated logs",
            "  --seed S, --start ISO   the generator's seed and start (defaults as for dagscope bench)");

    /** The generator's tenants include these two. */
    static final String VICTIM_TENANT = "acme-corp";
    static final String ABUSER_TENANT = "globex";
    private static final String VICTIM_TOKEN = "victim-dashboard-token-3c1d2e5f7a9b";
    private static final String ABUSER_TOKEN = "abusive-tenant-token-8e6f4a2b0c1d";

    /** What the victim's dashboard shows, as one document: the panels' own queries. */
    static final String DASHBOARD = "query Dashboard {\n"
            + "  taskSummary { windowStart windowEnd window { succeeded failed retried errorRate avgDurationSeconds "
            + "p95DurationSeconds durations } }\n"
            + "  runCounts { asOf running paused stale }\n"
            + "  taskSeries { bucketMinutes buckets { start end runsStarted stats { succeeded failed retried errorRate "
            + "p50DurationSeconds p95DurationSeconds } } }\n"
            + "  dagRuns(first: 25) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id dagName "
            + "tenant status startedAt endedAt durationSeconds lastEventAt tasksSucceeded tasksFailed tasksRetried "
            + "error } } }\n"
            + "  tenantLoad { tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds }\n"
            + "  failures(first: 20) { signature exampleError count firstSeen lastSeen dags tenants exampleRunId "
            + "exampleTaskId }\n"
            + "}\n";

    private static final String PAGE = "dagRuns(first: 1000) { edges { cursor node { id dagName tenant status "
            + "startedAt endedAt durationSeconds taskCount tasksSucceeded tasksFailed tasksRetried error lastEventAt "
            + "tasks { taskId status startedAt endedAt durationSeconds attempts error retries { at attempt error } } } "
            + "} }";
    /** Under the default limits: a full page of runs with their tasks (about 600,000 of the 1,000,000 allowed). */
    static final String EXPENSIVE = "{ " + PAGE + " }";
    /** Over the cost limit though under the field limit: ten such pages. */
    static final String OVER = "{ " + String.join(" ", java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> "p" + i + ": " + PAGE).toList()) + " }";

    private AbuseBench() {
    }

    /** What the abuser's requests came to. */
    private static final class Tally {
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong rateLimited = new AtomicLong();
        private final AtomicLong tooCostly = new AtomicLong();
        private final AtomicLong other = new AtomicLong();

        void count(int status, String body) {
            if (status == 429) {
                rateLimited.incrementAndGet();
            } else if (body.contains("QUERY_TOO_COSTLY")) {
                tooCostly.incrementAndGet();
            } else if (status == 200 && body.startsWith("{\"data\"")) {
                answered.incrementAndGet();
            } else {
                other.incrementAndGet();
            }
        }
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        long lines = flags.wholeNumber("events", 500_000, 1_000, 100_000_000);
        int seconds = (int) flags.wholeNumber("seconds", 60, 1, 3600);
        long interval = flags.wholeNumber("interval-ms", 500, 0, 60_000);
        int abusers = (int) flags.wholeNumber("abusers", 16, 1, 1000);
        Path outDir = flags.outDir("abuse");
        Path data = outDir.resolve("data");
        out.printf("Generating %,d lines into %s...%n", lines, data);
        Workload w = Workload.generate(data, lines, flags.seed(), flags.start(), OptionalDouble.empty());
        Path tokens = Files.createDirectories(outDir).resolve("tokens.yaml");
        Files.writeString(tokens, "- name: victim\n  token_sha256: " + sha256(VICTIM_TOKEN) + "\n  tenants: ["
                + VICTIM_TENANT + "]\n- name: abuser\n  token_sha256: " + sha256(ABUSER_TOKEN) + "\n  tenants: ["
                + ABUSER_TENANT + "]\n");
        Path jar = BenchMain.dagscopeJar(flags);
        ChildJvm jvm = ChildJvm.current(Machine.cores(), jar);
        List<String> serve = List.of("serve", "--events", w.events().toString(), "--state", w.state().toString(),
                "--schedules", w.schedules().toString(), "--end", w.end().toString(), "--auth", tokens.toString(),
                "--bind", "127.0.0.1", "--port", "0");
        List<String> cmd = jvm.dagscope(null, serve);
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String base = HttpBench.serverAddress(server).get(10, TimeUnit.MINUTES);
            URI graphql = URI.create(base + "/graphql");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            AtomicLong sequence = new AtomicLong();
            String first = post(client, graphql, DASHBOARD, VICTIM_TOKEN, sequence).body();
            if (!first.startsWith("{\"data\"") || first.contains("\"errors\"")) {
                throw new IOException("the victim's dashboard document failed: " + first);
            }
            out.printf("Warming up (%d s of the victim's and the abuser's documents, one at a time)...%n",
                    seconds / 2);
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 2));
            while (System.nanoTime() < warmEnd) {
                post(client, graphql, DASHBOARD, VICTIM_TOKEN, sequence);
                post(client, graphql, EXPENSIVE, ABUSER_TOKEN, sequence);
                Thread.sleep(interval);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(10)); // the budgets the warm-up spent refill
            out.printf("Victim alone for %d s...%n", seconds);
            AtomicLong aloneFailed = new AtomicLong();
            List<Double> alone = victim(client, graphql, seconds, interval, sequence, aloneFailed);
            out.printf("Victim for %d s while the abuser sends flat out on %d connections...%n", seconds, abusers);
            Tally tally = new Tally();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < abusers; i++) {
                int index = i;
                Thread t = new Thread(() -> abuse(client, graphql, index, stop, tally, sequence), "bench-abuser-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            Thread.sleep(2_000);
            AtomicLong abusedFailed = new AtomicLong();
            List<Double> abused = victim(client, graphql, seconds, interval, sequence, abusedFailed);
            stop.set(true);
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            String md = report(jar, lines, seconds, interval, abusers, alone, aloneFailed.get(), abused,
                    abusedFailed.get(), tally);
            Files.writeString(outDir.resolve("abuse.md"), md);
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

    /**
     * The victim's dashboard document, one request at a time for a while, at most one per interval (a dashboard
     * refreshing): each answer's latency in ms.
     */
    private static List<Double> victim(HttpClient client, URI graphql, int seconds, long intervalMillis,
            AtomicLong sequence, AtomicLong failures) throws IOException, InterruptedException {
        List<Double> millis = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(client, graphql, DASHBOARD, VICTIM_TOKEN, sequence);
            double ms = (System.nanoTime() - t0) / 1e6;
            millis.add(ms);
            long next = t0 + TimeUnit.MILLISECONDS.toNanos(intervalMillis) - System.nanoTime();
            if (next > 0) {
                TimeUnit.NANOSECONDS.sleep(next);
            }
            if (r.statusCode() != 200 || !r.body().startsWith("{\"data\"") || r.body().contains("\"errors\"")) {
                failures.incrementAndGet();
            }
        }
        Collections.sort(millis);
        return millis;
    }

    /** One abusive connection: expensive documents back to back, every fourth over the cost limit, no waiting. */
    private static void abuse(HttpClient client, URI graphql, int index, AtomicBoolean stop, Tally tally,
            AtomicLong sequence) {
        for (long n = index; !stop.get(); n++) {
            try {
                HttpResponse<String> r = post(client, graphql, n % 4 == 3 ? OVER : EXPENSIVE, ABUSER_TOKEN, sequence);
                tally.count(r.statusCode(), r.body());
            } catch (IOException e) {
                tally.other.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI graphql, String document, String token,
            AtomicLong sequence) throws IOException, InterruptedException {
        // a comment makes every document new, so neither cache answers it
        String query = document + "# " + sequence.incrementAndGet();
        String body = "{\"query\": " + jsonString(query) + "}";
        HttpRequest request = HttpRequest.newBuilder(graphql).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String report(Path jar, long lines, int seconds, long interval, int abusers, List<Double> alone,
            long aloneFailed, List<Double> abused, long abusedFailed, Tally tally) {
        double aloneP99 = rank(alone, 0.99);
        double abusedP99 = rank(abused, 0.99);
        return BenchReport.f("## dagscope bench abuse%n%n"
                + "`dagscope serve --auth` (%s) on %,d generated lines; the victim tenant (%s) sends its dashboard "
                + "document (6 panels in one document, never cached) every %d ms (or when its answer comes, if later) "
                + "for %d s alone, then for "
                + "%d s while the abusive tenant (%s) sends pages of 1000 runs with their tasks (every fourth ten of "
                + "them, over the cost limit) flat out on %d connections, not waiting for Retry-After. Machine: %s, "
                + "load average %s at the end.%n%n"
                + "| victim's dashboard | answers | failed | p50 ms | p90 ms | p99 ms | max ms |%n"
                + "|---|---:|---:|---:|---:|---:|---:|%n"
                + "| alone | %d | %d | %.1f | %.1f | %.1f | %.1f |%n"
                + "| under abuse | %d | %d | %.1f | %.1f | %.1f | %.1f |%n%n"
                + "p99 under abuse / p99 alone: **%.2f**%n%n"
                + "| abuser's requests | count |%n|---|---:|%n| answered | %d |%n| refused: rate or concurrency "
                + "budget (429) | %d |%n| refused: over the cost limit | %d |%n"
                + "| other (errors, 503, timeouts) | %d |%n",
                jar, lines, VICTIM_TENANT, interval, seconds, seconds, ABUSER_TENANT, abusers,
                Machine.cpuModel() + ", " + Machine.cores() + " cores", Machine.loadAverage(),
                alone.size(), aloneFailed, rank(alone, 0.5), rank(alone, 0.9), aloneP99,
                alone.get(alone.size() - 1), abused.size(), abusedFailed, rank(abused, 0.5), rank(abused, 0.9),
                abusedP99, abused.get(abused.size() - 1),
                abusedP99 / aloneP99, tally.answered.get(), tally.rateLimited.get(), tally.tooCostly.get(),
                tally.other.get());
    }

    private static double rank(List<Double> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
