package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.ingest.LiveAnalytics;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code dagscope bench decode}: one large runner log read with 1, 2, ... decoding threads (the JSONL source's
 * {@code decode_threads}), each in a JVM of its own with the launcher's options: once only read and decoded (into a
 * sink that counts), once folded into an engine as well. It shows what splitting one file across threads buys for
 * decoding alone, and what is left of it for the whole ingest, where one thread folds in file order. The engine's
 * answers must be the same whatever the thread count, else the run is void.
 *
 * <p>Last, the bound of splitting the fold too: the log cut in two halves at a line boundary, each folded into an
 * engine of its own on a thread of its own at the same time. No merge is done, so this is what splitting the fold and
 * merging partial aggregates could buy at best on the machine.
 */
final class DecodeBench {

    static final Set<String> VALUED = Set.of("events", "threads", "runs", "out", "seed", "start");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "dagscope bench decode [--events N] [--threads T[,T...]] [--runs R] [--out DIR] [--keep] [--seed S]",
            "                      [--start ISO]",
            "",
            "Reads the runner log of N generated lines (default 2,000,000) through the product's JSONL source with",
            "each decoding thread count (default 1 up to the processors), R times in turns (default 3; medians",
            "reported): decoded only, and decoded and folded into an engine; then the log's two halves folded into",
            "two engines at once (the bound of splitting the fold). Writes decode.md and decode.json to --out.",
            "Exit status 1 if the engine's answers differ between thread counts.");

    /** The answers compared between thread counts. */
    private static final String DOCUMENT = "{ taskSummary { allTime { started succeeded failed retried errorRate "
            + "avgDurationSeconds p50DurationSeconds p95DurationSeconds p99DurationSeconds } } "
            + "dagRuns(first: 20) { totalCount nodes { dagRunId status } } }";

    private DecodeBench() {
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        long lines = flags.wholeNumber("events", 2_000_000, 1, 2_000_000_000);
        String defaultThreads = String.join(",", java.util.stream.IntStream.rangeClosed(1, Math.max(2,
                Machine.cores())).mapToObj(Integer::toString).toList());
        List<Integer> threads = flags.wholeNumbers("threads", defaultThreads, 1, 64).stream()
                .map(Long::intValue).toList();
        int runs = (int) flags.wholeNumber("runs", 3, 1, 100);
        long seed = flags.seed();
        Instant start = flags.start();
        Path outDir = flags.outDir("decode");
        Path data = outDir.resolve("data");
        out.printf("Generating %,d lines into %s...%n", lines, data);
        Workload w = Workload.generate(data, lines, seed, start, OptionalDouble.empty());
        long bytes = Files.size(w.events());
        Path[] halves = halves(w.events(), data);
        ChildJvm jvm = ChildJvm.current(Machine.cores(), Path.of("unused"));
        ObjectNode summary = Workers.JSON.createObjectNode();
        summary.put("at", Instant.now().toString());
        summary.put("loadAverageBefore", Machine.loadAverage());
        summary.put("jvmOptions", String.join(" ", jvm.jvmOptions()));
        summary.put("cores", Machine.cores());
        summary.put("generateCommand", w.generateCommand());
        summary.put("bytes", bytes);
        ArrayNode samples = summary.putArray("samples");
        String reference = null;
        boolean valid = true;
        for (int r = 1; r <= runs; r++) {
            for (int t : threads) {
                for (String mode : List.of("read", "ingest")) {
                    List<String> cmd = jvm.bench(null, List.of("worker-decode", w.events().toString(),
                            Integer.toString(t), mode, w.end().toString()));
                    MeasuredProcess p = MeasuredProcess.run(cmd, outDir, Duration.ofHours(1));
                    if (p.exitCode() != 0) {
                        throw new IOException("the worker exited with " + p.exitCode() + ":\n" + p.stderr());
                    }
                    ObjectNode s = (ObjectNode) Workers.JSON.readTree(p.stdout().strip());
                    s.put("threads", t);
                    s.put("mode", mode);
                    s.put("run", r);
                    s.put("peakRssBytes", p.peakRssBytes());
                    samples.add(s);
                    out.printf("run %d, %d thread(s), %s: %.2f s, %.2f CPU-s%n", r, t, mode,
                            s.path("nanos").asLong() / 1e9, s.path("cpuNanos").asLong() / 1e9);
                    if (mode.equals("ingest")) {
                        String answers = s.path("answers").toString();
                        if (reference == null) {
                            reference = answers;
                        } else if (!reference.equals(answers)) {
                            valid = false;
                            out.println("VOID: the answers with " + t + " thread(s) differ:\n  " + reference + "\n  "
                                    + answers);
                        }
                    }
                }
            }
            List<String> cmd = jvm.bench(null, List.of("worker-decode", halves[0] + "," + halves[1], "1", "halves",
                    w.end().toString()));
            MeasuredProcess p = MeasuredProcess.run(cmd, outDir, Duration.ofHours(1));
            if (p.exitCode() != 0) {
                throw new IOException("the worker exited with " + p.exitCode() + ":\n" + p.stderr());
            }
            ObjectNode s = (ObjectNode) Workers.JSON.readTree(p.stdout().strip());
            s.put("threads", 1);
            s.put("mode", "halves");
            s.put("run", r);
            samples.add(s);
            out.printf("run %d, two halves folded at once: %.2f s, %.2f CPU-s%n", r, s.path("nanos").asLong() / 1e9,
                    s.path("cpuNanos").asLong() / 1e9);
        }
        summary.put("valid", valid);
        summary.put("loadAverageAfter", Machine.loadAverage());
        String md = markdown(summary, threads, lines);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("decode.json"), Workers.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summary));
        Files.writeString(outDir.resolve("decode.md"), md);
        out.println();
        out.println(md);
        out.println("Wrote " + outDir.resolve("decode.md"));
        if (!flags.has("keep")) {
            Machine.deleteTree(data);
        }
        return valid ? 0 : 1;
    }

    static String markdown(JsonNode summary, List<Integer> threads, long lines) {
        StringBuilder b = new StringBuilder("## One runner log, by decoding threads\n\n");
        b.append(BenchReport.f("%,d lines generated (`%s`), runner log %,.1f MB; %d cores; JVM options `%s`; "
                + "load average %s before, %s after; answers %s.%n%n", lines,
                summary.path("generateCommand").asText(), summary.path("bytes").asLong() / 1e6,
                summary.path("cores").asInt(), summary.path("jvmOptions").asText(),
                summary.path("loadAverageBefore").asText(), summary.path("loadAverageAfter").asText(),
                summary.path("valid").asBoolean() ? "identical for every thread count (VALID)" : "DIFFERENT (VOID)"));
        b.append("| decoding threads | read + decode s | lines/s | MB/s | CPU s | speed-up | read + decode + fold s "
                + "| lines/s | CPU s | speed-up |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double[] base = null;
        for (int t : threads) {
            double[] read = medians(summary, t, "read");
            double[] ingest = medians(summary, t, "ingest");
            if (base == null) {
                base = new double[] {read[0], ingest[0]};
            }
            double mb = summary.path("bytes").asLong() / 1e6;
            b.append(BenchReport.f("| %d | %.2f | %,.0f | %.1f | %.2f | %.2f× | %.2f | %,.0f | %.2f | %.2f× |%n", t,
                    read[0], read[2] / read[0], mb / read[0], read[1], base[0] / read[0], ingest[0],
                    ingest[2] / ingest[0], ingest[1], base[1] / ingest[0]));
        }
        double[] halves = medians(summary, 1, "halves");
        b.append(BenchReport.f("| two halves, each folded by an engine of its own at once (no merge) | | | | | | %.2f "
                + "| %,.0f | %.2f | %.2f× |%n", halves[0], halves[2] / halves[0], halves[1], base[1] / halves[0]));
        b.append("\nWall and CPU time are medians, measured inside each JVM around the poll (start-up excluded); "
                + "lines/s counts the lines read (events, ignored and skipped). The last row bounds what splitting "
                + "the fold and merging partial aggregates could buy here: the merge itself is not done or counted.\n");
        return b.toString();
    }

    /** @return median seconds, median CPU seconds, lines */
    private static double[] medians(JsonNode summary, int threads, String mode) {
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        double lines = 0;
        for (JsonNode s : summary.path("samples")) {
            if (s.path("threads").asInt() == threads && s.path("mode").asText().equals(mode)) {
                wall.add(s.path("nanos").asLong() / 1e9);
                cpu.add(s.path("cpuNanos").asLong() / 1e9);
                lines = s.path("lines").asLong();
            }
        }
        return new double[] {ColdIngestBench.median(wall.stream().mapToDouble(d -> d).toArray()),
            ColdIngestBench.median(cpu.stream().mapToDouble(d -> d).toArray()), lines};
    }

    /** Cuts the log in two at the line boundary nearest its middle. */
    static Path[] halves(Path log, Path dir) throws IOException {
        Path first = dir.resolve("half-1.jsonl");
        Path second = dir.resolve("half-2.jsonl");
        try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(log)) {
            long size = in.size();
            java.nio.ByteBuffer probe = java.nio.ByteBuffer.allocate(1 << 20);
            in.read(probe, size / 2);
            long cut = size;
            for (int i = 0; i < probe.position(); i++) {
                if (probe.get(i) == '\n') {
                    cut = size / 2 + i + 1;
                    break;
                }
            }
            try (java.nio.channels.FileChannel a = java.nio.channels.FileChannel.open(first,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
                    java.nio.channels.FileChannel b = java.nio.channels.FileChannel.open(second,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                transfer(in, 0, cut, a);
                transfer(in, cut, size - cut, b);
            }
        }
        return new Path[] {first, second};
    }

    private static void transfer(java.nio.channels.FileChannel from, long position, long count,
            java.nio.channels.FileChannel to) throws IOException {
        long done = 0;
        while (done < count) {
            done += from.transferTo(position + done, count - done, to);
        }
    }

    /**
     * The worker: reads the log once with the given decoding threads. Arguments: log threads mode(read|ingest) end.
     * Prints one JSON object: nanos, cpuNanos, lines, events and, for {@code ingest}, the answers.
     */
    static void worker(List<String> args, PrintStream out) throws Exception {
        String threads = args.get(1);
        boolean fold = args.get(2).equals("ingest");
        Clock clock = Clock.fixed(Instant.parse(args.get(3)), ZoneOffset.UTC);
        if (args.get(2).equals("halves")) {
            out.println(Workers.JSON.writeValueAsString(foldHalves(args.get(0).split(","), clock)));
            return;
        }
        EventSource source = source(Path.of(args.get(0)), threads, clock);
        ObjectNode result = Workers.JSON.createObjectNode();
        long[] events = {0};
        long cpu0 = Workers.processCpuNanos();
        long t0 = System.nanoTime();
        if (fold) {
            try (Ingestor ingestor = new Ingestor(new AnalyticsEngine(EngineSettings.DEFAULTS, clock))) {
                ingestor.add(source);
                events[0] = ingestor.pollOnce();
                long nanos = System.nanoTime() - t0;
                long cpu = Workers.processCpuNanos() - cpu0;
                result.put("nanos", nanos);
                result.put("cpuNanos", cpu);
                GraphQlApi api = GraphQlApi.of(new LiveAnalytics(ingestor));
                result.set("answers", Workers.JSON.valueToTree(api.execute(DOCUMENT, Map.of(), null,
                        TenantScope.ALL)));
                result.put("lines", lines(source));
            }
        } else {
            try (source) {
                source.poll(e -> events[0]++);
                result.put("nanos", System.nanoTime() - t0);
                result.put("cpuNanos", Workers.processCpuNanos() - cpu0);
                result.put("lines", lines(source));
            }
        }
        result.put("events", events[0]);
        out.println(Workers.JSON.writeValueAsString(result));
    }

    private static EventSource source(Path log, String threads, Clock clock) {
        SourceFactories factories = SourceFactories.discover(DecodeBench.class.getClassLoader());
        return factories.create(SourceLocation.parse(log.toString()), Map.of("decode_threads", threads),
                new SourceContext("events", log.toString(), false, SourceContext.DEFAULT_MAX_LINE_BYTES, clock));
    }

    /** Each file folded into an engine of its own, all at once, one thread each. */
    private static ObjectNode foldHalves(String[] files, Clock clock) throws Exception {
        List<Ingestor> ingestors = new ArrayList<>();
        List<EventSource> sources = new ArrayList<>();
        for (String f : files) {
            Ingestor ingestor = new Ingestor(new AnalyticsEngine(EngineSettings.DEFAULTS, clock));
            EventSource source = source(Path.of(f), "1", clock);
            ingestor.add(source);
            ingestors.add(ingestor);
            sources.add(source);
        }
        long cpu0 = Workers.processCpuNanos();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        long[] events = new long[files.length];
        for (int i = 0; i < files.length; i++) {
            int k = i;
            Thread t = new Thread(() -> events[k] = ingestors.get(k).pollOnce(), "fold-" + k);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        ObjectNode result = Workers.JSON.createObjectNode();
        result.put("nanos", System.nanoTime() - t0);
        result.put("cpuNanos", Workers.processCpuNanos() - cpu0);
        long lines = 0;
        for (EventSource s : sources) {
            lines += lines(s);
        }
        result.put("lines", lines);
        result.put("events", java.util.Arrays.stream(events).sum());
        ingestors.forEach(Ingestor::close);
        return result;
    }

    private static long lines(EventSource source) {
        var status = source.status();
        return status.eventsRead() + status.linesSkipped();
    }
}
