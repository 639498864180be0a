package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dagscope bench snapshot}: what snapshots cost and save, measured on {@code dagscope serve} itself (the
 * product's jar, the launcher's JVM options) over generated logs. A measurement, never an assertion.
 *
 * <ol>
 * <li>A server reads the logs ({@code --snapshot-dir}, the first snapshot due 60 s after it starts): the time from
 * starting the process to {@code /health/ready} answering 200 and to its first answer.</li>
 * <li>While that server writes its snapshot, query threads ask documents that miss the answer cache (each moves the
 * window's end by a random minute) back to back: the longest any query took while the snapshot was written, beside
 * the longest before it. The snapshot's size and write time come from the server's own log line.</li>
 * <li>The server is stopped (SIGTERM) and started again on the same folder: the time to ready and to the first answer
 * from the snapshot, and the dashboard document's answer, which must equal the first server's (else VOID).</li>
 * </ol>
 */
final class SnapshotBench {

    static final Set<String> VALUED = Set.of("events", "rate", "query-threads", "out", "seed", "start",
            "dagscope-jar");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "usage: dagscope bench snapshot [--events N] [--rate R] [--query-threads Q] [--out DIR] [--keep]",
            "                               [--seed S] [--start ISO]",
            "",
            "Snapshots of dagscope serve: start to ready and first answer from the logs and from a snapshot, the",
            "snapshot's size and write time, and the longest query while it is written.",
            "",
            "  --events N          lines over both logs (default 10000000)",
            "  --rate R            lines a minute (default 180, the generator's: 10 M lines are 38 days, so the",
            "                      default retention binds and the heap holds the state bench's history)",
            "  --query-threads Q   threads querying while the snapshot is written (default 2)",
            "  --out DIR           where the logs, the snapshots and snapshot.md go",
            "                      (default /tmp/dagscope-bench-snapshot-<time>)",
            "  --keep              keep the generated logs and snapshots",
            "  --seed S, --start ISO   the generator's seed and start (defaults as for dagscope bench)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WRITTEN = Pattern.compile(
            "snapshot (snapshot-\\S+): (\\d+) events, (\\d+) bytes, written in (\\d+) ms");

    private SnapshotBench() {
    }

    /** A query's start and end, in nanoseconds of {@link System#nanoTime()}. */
    private record Timed(long start, long end) {
        double millis() {
            return (end - start) / 1e6;
        }
    }

    /** A running {@code dagscope serve}: its process, when it was started, its address and where its output goes. */
    private record Server(Process process, long startedNanos, String base, Path log) {

        /** @return what it has written so far */
        List<String> output() {
            try {
                return Files.readAllLines(log);
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        long lines = flags.wholeNumber("events", 10_000_000, 10_000, 200_000_000);
        int threads = (int) flags.wholeNumber("query-threads", 2, 1, 64);
        Path outDir = flags.outDir("snapshot");
        Path data = outDir.resolve("data");
        Path snapshots = outDir.resolve("snapshots");
        String loadBefore = Machine.loadAverage();
        out.printf("Generating %,d lines into %s...%n", lines, data);
        double rate = flags.number("rate", 180, 1, 10_000_000);
        Workload w = Workload.generate(data, lines, flags.seed(), flags.start(), OptionalDouble.of(rate));
        ChildJvm jvm = ChildJvm.current(Machine.cores(), BenchMain.dagscopeJar(flags));
        List<String> args = List.of("serve", "--events", w.events().toString(), "--state", w.state().toString(),
                "--schedules", w.schedules().toString(), "--end", w.end().toString(), "--bind", "127.0.0.1",
                "--port", "0", "--snapshot-dir", snapshots.toString(), "--snapshot-every", "60s",
                "--snapshot-every-events", String.valueOf(Long.MAX_VALUE),
                // one caller sends queries back to back on purpose: what is measured is the pause a snapshot causes,
                // not the fair sharing that would otherwise ration it (429)
                "--caller-cost-per-second", "1000000000", "--caller-burst-cost", "10000000000");
        HttpClient client = HttpClient.newHttpClient();
        String dashboard = dashboard(w.end());
        try {
            // 1. from the logs
            out.println("Starting dagscope serve on the logs...");
            Server first = start(jvm, args, outDir.resolve("serve-1.log"));
            double logsReady = untilReady(client, first);
            double logsAnswer = untilAnswer(client, first, dashboard);
            JsonNode want = graphql(client, first.base(), dashboard);

            // 2. queries while the snapshot is written
            out.println("Querying until the first snapshot is written...");
            List<Timed> timed = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean querying = new AtomicBoolean(true);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    while (querying.get()) {
                        String doc = uncached(w.end());
                        long t0 = System.nanoTime();
                        try {
                            graphql(client, first.base(), doc);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        } catch (InterruptedException e) {
                            return;
                        }
                        timed.add(new Timed(t0, System.nanoTime()));
                    }
                }, "bench-query-" + i);
                t.setDaemon(true);
                t.start();
                workers.add(t);
            }
            long[] window = watchWrite(snapshots, first, Duration.ofMinutes(10));
            Matcher written = awaitLine(first, WRITTEN, Duration.ofMinutes(1));
            Thread.sleep(1000);
            querying.set(false);
            for (Thread t : workers) {
                t.join(60_000);
            }
            long writeMillis = Long.parseLong(written.group(4));
            long bytes = Long.parseLong(written.group(3));
            long writeStart = window[0];
            long writtenAt = window[1];
            double during = 0;
            double before = 0;
            int duringCount = 0;
            List<Double> all = new ArrayList<>();
            synchronized (timed) {
                for (Timed q : timed) {
                    all.add(q.millis());
                    if (q.end() >= writeStart && q.start() <= writtenAt) {
                        during = Math.max(during, q.millis());
                        duringCount++;
                    } else if (q.end() < writeStart) {
                        before = Math.max(before, q.millis());
                    }
                }
            }
            Collections.sort(all);
            stop(first);

            // 3. from the snapshot
            out.println("Starting dagscope serve again, from the snapshot...");
            Server second = start(jvm, args, outDir.resolve("serve-2.log"));
            double snapReady = untilReady(client, second);
            double snapAnswer = untilAnswer(client, second, dashboard);
            JsonNode got = graphql(client, second.base(), dashboard);
            boolean started = String.join("\n", second.output()).contains("started from snapshot");
            stop(second);
            boolean valid = want.equals(got) && started;

            String md = BenchReport.f("## dagscope bench snapshot%n%n%,d lines, %.1f MB over both logs "
                    + "(`dagscope generate --events %d --rate %.0f --seed %d --start %s`); `dagscope serve` with the "
                    + "launcher's "
                    + "JVM options (`%s`) and `--snapshot-dir`; machine: %s; load average %s before, %s after. "
                    + "**%s**: the server started from the snapshot %s the first server's answers to the dashboard "
                    + "document.%n%n"
                    + "| | from the logs | from the snapshot |%n|---|---:|---:|%n"
                    + "| start to `/health/ready` 200 | %.2f s | %.2f s |%n"
                    + "| start to the first answer (dashboard document) | %.2f s | %.2f s |%n%n"
                    + "| the snapshot | |%n|---|---:|%n"
                    + "| size | %,d bytes (%.1f MB; %.1f MB per million lines) |%n"
                    + "| written in (the server's log) | %,d ms |%n"
                    + "| longest query while it was written (%d queries overlapping it, %d threads, uncached) "
                    + "| %.1f ms |%n"
                    + "| longest query before it | %.1f ms |%n"
                    + "| queries over the run: p50 / p99 | %.1f / %.1f ms |%n",
                    w.lines(), w.bytes() / 1e6, w.lines(), rate, w.seed(), w.start(),
                    String.join(" ", jvm.jvmOptions()),
                    Machine.cpuModel() + ", " + Machine.cores() + " cores", loadBefore, Machine.loadAverage(),
                    valid ? "VALID" : "VOID", valid ? "gave" : "did NOT give (or did not start from the snapshot)",
                    logsReady, snapReady, logsAnswer, snapAnswer, bytes, bytes / 1e6, bytes / 1e6 / (w.lines() / 1e6),
                    writeMillis, duringCount, threads, during, before, rank(all, 0.5), rank(all, 0.99));
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("snapshot.md"), md);
            out.println();
            out.print(md);
            return valid ? 0 : 1;
        } finally {
            if (!flags.has("keep")) {
                Machine.deleteTree(data);
                Machine.deleteTree(snapshots);
            }
        }
    }

    private static Server start(ChildJvm jvm, List<String> args, Path log) throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(jvm.dagscope(null, args)).redirectErrorStream(true).start();
        CompletableFuture<String> address = HttpBench.serverAddress(p, log);
        try {
            String base = address.get(30, TimeUnit.MINUTES);
            return new Server(p, t0, base, log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("dagscope serve did not start: " + e.getMessage() + "; see " + log, e);
        }
    }

    /**
     * Watches the snapshot folder until a snapshot's temporary file appears and then is gone (renamed into place):
     * the write's start and end, in {@link System#nanoTime()}, to a few milliseconds.
     */
    private static long[] watchWrite(Path folder, Server server, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        long started = -1;
        while (System.nanoTime() < deadline) {
            boolean writing = false;
            if (Files.isDirectory(folder)) {
                try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(folder,
                        ".snapshot-*.tmp-*")) {
                    writing = entries.iterator().hasNext();
                }
            }
            long now = System.nanoTime();
            if (writing && started < 0) {
                started = now;
            } else if (!writing && started >= 0) {
                return new long[] {started, now};
            }
            if (!server.process().isAlive()) {
                throw new IOException("dagscope serve exited: " + String.join("\n", server.output()));
            }
            Thread.sleep(2);
        }
        throw new IOException("no snapshot was written within " + limit);
    }

    private static Matcher awaitLine(Server server, Pattern pattern, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : server.output()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            if (!server.process().isAlive()) {
                throw new IOException("dagscope serve exited: " + String.join("\n", server.output()));
            }
            Thread.sleep(20);
        }
        throw new IOException("no line matching " + pattern + " within " + limit);
    }

    /** Seconds from starting the process to {@code /health/ready} answering 200. */
    private static double untilReady(HttpClient client, Server server) throws Exception {
        while (true) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.base() + "/health/ready"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return (System.nanoTime() - server.startedNanos()) / 1e9;
            }
            Thread.sleep(5);
        }
    }

    /** Seconds from starting the process to the first answer to a document. */
    private static double untilAnswer(HttpClient client, Server server, String document) throws Exception {
        graphql(client, server.base(), document);
        return (System.nanoTime() - server.startedNanos()) / 1e9;
    }

    private static void stop(Server server) throws InterruptedException {
        server.process().destroy(); // SIGTERM: a clean stop
        if (!server.process().waitFor(5, TimeUnit.MINUTES)) {
            server.process().destroyForcibly();
        }
    }

    private static JsonNode graphql(HttpClient client, String base, String document)
            throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", document))))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || body.has("errors")) {
            throw new IOException("the query failed: " + r.statusCode() + " " + r.body());
        }
        return body.get("data");
    }

    private static String dashboard(Instant end) {
        String w = "{hours: 24, end: \"" + end + "\"}";
        return "{ taskSummary(window: " + w + ") { allTime { started succeeded failed errorRate p95DurationSeconds } "
                + "window { started succeeded failed errorRate p50DurationSeconds p95DurationSeconds } } "
                + "tenantLoad(window: " + w + ") { tenant runs tasks errorRate } "
                + "dagRuns(first: 20) { totalCount edges { node { id status startedAt endedAt tasks { taskId status } "
                + "} } } schedules(window: " + w + ") { id lastStatus missedRuns } sources { name eventsRead } }";
    }

    /** A document that misses the answer cache: its window ends at a random minute of the last day. */
    private static String uncached(Instant end) {
        Instant e = end.minus(ThreadLocalRandom.current().nextInt(1440), ChronoUnit.MINUTES);
        String w = "{hours: " + (1 + ThreadLocalRandom.current().nextInt(24)) + ", end: \"" + e + "\"}";
        return "{ taskSummary(window: " + w + ") { window { started succeeded failed p95DurationSeconds } } "
                + "tenantLoad(window: " + w + ") { tenant runs } dagRuns(first: 20, filter: {startedBefore: \"" + e
                + "\"}) { edges { node { id status } } } }";
    }

    private static double rank(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
