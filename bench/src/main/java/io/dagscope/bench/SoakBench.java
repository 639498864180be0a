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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code dagscope bench soak}: runs {@code dagscope serve --auth} (the product's jar, the launcher's JVM options) for a
 * fixed time under mixed load — tenants' and an admin's dashboards polling over HTTP, dashboards live over WebSocket,
 * an abuser with a valid token (expensive documents flat out, and bad connections), and appends to both followed
 * logs with rotations and compression — then reports the server's heap after a full collection at the start and the
 * end, each caller's latency and outcomes, the subscriptions' updates and the errors by kind, and checks the server's
 * answers against a one-shot {@code dagscope query} over the final logs. A difference fails the run (exit status 1).
 * A measurement, never an assertion about speed.
 */
final class SoakBench {

    static final Set<String> VALUED = Set.of("duration", "events", "tenants", "rate", "subscribers", "abuse-threads",
            "abuse-handshakes", "append-rate", "rotate-every", "heap-every", "out", "seed", "start", "dagscope-jar");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "usage: dagscope bench soak [--duration D] [--events N] [--tenants T] [--rate R] [--subscribers S]",
            "                           [--abuse-threads A] [--abuse-handshakes H] [--append-rate L] [--rotate-every D]",
            "                           [--heap-every D] [--out DIR] [--keep] [--seed S] [--start ISO]",
            "",
            "Runs dagscope serve --auth under mixed load for a fixed time, reports its heap, each caller's latency and",
            "errors, and checks its answers against a one-shot dagscope query over the final logs (exit 1 if they",
            "differ). Durations: 90s, 30m, 1h30m.",
            "",
            "  --duration D          how long the load runs (default 10m)",
            "  --events N            lines of history the server reads first (default 200000)",
            "  --tenants T           tenants in the generated logs, each with a dashboard and a token (default 3)",
            "  --rate R              requests a second of each polling dashboard: the admin's and each tenant's "
                    + "(default 4)",
            "  --subscribers S       WebSocket connections with the dashboard's subscriptions (default 4)",
            "  --abuse-threads A     the abuser's threads sending expensive documents flat out (default 4; 0: none)",
            "  --abuse-handshakes H  the abuser's bad connections a second (default 20; 0: none)",
            "  --append-rate L       lines a second appended to the followed logs (default 50)",
            "  --rotate-every D      how often both logs are rotated (default 2m; 0: never)",
            "  --heap-every D        the server's heap is also taken this often, after a full GC (default 5m; 0: "
                    + "only at the start and the end)",
            "  --out DIR             where soak.md, soak.json and server.log go (default "
                    + "/tmp/dagscope-bench-soak-<time>)",
            "  --keep                keep the generated logs (under DIR/data)",
            "  --seed S, --start ISO   the generator's seed and start (defaults as for dagscope bench)");

    /** The default window the server and the one-shot query are both given, in hours. */
    static final double WINDOW_HOURS = 24;

    private SoakBench() {
    }

    /**
     * The soak's settings, from its flags.
     *
     * @param duration how long the load runs
     * @param events lines of history read first
     * @param tenants tenants
     * @param rate each polling dashboard's requests a second
     * @param subscribers WebSocket connections
     * @param abuseThreads the abuser's threads
     * @param abuseHandshakes the abuser's bad connections a second
     * @param appendRate lines appended a second
     * @param rotateEvery how often the logs are rotated; zero for never
     * @param heapEvery how often the heap is taken during the run; zero for only at the start and the end
     * @param seed the generator's seed
     * @param start the generator's start
     * @param out the output folder
     * @param keep whether the generated logs are kept
     */
    record Settings(Duration duration, long events, int tenants, double rate, int subscribers, int abuseThreads,
            double abuseHandshakes, double appendRate, Duration rotateEvery, Duration heapEvery, long seed,
            Instant start, Path out, boolean keep) {

        /** @return how many lines the appends may need: the rate for the duration, and a margin */
        long appendLines() {
            return (long) Math.ceil(appendRate * duration.toSeconds() * 1.05) + 1_000;
        }
    }

    static Settings settings(Flags flags) {
        if (!flags.positionals().isEmpty()) {
            throw new Flags.UsageError("unexpected argument '" + flags.positionals().get(0) + "'; see --help");
        }
        Duration duration = flags.duration("duration", Duration.ofMinutes(10), Duration.ofSeconds(10),
                Duration.ofHours(24));
        return new Settings(duration,
                flags.wholeNumber("events", 200_000, 1_000, 100_000_000),
                (int) flags.wholeNumber("tenants", 3, 1, 100),
                flags.number("rate", 4, 0.1, 1000),
                (int) flags.wholeNumber("subscribers", 4, 0, 200),
                (int) flags.wholeNumber("abuse-threads", 4, 0, 64),
                flags.number("abuse-handshakes", 20, 0, 1000),
                flags.number("append-rate", 50, 0, 100_000),
                flags.duration("rotate-every", Duration.ofMinutes(2), Duration.ZERO, Duration.ofHours(24)),
                flags.duration("heap-every", Duration.ofMinutes(5), Duration.ZERO, Duration.ofHours(24)),
                flags.seed(), flags.start(), flags.outDir("soak"), flags.has("keep"));
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        Settings s = settings(flags);
        Path jar = BenchMain.dagscopeJar(flags);
        Map<String, String> operations = DashboardDocuments.fromJar(jar);
        Path data = s.out().resolve("data");
        Path events = data.resolve("logs").resolve("orchestrator_events.jsonl");
        Path state = data.resolve("logs").resolve("orchestrator_state.jsonl");
        ObjectNode summary = Workers.JSON.createObjectNode();
        summary.put("loadAverageBefore", Machine.loadAverage());
        out.printf("Generating %,d lines of history and %,d to append into %s...%n", s.events(), s.appendLines(),
                data);
        Workload w = Workload.generate(data.resolve("generated"), s.events() + s.appendLines(), s.seed(), s.start(),
                OptionalDouble.empty(), s.tenants());
        List<String> tenants = w.definedTenants();
        Files.createDirectories(events.getParent());
        ChildJvm jvm = ChildJvm.current(Machine.cores(), jar);
        List<String> inputs = List.of("--events", events + "*", "--state", state + "*", "--schedules",
                w.schedules().toString(), "--end", w.end().toString(), "--window-hours", Double.toString(WINDOW_HOURS));
        Process server = null;
        Thread stopServer = null;
        try (MergedLines replay = new MergedLines(w.events(), w.state(), events, state)) {
            replay.append(s.events());
            SoakTokens tokens = SoakTokens.write(data.resolve("tokens.yaml"), tenants);
            List<String> serve = new ArrayList<>(List.of("serve"));
            serve.addAll(inputs);
            serve.addAll(List.of("--bind", "127.0.0.1", "--port", "0", "--auth", data.resolve("tokens.yaml")
                    .toString()));
            Files.createDirectories(s.out());
            server = new ProcessBuilder(jvm.dagscope(null, serve)).redirectErrorStream(true).start();
            Process child = server;
            stopServer = new Thread(child::destroyForcibly, "bench-soak-stop-server");
            Runtime.getRuntime().addShutdownHook(stopServer);
            String base = HttpBench.serverAddress(server, s.out().resolve("server.log")).get(10, TimeUnit.MINUTES);
            out.println("Server on " + base + " (log: " + s.out().resolve("server.log") + ")");
            GraphQlHttp admin = new GraphQlHttp(base, tokens.admin());
            GraphQlHttp.Response first = admin.post("{ tenants }", Map.of());
            if (first.status() != 200 || !first.errorKinds().isEmpty()) {
                throw new IOException("the server's first answer failed: " + first.status() + " " + first.json());
            }
            Map<String, String> abuse = Abuser.documents(tenants);
            GraphQlHttp abuserHttp = new GraphQlHttp(base, tokens.abuser());
            new Abuser(abuserHttp, abuse, w.end(), new CallerStats("preflight"), 0, 0, s.seed()).preflight();

            List<ServerProbe.Sample> heap = new ArrayList<>();
            heap.add(ServerProbe.sample(jvm, server.pid(), base, tokens.admin(), "start", 0));
            out.printf("Heap after a full GC at the start: %,.1f MB. Load for %s...%n",
                    heap.get(0).heapAfterGcBytes() / 1e6, Flags.text(s.duration()));

            long soakStart = System.nanoTime();
            long stopAt = soakStart + s.duration().toNanos();
            List<CallerStats> dashboards = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            CallerStats adminStats = new CallerStats("admin dashboard");
            dashboards.add(adminStats);
            List<String> adminFilters = new ArrayList<>(Arrays.asList((String) null));
            adminFilters.addAll(tenants);
            threads.add(new Thread(new DashboardCaller(admin, operations, true, adminFilters, s.rate(), w.end(),
                    WINDOW_HOURS, adminStats, soakStart, stopAt), "soak-admin"));
            for (String t : tenants) {
                CallerStats st = new CallerStats(t + " dashboard");
                dashboards.add(st);
                threads.add(new Thread(new DashboardCaller(new GraphQlHttp(base, tokens.tenants().get(t)), operations,
                        false, Arrays.asList((String) null), s.rate(), w.end(), WINDOW_HOURS, st, soakStart, stopAt),
                        "soak-" + t));
            }
            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < s.subscribers(); i++) {
                int k = i % (tenants.size() + 1);
                String who = k == 0 ? "admin" : tenants.get(k - 1);
                Subscriber sub = new Subscriber("ws " + (i + 1) + " (" + who + ")", base,
                        k == 0 ? tokens.admin() : tokens.tenants().get(who), operations, k == 0, w.end(),
                        WINDOW_HOURS, stopAt);
                subscribers.add(sub);
                threads.add(new Thread(sub, "soak-ws-" + (i + 1)));
            }
            CallerStats abuserStats = new CallerStats("abuser (expensive documents)");
            for (int i = 0; i < s.abuseThreads(); i++) {
                threads.add(new Thread(new Abuser(abuserHttp, abuse, w.end(), abuserStats, soakStart, stopAt,
                        s.seed() + i), "soak-abuser-" + i));
            }
            Handshakes handshakes = s.abuseHandshakes() > 0 ? new Handshakes(base, s.abuseHandshakes(), soakStart,
                    stopAt) : null;
            if (handshakes != null) {
                threads.add(new Thread(handshakes, "soak-handshakes"));
            }
            RotatingAppender appender = new RotatingAppender(replay, events, state, s.appendRate(), s.rotateEvery(),
                    stopAt);
            threads.add(new Thread(appender, "soak-appender"));
            threads.forEach(Thread::start);

            long nextHeap = s.heapEvery().isZero() ? Long.MAX_VALUE : soakStart + s.heapEvery().toNanos();
            long nextProgress = soakStart + TimeUnit.MINUTES.toNanos(1);
            while (System.nanoTime() < stopAt && server.isAlive()) {
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(1000, (stopAt - System.nanoTime()) / 1_000_000)));
                long now = System.nanoTime();
                if (now >= nextHeap && now < stopAt) {
                    Duration at = Duration.ofSeconds(Math.round((now - soakStart) / 1e9));
                    heap.add(ServerProbe.sample(jvm, server.pid(), base, tokens.admin(), Flags.text(at), at.toSeconds()));
                    nextHeap += s.heapEvery().toNanos();
                }
                if (now >= nextProgress) {
                    out.printf("  %s: %,d dashboard requests, abuser %,d, %,d lines appended, heap %s%n",
                            Flags.text(Duration.ofSeconds(Math.round((now - soakStart) / 1e9))),
                            dashboards.stream().mapToLong(d -> d.summary().requests()).sum(),
                            abuserStats.summary().requests(), appender.result().linesAppended(),
                            heap.get(heap.size() - 1).label() + " " + Math.round(heap.get(heap.size() - 1)
                                    .heapAfterGcBytes() / 1e6) + " MB");
                    nextProgress += TimeUnit.MINUTES.toNanos(1);
                }
            }
            boolean died = !server.isAlive();
            for (Thread t : threads) {
                t.join(GraphQlHttp.TIMEOUT.toMillis() + 30_000);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(10_000);
                }
            }
            double seconds = (System.nanoTime() - soakStart) / 1e9;
            if (died) {
                summary.put("failure", "the server exited during the soak (status " + server.exitValue()
                        + "); see server.log");
            } else {
                heap.add(ServerProbe.sample(jvm, server.pid(), base, tokens.admin(), "end", seconds));
                out.printf("Load stopped after %.0f s; heap after a full GC: %,.1f MB. Checking the answers...%n",
                        seconds, heap.get(heap.size() - 1).heapAfterGcBytes() / 1e6);
                check(summary, base, admin, operations, tokens, w, jvm, inputs, data, out);
            }
            summary.put("loadAverageAfter", Machine.loadAverage());
            fill(summary, s, w, tenants, operations, jvm, seconds, heap, dashboards, abuserStats, handshakes,
                    subscribers, appender, events, state);
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
                Runtime.getRuntime().removeShutdownHook(stopServer);
            }
            if (!s.keep()) {
                Machine.deleteTree(data);
            }
        }
        summary.set("serverLog", serverLog(s.out().resolve("server.log")));
        String md = SoakReport.markdown(summary);
        Files.writeString(s.out().resolve("soak.json"), Workers.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summary));
        Files.writeString(s.out().resolve("soak.md"), md);
        out.println();
        out.print(md);
        return exitStatus(summary);
    }

    /**
     * @param summary the soak's summary
     * @return 1 when the server failed during the soak, or its answers were not checked or differ; else 0 (heap and
     *     latency are reported, never judged)
     */
    static int exitStatus(JsonNode summary) {
        JsonNode answers = summary.path("answers");
        return summary.has("failure") || !answers.path("differences").isArray()
                || !answers.path("differences").isEmpty() ? 1 : 0;
    }

    private static void check(ObjectNode summary, String base, GraphQlHttp admin, Map<String, String> operations,
            SoakTokens tokens, Workload w, ChildJvm jvm, List<String> inputs, Path data, PrintStream out)
            throws IOException, InterruptedException {
        ObjectNode answers = summary.putObject("answers");
        ArrayNode differences = answers.putArray("differences");
        try {
            answers.put("catchUpSeconds", SoakAnswers.awaitCaughtUp(admin));
        } catch (IOException e) {
            differences.add(e.getMessage());
            return;
        }
        GraphQlHttp.Response runs = admin.post("query " + operations.get("Runs"), DashboardDocuments.variables(
                "Runs", new DashboardDocuments.View(null, null, null, null, w.end(), WINDOW_HOURS)));
        JsonNode edges = runs.data().path("dagRuns").path("edges");
        String runId = edges.size() > 0 ? edges.get(edges.size() / 2).path("node").path("id").asText() : null;
        List<SoakAnswers.Item> items = SoakAnswers.items(operations, tokens.admin(), tokens.tenants(), w.end(),
                WINDOW_HOURS, runId);
        List<String> oneShot = new ArrayList<>(List.of("query"));
        oneShot.addAll(inputs);
        oneShot.add("--compact");
        answers.put("oneShotCommand", String.join(" ", jvm.dagscope(null, oneShot)) + " --variables JSON DOCUMENT");
        ArrayNode checked = answers.putArray("checked");
        items.forEach(i -> checked.add(i.label()));
        SoakAnswers.compare(base, items, jvm.dagscope(null, oneShot), data.resolve("scratch"), out)
                .forEach(differences::add);
    }

    private static void fill(ObjectNode summary, Settings s, Workload w, List<String> tenants,
            Map<String, String> operations, ChildJvm jvm, double seconds, List<ServerProbe.Sample> heap,
            List<CallerStats> dashboards, CallerStats abuser, Handshakes handshakes, List<Subscriber> subscribers,
            RotatingAppender appender, Path events, Path state) throws IOException {
        ObjectNode settings = summary.putObject("settings");
        settings.put("duration", Flags.text(s.duration()));
        settings.put("historyLines", s.events());
        settings.put("ratePerDashboard", s.rate());
        settings.put("subscribers", s.subscribers());
        settings.put("abuseThreads", s.abuseThreads());
        settings.put("abuseHandshakesPerSecond", s.abuseHandshakes());
        settings.put("appendLinesPerSecond", s.appendRate());
        settings.put("rotateEvery", Flags.text(s.rotateEvery()));
        settings.put("seed", s.seed());
        settings.put("start", s.start().toString());
        summary.put("end", w.end().toString());
        summary.put("seconds", seconds);
        summary.set("tenants", Workers.JSON.valueToTree(tenants));
        summary.set("operations", Workers.JSON.valueToTree(operations.keySet()));
        summary.put("jvmOptions", String.join(" ", jvm.jvmOptions()));
        summary.put("machine", Machine.cpuModel() + ", " + Machine.cores() + " cores");
        summary.put("measuredAt", Instant.now().toString());
        summary.set("heap", Workers.JSON.valueToTree(heap));
        summary.set("dashboards", Workers.JSON.valueToTree(dashboards.stream().map(CallerStats::summary).toList()));
        summary.set("abuser", Workers.JSON.valueToTree(abuser.summary()));
        summary.set("handshakes", Workers.JSON.valueToTree(handshakes == null ? List.of() : handshakes.results()));
        summary.set("subscriptions", Workers.JSON.valueToTree(subscribers.stream().map(Subscriber::result).toList()));
        ArrayNode periods = summary.putArray("dashboardsByPeriod");
        int n = (int) Math.max(1, Math.min(10, Math.round(seconds / 60)));
        for (int i = 0; i < n; i++) {
            long from = (long) (seconds * 1e9 * i / n);
            long to = (long) (seconds * 1e9 * (i + 1) / n);
            double[] all = dashboards.stream().flatMapToDouble(d -> Arrays.stream(d.latenciesMillis(from, to)))
                    .toArray();
            ObjectNode p = periods.addObject();
            p.put("fromSeconds", from / 1e9);
            p.put("toSeconds", to / 1e9);
            p.set("latency", Workers.JSON.valueToTree(CallerStats.Summary.of("dashboards", all, Map.of(), Map.of())));
        }
        ObjectNode appends = Workers.JSON.valueToTree(appender.result());
        ArrayNode files = appends.putArray("files");
        for (Path log : List.of(events, state)) {
            for (Path f : LogRotation.files(log)) {
                files.addObject().put("name", f.getFileName().toString()).put("bytes", Files.size(f));
            }
        }
        summary.set("appends", appends);
        Map<String, Long> errors = new TreeMap<>();
        dashboards.forEach(d -> d.summary().errors().forEach((k, v) -> errors.merge(k, v, Long::sum)));
        abuser.summary().errors().forEach((k, v) -> errors.merge("abuser: " + k, v, Long::sum));
        if (handshakes != null) {
            handshakes.results().forEach(h -> h.errors().forEach((k, v) -> errors.merge(h.caller() + ": " + k, v,
                    Long::sum)));
        }
        subscribers.forEach(sub -> sub.result().problems().forEach((k, v) -> errors.merge("subscriptions: " + k, v,
                Long::sum)));
        summary.set("errorsByKind", Workers.JSON.valueToTree(errors));
    }

    private static ObjectNode serverLog(Path log) throws IOException {
        ObjectNode o = Workers.JSON.createObjectNode();
        long lines = 0;
        long failures = 0;
        Map<String, Long> kinds = new TreeMap<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                lines++;
                if (line.contains("incident") || line.contains("Exception") || line.contains("ERROR")
                        || line.contains("WARN")) {
                    failures++;
                }
                kinds.merge(logKind(line), 1L, Long::sum);
            }
        }
        o.put("lines", lines);
        o.put("failureLines", failures);
        o.set("byKind", Workers.JSON.valueToTree(kinds));
        return o;
    }

    /**
     * What a line of the server's log says, without its time, caller, operation or numbers: {@code websocket:
     * refused a connection without a valid token}.
     */
    static String logKind(String line) {
        int at = line.indexOf(" dagscope: ");
        String text = at >= 0 ? line.substring(at + " dagscope: ".length()) : line;
        text = text.replaceAll("\\s(caller|operation)=\\S+", "").replaceAll("\\(incident [^)]*\\)", "(incident)")
                .replaceAll("\\d+", "N");
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
