package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code dagscope bench}: generates a log, then measures, on the same files and machine, in turns:
 * <ol>
 * <li>dagscope as a whole process: {@code java <launcher options> -jar dagscope.jar query ... '<dashboard>'}, start to
 * answers;</li>
 * <li>dagscope in-process (a JVM of its own): ingest through the source SPI, then the dashboard's document through the
 * GraphQL API, timed apart from JVM start-up;</li>
 * <li>DuckDB in-process via JDBC (a JVM of its own), {@code SET threads} to the same count, the same numbers in
 * SQL;</li>
 * </ol>
 * then compares every run's answers with DuckDB's and reports speeds only if they all agree. Optionally it also
 * measures a cached query over HTTP with {@code wrk} ({@link HttpBench}).
 */
final class ColdIngestBench {

    static final Set<String> VALUED = Set.of("events", "size", "threads", "runs", "out", "seed", "start", "hours",
            "dagscope-jar", "http-seconds", "http-connections");
    static final Set<String> TOGGLES = Set.of("keep", "help", "http-profile");

    static final String USAGE = String.join("\n",
            "dagscope bench [--events N | --size SIZE] [--threads T] [--runs R] [--out DIR] [--keep]",
            "               [--seed S] [--start ISO] [--hours H] [--http-seconds S] [--http-connections C]",
            "               [--http-profile] [--dagscope-jar PATH]",
            "",
            "Generates a log (new format, state log too), then measures dagscope (whole process and in-process) and",
            "DuckDB on it side by side, checks that their answers agree within METRICS.md's tolerances (else the run",
            "is VOID), and prints a table; writes summary.json and summary.md into --out.",
            "",
            "  --events N          lines over both logs (default 1,000,000)",
            "  --size SIZE         instead of --events: about this many bytes over both logs, e.g. 1GB, 500MB, 2GiB",
            "  --threads T         DuckDB's SET threads, and -XX:ActiveProcessorCount of every measured JVM",
            "                      (default: the processors this JVM sees)",
            "  --runs R            measure each side R times, in turns; medians are reported (default 3)",
            "  --out DIR           where the summary (and the generated logs, under data/) go",
            "                      (default /tmp/dagscope-bench-<time>)",
            "  --keep              keep the generated logs (default: deleted at the end)",
            "  --seed S            the generator's seed (default 42)",
            "  --start ISO         the generator's first instant (default 2026-01-05T00:00:00Z)",
            "  --hours H           the dashboard's window length (default 24; the window ends a minute after the",
            "                      last line)",
            "  --http-seconds S    how long wrk loads dagscope serve (default 15; 0 skips the HTTP figures)",
            "  --http-connections C  wrk's connections (default 16)",
            "  --http-profile      record the server with JFR while wrk runs, and summarise where its time goes",
            "  --dagscope-jar PATH the product's jar (default server/target/dagscope.jar under the launcher's folder)",
            "",
            "Other modes: dagscope bench state --help; dagscope bench profile --help; dagscope bench freshness --help;",
            "             dagscope bench abuse --help (one tenant flat out against another's dashboard);",
            "             dagscope bench decode --help (one large file on several threads);",
            "             dagscope bench jmh [JMH options] (e.g. -h, -l, -f 1 -wi 3 -i 5 Decode)");

    private static final String[] SYSTEMS = {"dagscope process", "dagscope in-process", "DuckDB process",
        "DuckDB in-process"};

    private ColdIngestBench() {
    }

    /** One measurement of one side. */
    record Sample(double wallSeconds, double cpuSeconds, long peakRssBytes, long peakHeapBytes,
            double ingestSeconds, double querySeconds) {
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        if (flags.has("events") && flags.has("size")) {
            throw new Flags.UsageError("give --events or --size, not both");
        }
        int threads = (int) flags.wholeNumber("threads", Machine.cores(), 1, 1024);
        int runs = (int) flags.wholeNumber("runs", 3, 1, 100);
        long seed = flags.seed();
        Instant start = flags.start();
        double hours = flags.number("hours", 24, 1.0 / 60, 876_000);
        int httpSeconds = (int) flags.wholeNumber("http-seconds", 15, 0, 600);
        int httpConnections = (int) flags.wholeNumber("http-connections", 16, 1, 10_000);
        Path outDir = flags.outDir("");
        ChildJvm jvm = ChildJvm.current(threads, BenchMain.dagscopeJar(flags));
        Path data = outDir.resolve("data");
        Path scratch = outDir.resolve("scratch");
        Files.createDirectories(scratch);

        String loadBefore = Machine.loadAverage();
        long lines;
        if (flags.has("size")) {
            long bytes = Flags.size(flags.value("size").get());
            out.printf("Sizing: sampling the generator to find how many lines make %,d bytes...%n", bytes);
            lines = Workload.linesForSize(outDir.resolve("sizing"), bytes, seed, start);
        } else {
            lines = flags.wholeNumber("events", 1_000_000, 1, 2_000_000_000);
        }
        out.printf("Generating %,d lines (seed %d, start %s) into %s...%n", lines, seed, start, data);
        Workload w = Workload.generate(data, lines, seed, start, OptionalDouble.empty());
        out.printf("  %,d lines, %,.1f MB in %.1f s; window: %s h ending %s%n", w.lines(), w.bytes() / 1e6,
                w.generateNanos() / 1e9, hours, w.end());
        Path defined = scratch.resolve("defined-schedules.txt");
        Files.write(defined, w.definedScheduleIds());
        long checksumEvents = LineOrderChecksum.of(w.events());
        long checksumState = LineOrderChecksum.of(w.state());
        String document = DashboardQuery.document(hours, w.end());

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (String s : SYSTEMS) {
            samples.put(s, new ArrayList<>());
        }
        Set<String> differences = new LinkedHashSet<>();
        Answers reference = null;
        List<Answers> dagscopeAnswers = new ArrayList<>();
        long events = -1;
        String duckDbVersion = "";
        Duration timeout = Duration.ofHours(2);

        out.println("Measuring JVM start-up: dagscope query on empty logs...");
        Path emptyEvents = Files.writeString(scratch.resolve("empty_events.jsonl"), "");
        Path emptyState = Files.writeString(scratch.resolve("empty_state.jsonl"), "");
        MeasuredProcess startup = MeasuredProcess.run(jvm.dagscope(null, List.of("query", "--events",
                emptyEvents.toString(), "--state", emptyState.toString(), "--end", w.end().toString(), "--compact",
                "{ windowOf { start } }")), scratch, timeout);
        check(startup, "dagscope query on empty logs");

        for (int r = 1; r <= runs; r++) {
            out.printf("Run %d of %d: dagscope process...%n", r, runs);
            Path gc = scratch.resolve("gc-dagscope-" + r + ".log");
            MeasuredProcess p = MeasuredProcess.run(jvm.dagscope(gc, List.of("query", "--events",
                    w.events().toString(), "--state", w.state().toString(), "--schedules", w.schedules().toString(),
                    "--end", w.end().toString(), "--compact", document)), scratch, timeout);
            check(p, "dagscope query");
            Answers a = DashboardQuery.answers(Workers.JSON.readTree(p.stdout()));
            dagscopeAnswers.add(a);
            samples.get(SYSTEMS[0]).add(new Sample(p.wallNanos() / 1e9, p.cpuSeconds(), p.peakRssBytes(),
                    GcLog.read(gc).peakUsedBytes(), Double.NaN, Double.NaN));

            out.printf("Run %d of %d: dagscope in-process...%n", r, runs);
            gc = scratch.resolve("gc-inprocess-" + r + ".log");
            p = MeasuredProcess.run(jvm.bench(gc, List.of("worker-ingest", w.events().toString(),
                    w.state().toString(), w.schedules().toString(), w.end().toString(), Double.toString(hours))),
                    scratch, timeout);
            check(p, "the in-process worker");
            JsonNode j = Workers.JSON.readTree(p.stdout());
            dagscopeAnswers.add(DashboardQuery.answers(j.path("response")));
            double ingest = j.path("ingestNanos").asLong() / 1e9;
            double query = j.path("queryNanos").asLong() / 1e9;
            samples.get(SYSTEMS[1]).add(new Sample(ingest + query, j.path("ingestCpuNanos").asLong() / 1e9,
                    p.peakRssBytes(), GcLog.read(gc).peakUsedBytes(), ingest, query));

            out.printf("Run %d of %d: DuckDB...%n", r, runs);
            gc = scratch.resolve("gc-duckdb-" + r + ".log");
            p = MeasuredProcess.run(jvm.bench(gc, List.of("worker-duckdb", w.events().toString(),
                    w.state().toString(), defined.toString(), w.end().toString(), Double.toString(hours),
                    Integer.toString(threads))), scratch, timeout);
            check(p, "the DuckDB worker");
            j = Workers.JSON.readTree(p.stdout());
            Answers d = Workers.JSON.treeToValue(j.path("answers"), Answers.class);
            if (j.path("orderChecksumEvents").asLong() != checksumEvents
                    || j.path("orderChecksumState").asLong() != checksumState) {
                differences.add("DuckDB's row numbers are not the line numbers (order checksum differs): its task "
                        + "durations cannot be trusted");
            }
            duckDbVersion = j.path("version").asText();
            if (reference == null) {
                reference = d;
                events = d.events();
            } else {
                differences.addAll(AnswerComparison.differences(d, reference, "DuckDB run " + r, "DuckDB run 1"));
            }
            double load = j.path("loadNanos").asLong() / 1e9;
            double dq = j.path("queryNanos").asLong() / 1e9;
            long heap = GcLog.read(gc).peakUsedBytes();
            samples.get(SYSTEMS[2]).add(new Sample(p.wallNanos() / 1e9, p.cpuSeconds(), p.peakRssBytes(), heap,
                    Double.NaN, Double.NaN));
            samples.get(SYSTEMS[3]).add(new Sample(load + dq, j.path("cpuNanos").asLong() / 1e9, p.peakRssBytes(),
                    heap, load, dq));
        }
        for (int i = 0; i < dagscopeAnswers.size(); i++) {
            String name = "dagscope " + (i % 2 == 0 ? "process" : "in-process") + " run " + (i / 2 + 1);
            differences.addAll(AnswerComparison.differences(dagscopeAnswers.get(i), reference, name, "DuckDB"));
        }

        HttpBench.Result http = null;
        if (httpSeconds > 0) {
            out.printf("HTTP: dagscope serve + wrk for %d s...%n", httpSeconds);
            http = HttpBench.run(jvm, w, scratch, httpSeconds, httpConnections,
                    flags.has("http-profile") ? outDir.resolve("serve.jfr") : null, out);
        }
        String loadAfter = Machine.loadAverage();

        ObjectNode summary = summary(w, threads, runs, hours, events, samples, differences, startup, http, loadBefore,
                loadAfter, jvm, reference, duckDbVersion);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("summary.json"), Workers.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summary));
        String markdown = BenchReport.markdown(summary);
        Files.writeString(outDir.resolve("summary.md"), markdown);
        out.println();
        out.println(markdown);
        out.println("Wrote " + outDir.resolve("summary.json") + " and " + outDir.resolve("summary.md"));
        Machine.deleteTree(scratch);
        if (!flags.has("keep")) {
            Machine.deleteTree(data);
        } else {
            out.println("Kept the logs in " + data);
        }
        return differences.isEmpty() ? 0 : 1;
    }

    private static void check(MeasuredProcess p, String what) throws IOException {
        if (p.exitCode() != 0) {
            throw new IOException(what + " exited with " + p.exitCode() + ":\n" + p.stderr()
                    + (p.stdout().length() > 2000 ? p.stdout().substring(0, 2000) : p.stdout()));
        }
    }

    private static ObjectNode summary(Workload w, int threads, int runs, double hours, long events,
            Map<String, List<Sample>> samples, Set<String> differences, MeasuredProcess startup,
            HttpBench.Result http, String loadBefore, String loadAfter, ChildJvm jvm, Answers reference,
            String duckDbVersion)
            throws IOException {
        ObjectNode s = Workers.JSON.createObjectNode();
        s.put("verdict", differences.isEmpty() ? "VALID" : "VOID");
        s.put("at", Instant.now().toString());
        ObjectNode machine = s.putObject("machine");
        machine.put("cpu", Machine.cpuModel());
        machine.put("cores", Machine.cores());
        machine.put("memoryBytes", Machine.memoryBytes());
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("jvmOptions", String.join(" ", jvm.jvmOptions()));
        machine.put("productJvmOptions", String.join(" ", jvm.productOptions()));
        machine.put("duckdb", "duckdb_jdbc " + duckDbVersion);
        machine.put("measuredWith", MeasuredProcessHow.describe());
        ObjectNode wl = s.putObject("workload");
        wl.put("lines", w.lines());
        wl.put("events", events);
        wl.put("bytes", w.bytes());
        wl.put("seed", w.seed());
        wl.put("start", w.start().toString());
        wl.put("ratePerMinute", w.ratePerMinute());
        wl.put("windowEnd", w.end().toString());
        wl.put("windowHours", hours);
        wl.put("generateSeconds", w.generateNanos() / 1e9);
        wl.put("generateCommand", w.generateCommand());
        s.put("threads", threads);
        s.put("runs", runs);
        s.put("jvmStartupSeconds", startup.wallNanos() / 1e9);
        s.put("jvmStartupPeakRssBytes", startup.peakRssBytes());
        ArrayNode results = s.putArray("results");
        Map<String, Double> wall = new LinkedHashMap<>();
        Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> list = e.getValue();
            ObjectNode r = results.addObject();
            double wallS = median(list.stream().mapToDouble(Sample::wallSeconds).toArray());
            double cpu = median(list.stream().mapToDouble(Sample::cpuSeconds).toArray());
            wall.put(e.getKey(), wallS);
            cpuSeconds.put(e.getKey(), cpu);
            r.put("system", e.getKey());
            r.put("wallSeconds", wallS);
            r.put("wallSecondsMin", list.stream().mapToDouble(Sample::wallSeconds).min().orElse(Double.NaN));
            r.put("cpuSeconds", cpu);
            r.put("peakRssBytes", (long) median(list.stream().mapToDouble(Sample::peakRssBytes).toArray()));
            r.put("peakHeapBytes", (long) median(list.stream().mapToDouble(Sample::peakHeapBytes).toArray()));
            double ingest = median(list.stream().mapToDouble(Sample::ingestSeconds).toArray());
            double query = median(list.stream().mapToDouble(Sample::querySeconds).toArray());
            if (!Double.isNaN(ingest)) {
                r.put(e.getKey().startsWith("DuckDB") ? "loadSeconds" : "ingestSeconds", ingest);
                r.put("querySeconds", query);
                r.put(e.getKey().startsWith("DuckDB") ? "loadEventsPerSecond" : "ingestEventsPerSecond",
                        events / ingest);
            }
            if (differences.isEmpty()) {
                r.put("eventsPerSecond", events / wallS);
                r.put("megabytesPerSecond", w.bytes() / 1e6 / wallS);
                r.put("eventsPerCpuSecond", events / cpu);
            }
            ArrayNode each = r.putArray("wallSecondsEachRun");
            list.forEach(x -> each.add(x.wallSeconds()));
        }
        if (differences.isEmpty()) {
            ObjectNode ratio = s.putObject("throughputRatioDagscopeToDuckDb");
            ratio.put("process", wall.get(SYSTEMS[2]) / wall.get(SYSTEMS[0]));
            ratio.put("inProcess", wall.get(SYSTEMS[3]) / wall.get(SYSTEMS[1]));
            // per CPU-second: less sensitive than wall time to what else the machine runs meanwhile
            ratio.put("processPerCpuSecond", cpuSeconds.get(SYSTEMS[2]) / cpuSeconds.get(SYSTEMS[0]));
        }
        ArrayNode diffs = s.putArray("differences");
        differences.stream().limit(200).forEach(diffs::add);
        s.put("differenceCount", differences.size());
        if (reference != null) {
            ObjectNode a = s.putObject("answers");
            a.put("tasksStartedAllTime", reference.allTime().started());
            a.put("durationsAllTime", reference.allTime().durations());
            a.put("p95AllTimeSeconds", reference.allTime().p95());
            a.put("runs", reference.totalRuns());
            a.put("tenantsInWindow", reference.tenants().size());
            a.put("schedules", reference.schedules().size());
        }
        if (http != null) {
            s.set("http", Workers.JSON.valueToTree(http));
        }
        return s;
    }

    static double median(double[] values) {
        double[] v = java.util.Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Says how peak RSS and CPU of child processes are measured on this machine. */
    static final class MeasuredProcessHow {
        private MeasuredProcessHow() {
        }

        static String describe() {
            return Files.isExecutable(Path.of("/usr/bin/time"))
                    ? "peak RSS and CPU of each child by GNU time (%M, %U+%S); heap from -Xlog:gc,gc+heap+exit"
                    : "peak RSS by polling /proc/PID/status VmHWM every 10 ms; heap from -Xlog:gc,gc+heap+exit";
        }
    }
}
