package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagscope.core.engine.EngineStats;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code dagscope bench state}: the figures of a built state, in-process, in a JVM started with the launcher's
 * options. For each size N: generates N + appends × 1,000 lines, then replays them in the order they were written
 * into copies that a followed JSONL source reads (the product's source, through the SPI):
 * <ol>
 * <li>memory: after each tenth of N, a full GC ({@code System.gc()}, twice) and the heap in use
 * ({@code MemoryMXBean}), with the runs kept and dropped by retention (the default: 7 days or 100,000 runs);</li>
 * <li>queries: each of the dashboard's queries, and the whole document, many times through the GraphQL API, and the
 * task summary straight from the engine: p50 and p99;</li>
 * <li>incremental: 1,000 more lines appended, then one poll: its CPU time on the polling thread
 * ({@code ThreadMXBean}) and the process's, repeated.</li>
 * </ol>
 */
final class StateBench {

    static final Set<String> VALUED = Set.of("events", "rate", "appends", "repetitions", "checkpoints", "out", "seed",
            "start", "history");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "dagscope bench state [--events N[,N...]] [--rate R] [--appends K] [--repetitions Q] [--checkpoints C]",
            "                     [--history files|heap] [--out DIR] [--keep] [--seed S] [--start ISO]",
            "",
            "Builds dagscope's state from a generated log of N lines (in a JVM with the launcher's options), then",
            "measures memory (live heap after a full GC, at C points while building), the dashboard's queries",
            "(p50/p99 over Q repetitions, in-process) and appends (K times 1,000 lines, one poll each: CPU time).",
            "",
            "  --events N[,N...]   state sizes in lines (default 1000000,10000000)",
            "  --rate R            lines a minute (default: the generator's, which spreads the lines over 2 days;",
            "                      give e.g. 180 to span weeks, so that retention drops old runs)",
            "  --appends K         how many appends of 1,000 lines (default 30)",
            "  --repetitions Q     repetitions of each query (default 2000, after Q/5 for warm-up; each query",
            "                      stops after 30 s, but not before 50 repetitions)",
            "  --checkpoints C     heap measurements while building (default 10)",
            "  --history KIND      where finished history is kept, as the product's --history: files (memory-",
            "                      mapped files in the temporary directory, the default) or heap",
            "  --out DIR           where state-summary.json/.md (and the logs, under data-N/) go",
            "  --keep              keep the generated logs",
            "  --seed S, --start ISO   as for dagscope bench");

    static final int APPEND_LINES = 1000;
    /** Building stops when the live heap after a full GC passes this share of the maximum heap. */
    static final double HEAP_FULL = 0.85;

    private StateBench() {
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        List<Long> sizes = flags.wholeNumbers("events", "1000000,10000000", 1, 2_000_000_000);
        OptionalDouble rate = flags.has("rate") ? OptionalDouble.of(flags.number("rate", 180, 1, 100_000))
                : OptionalDouble.empty();
        int appends = (int) flags.wholeNumber("appends", 30, 1, 10_000);
        int reps = (int) flags.wholeNumber("repetitions", 2000, 10, 10_000_000);
        int checkpoints = (int) flags.wholeNumber("checkpoints", 10, 1, 1000);
        String history = flags.choice("history", "files", List.of("files", "heap"));
        long seed = flags.seed();
        Instant start = flags.start();
        Path outDir = flags.outDir("state");
        ChildJvm jvm = ChildJvm.current(Machine.cores(), Path.of("unused"));
        Files.createDirectories(outDir);
        ObjectNode summary = Workers.JSON.createObjectNode();
        summary.put("at", Instant.now().toString());
        summary.put("loadAverageBefore", Machine.loadAverage());
        summary.put("jvmOptions", String.join(" ", jvm.jvmOptions()));
        summary.put("cores", Machine.cores());
        summary.put("history", history);
        ArrayNode results = summary.putArray("sizes");
        for (long n : sizes) {
            Path data = outDir.resolve("data-" + n);
            long total = n + (long) appends * APPEND_LINES;
            out.printf("State of %,d lines: generating %,d lines into %s...%n", n, total, data);
            Workload w = Workload.generate(data, total, seed, start, rate);
            out.printf("  %,.1f MB in %.1f s; building, then measuring (a JVM with %s)...%n", w.bytes() / 1e6,
                    w.generateNanos() / 1e9, String.join(" ", jvm.jvmOptions()));
            MeasuredProcess p = MeasuredProcess.run(jvm.bench(null, List.of("worker-state", w.events().toString(),
                    w.state().toString(), w.schedules().toString(), w.end().toString(), Long.toString(n),
                    Integer.toString(appends), Integer.toString(reps), Integer.toString(checkpoints),
                    data.resolve("work").toString(), history)), outDir, Duration.ofHours(3));
            ObjectNode r = workerResult(p, n);
            r.put("generateCommand", w.generateCommand());
            r.put("peakRssBytes", p.peakRssBytes());
            results.add(r);
            if (!flags.has("keep")) {
                Machine.deleteTree(data);
            }
        }
        summary.put("loadAverageAfter", Machine.loadAverage());
        Files.writeString(outDir.resolve("state-summary.json"), Workers.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summary));
        String md = markdown(summary);
        Files.writeString(outDir.resolve("state-summary.md"), md);
        out.println();
        out.println(md);
        out.println("Wrote " + outDir.resolve("state-summary.json") + " and " + outDir.resolve("state-summary.md"));
        return 0;
    }

    /**
     * The worker's result: its last line; or, when it failed, what its progress lines had measured, with why it
     * failed.
     */
    static ObjectNode workerResult(MeasuredProcess p, long lines) throws IOException {
        ObjectNode result = null;
        ArrayNode memory = Workers.JSON.createArrayNode();
        for (String line : p.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode j = Workers.JSON.readTree(line);
            if (j.has("checkpoint")) {
                memory.add(j.path("checkpoint"));
            } else {
                result = (ObjectNode) j;
            }
        }
        if (p.exitCode() == 0 && result != null) {
            return result;
        }
        ObjectNode partial = result != null ? result : Workers.JSON.createObjectNode();
        partial.put("lines", lines);
        partial.set("memory", memory);
        String err = p.stderr().strip();
        partial.put("failed", "the worker exited with " + p.exitCode() + (err.isEmpty() ? "" : ": "
                + err.substring(Math.max(0, err.length() - 600))));
        return partial;
    }

    /**
     * The measuring half. Arguments: events state schedules end lines appends repetitions checkpoints workdir
     * history.
     */
    static void worker(List<String> args, PrintStream out) throws Exception {
        Path events = Path.of(args.get(0));
        Path state = Path.of(args.get(1));
        Path schedules = Path.of(args.get(2));
        Instant end = Instant.parse(args.get(3));
        long lines = Long.parseLong(args.get(4));
        int appends = Integer.parseInt(args.get(5));
        int reps = Integer.parseInt(args.get(6));
        int checkpoints = Integer.parseInt(args.get(7));
        Path work = Path.of(args.get(8));
        String history = args.get(9);
        Files.createDirectories(work);
        Path eventsCopy = work.resolve("orchestrator_events.jsonl");
        Path stateCopy = work.resolve("orchestrator_state.jsonl");
        ObjectNode result = Workers.JSON.createObjectNode();
        result.put("lines", lines);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (MergedLines replay = new MergedLines(events, state, eventsCopy, stateCopy);
                DagscopeInProcess app = DagscopeInProcess.open(eventsCopy, stateCopy, Optional.of(schedules), end,
                        true, history)) {
            ArrayNode memory = result.putArray("memory");
            long appended = 0;
            long ingestNanos = 0;
            for (int c = 1; c <= checkpoints; c++) {
                long upTo = lines * c / checkpoints;
                appended += replay.append(upTo - appended);
                long t0 = System.nanoTime();
                app.poll();
                ingestNanos += System.nanoTime() - t0;
                ObjectNode m = memory.addObject();
                m.put("lines", appended);
                m.put("events", app.eventsRead());
                m.put("heapAfterFullGcBytes", liveHeap());
                EngineStats stats = app.engine().stats();
                m.put("runsKept", stats.runsKept());
                m.put("runsDropped", stats.runsDropped());
                m.put("cells", stats.cells());
                m.put("cellsSealed", stats.cellsSealed());
                m.put("sealedBytes", stats.sealedBytes());
                m.put("historyBytes", stats.history().blockBytes() + stats.history().tableBytes());
                m.put("historyReleasedBytes", stats.history().releasedBytes());
                ObjectNode progress = Workers.JSON.createObjectNode();
                progress.set("checkpoint", m);
                out.println(Workers.JSON.writeValueAsString(progress));
                out.flush();
                long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
                if (max > 0 && m.path("heapAfterFullGcBytes").asLong() > HEAP_FULL * max) {
                    result.put("stoppedAt", appended);
                    result.put("failed", BenchReport.f("stopped after %,d lines: the live heap (%,.0f MB) is above "
                            + "%.0f %% of the maximum heap (%,.0f MB), so the rest would only measure the collector",
                            appended, m.path("heapAfterFullGcBytes").asLong() / 1e6, HEAP_FULL * 100, max / 1e6));
                    out.println(Workers.JSON.writeValueAsString(result));
                    return;
                }
            }
            result.put("events", app.eventsRead());
            result.put("followIngestSeconds", ingestNanos / 1e9);
            result.put("followIngestEventsPerSecond", app.eventsRead() / (ingestNanos / 1e9));

            Instant windowEnd = Instant.ofEpochSecond(0, replay.lastMicros() * 1000).plusSeconds(60);
            result.put("windowEnd", windowEnd.toString());
            ObjectNode queries = result.putObject("queries");
            for (Map.Entry<String, String> q : dashboardQueries(windowEnd).entrySet()) {
                String doc = q.getValue();
                queries.set(q.getKey(), latency(reps, () -> {
                    Map<String, Object> r = app.execute(doc);
                    if (r.containsKey("errors")) {
                        throw new IllegalStateException("query failed: " + r);
                    }
                    return r;
                }));
            }
            TaskSummaryQuery.Request direct = new TaskSummaryQuery.Request(WindowRequest.of(24, windowEnd),
                    Optional.empty(), Optional.empty(), TenantScope.ALL);
            queries.set("engine.taskSummary (no GraphQL)", latency(reps, () -> app.engine().taskSummary(direct)));

            ArrayNode increments = result.putArray("appends");
            double[] threadCpu = new double[appends];
            double[] processCpu = new double[appends];
            double[] wall = new double[appends];
            for (int i = 0; i < appends; i++) {
                long n = replay.append(APPEND_LINES);
                long cpu0 = threads.getCurrentThreadCpuTime();
                long pcpu0 = Workers.processCpuNanos();
                long t0 = System.nanoTime();
                long delivered = app.poll();
                long t1 = System.nanoTime();
                long pcpu1 = Workers.processCpuNanos();
                long cpu1 = threads.getCurrentThreadCpuTime();
                threadCpu[i] = (cpu1 - cpu0) / 1e6;
                processCpu[i] = (pcpu1 - pcpu0) / 1e6;
                wall[i] = (t1 - t0) / 1e6;
                ObjectNode a = increments.addObject();
                a.put("lines", n);
                a.put("events", delivered);
                a.put("threadCpuMillis", threadCpu[i]);
                a.put("processCpuMillis", processCpu[i]);
                a.put("wallMillis", wall[i]);
            }
            ObjectNode inc = result.putObject("appendSummary");
            inc.put("threadCpuMillisMedian", percentile(threadCpu, 0.5));
            inc.put("threadCpuMillisP90", percentile(threadCpu, 0.9));
            inc.put("threadCpuMillisMax", percentile(threadCpu, 1.0));
            // the process CPU clock ticks in jiffies (10 ms): only its mean over every append means something
            inc.put("processCpuMillisMean", Arrays.stream(processCpu).sum() / appends);
            inc.put("wallMillisMedian", percentile(wall, 0.5));
            result.put("heapAfterFullGcBytesAtEnd", liveHeap());
        }
        out.println(Workers.JSON.writeValueAsString(result));
    }

    static Map<String, String> dashboardQueries(Instant end) {
        String w = "window: {hours: 24, end: \"" + end + "\"}";
        String stats = "{ started succeeded failed retried errorRate durations avgDurationSeconds p50DurationSeconds "
                + "p95DurationSeconds p99DurationSeconds }";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("taskSummary", "{ taskSummary(" + w + ") { windowStart windowEnd allTime " + stats + " window " + stats
                + " } }");
        q.put("tenantLoad", "{ tenantLoad(" + w + ") { tenant runs tasks errorRate avgLatencySeconds "
                + "p95LatencySeconds } }");
        q.put("dagRuns(first: 20)", "{ dagRuns(first: 20) { totalCount edges { node { id dagName tenant status "
                + "startedAt endedAt durationSeconds taskCount tasksSucceeded tasksFailed tasksRetried error } } } }");
        q.put("schedules", "{ schedules(" + w + ") { id enqueued started finished succeeded failed retried "
                + "avgDurationSeconds lastRunAt lastStatus nextRunAt missedRuns } }");
        q.put("whole dashboard document", DashboardQuery.document(24, end));
        return q;
    }

    /** Each query is repeated until its repetitions are done or this much time has passed (but at least 50 times). */
    static final long QUERY_BUDGET_NANOS = 30_000_000_000L;

    private static ObjectNode latency(int reps, Supplier<Object> query) {
        int warmup = Math.max(10, reps / 5);
        Object sink = null;
        long started = System.nanoTime();
        for (int i = 0; i < warmup && (i < 10 || System.nanoTime() - started < QUERY_BUDGET_NANOS / 5); i++) {
            sink = query.get();
        }
        double[] ms = new double[reps];
        int done = 0;
        long measuring = System.nanoTime();
        while (done < reps && (done < 50 || System.nanoTime() - measuring < QUERY_BUDGET_NANOS)) {
            long t0 = System.nanoTime();
            sink = query.get();
            ms[done++] = (System.nanoTime() - t0) / 1e6;
        }
        ms = Arrays.copyOf(ms, done);
        ObjectNode o = Workers.JSON.createObjectNode();
        o.put("repetitions", done);
        o.put("p50Millis", percentile(ms, 0.5));
        o.put("p99Millis", percentile(ms, 0.99));
        o.put("maxMillis", percentile(ms, 1.0));
        o.put("answerHash", sink == null ? 0 : sink.hashCode());
        return o;
    }

    /** Nearest rank, as METRICS.md defines quantiles. */
    static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.max(1, Math.ceil(q * v.length));
        return v[rank - 1];
    }

    private static long liveHeap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String markdown(JsonNode s) {
        StringBuilder b = new StringBuilder("## dagscope bench state\n\n");
        b.append(BenchReport.f("- JVM options `%s`, %d cores; history kept in %s; load average %s before, %s "
                + "after%n%n", s.path("jvmOptions").asText(), s.path("cores").asInt(),
                s.path("history").asText("files"), s.path("loadAverageBefore").asText(),
                s.path("loadAverageAfter").asText()));
        for (JsonNode r : s.path("sizes")) {
            b.append(BenchReport.f("### %,d lines (`%s`)%n%n", r.path("lines").asLong(),
                    r.path("generateCommand").asText()));
            if (r.has("failed")) {
                b.append("**Not completed: ").append(r.path("failed").asText()).append("**\n\n");
            } else {
                b.append(BenchReport.f("Built by a followed source in %d polls: %,.0f events/s; worker peak RSS "
                        + "%,.0f MB.%n%n", r.path("memory").size(), r.path("followIngestEventsPerSecond").asDouble(),
                        r.path("peakRssBytes").asLong() / 1e6));
            }
            b.append("| lines read | live heap after full GC, MB | runs kept | runs dropped | cells | of which sealed "
                + "| sealed blocks, MB | history store, MB |\n");
            b.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (JsonNode m : r.path("memory")) {
                b.append(BenchReport.f("| %,d | %,.1f | %,d | %,d | %,d | %,d | %,.1f | %,.1f |%n",
                        m.path("lines").asLong(), m.path("heapAfterFullGcBytes").asLong() / 1e6,
                        m.path("runsKept").asLong(), m.path("runsDropped").asLong(), m.path("cells").asLong(),
                        m.path("cellsSealed").asLong(), m.path("sealedBytes").asLong() / 1e6,
                        m.path("historyBytes").asLong() / 1e6));
            }
            if (!r.has("queries")) {
                continue;
            }
            b.append("\n| query (in-process) | repetitions | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
            r.path("queries").properties().forEach(e -> b.append(BenchReport.f(
                    "| %s | %,d | %.3f | %.3f | %.3f |%n", e.getKey(), e.getValue().path("repetitions").asInt(),
                    e.getValue().path("p50Millis").asDouble(), e.getValue().path("p99Millis").asDouble(),
                    e.getValue().path("maxMillis").asDouble())));
            JsonNode a = r.path("appendSummary");
            b.append(BenchReport.f("%nAppending %,d lines, then one poll (%d times): polling thread CPU median "
                    + "**%.2f ms**, p90 %.2f ms, max %.2f ms; process CPU (all threads, GC included) mean %.2f ms; "
                    + "wall median %.2f ms.%n%n",
                    APPEND_LINES, r.path("appends").size(), a.path("threadCpuMillisMedian").asDouble(),
                    a.path("threadCpuMillisP90").asDouble(), a.path("threadCpuMillisMax").asDouble(),
                    a.path("processCpuMillisMean").asDouble(), a.path("wallMillisMedian").asDouble()));
        }
        return b.toString();
    }
}
