package io.dagscope.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small cached query against {@code dagscope serve} on loopback, loaded by {@code wrk} for a bounded time:
 * requests a second and latency percentiles ({@code wrk --latency}). The server reads the workload's logs first (with
 * {@code --end}, so answers and the result cache stay fixed), and is stopped after.
 */
final class HttpBench {

    /** The query: the dashboard's headline figures for the default window. */
    static final String QUERY = "{ taskSummary { window { succeeded failed errorRate p95DurationSeconds } } }";

    private static final Pattern SERVING = Pattern.compile("serving on http://([0-9.]+):(\\d+)");

    private HttpBench() {
    }

    /**
     * What wrk measured.
     *
     * @param command the wrk command run
     * @param seconds how long it ran
     * @param connections open connections
     * @param wrkThreads wrk's threads
     * @param requestsPerSecond requests a second
     * @param latencyP50Millis median latency
     * @param latencyP90Millis 90th percentile latency
     * @param latencyP99Millis 99th percentile latency
     * @param errors non-2xx responses and socket errors
     * @param serverStartSeconds from starting the server to its first answer (includes reading the logs)
     * @param wrkOutput wrk's report as printed
     * @param profile a summary of the server's JFR recording during the load (Markdown), or null when not asked for
     */
    /** Seconds of load before the measured run, so the JIT has compiled the request path. */
    static final int WARM_UP_SECONDS = 10;

    record Result(String command, int seconds, int connections, int wrkThreads, double requestsPerSecond,
            double latencyP50Millis, double latencyP90Millis, double latencyP99Millis, long errors,
            double serverStartSeconds, String wrkOutput, String profile) {

        Result withProfile(String summary) {
            return new Result(command, seconds, connections, wrkThreads, requestsPerSecond, latencyP50Millis,
                    latencyP90Millis, latencyP99Millis, errors, serverStartSeconds, wrkOutput, summary);
        }
    }

    static Result run(ChildJvm jvm, Workload w, Path scratch, int seconds, int connections, Path profile,
            PrintStream log) throws IOException, InterruptedException {
        if (!isExecutable("wrk")) {
            throw new IOException("wrk is not installed (Debian: apt-get install wrk); or pass --http-seconds 0");
        }
        List<String> cmd = jvm.dagscope(null, List.of("serve", "--events", w.events().toString(), "--state",
                w.state().toString(), "--schedules", w.schedules().toString(), "--end", w.end().toString(),
                "--bind", "127.0.0.1", "--port", "0"));
        long t0 = System.nanoTime();
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            CompletableFuture<String> address = serverAddress(server);
            String base;
            try {
                base = address.get(30, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("dagscope serve did not start: " + e.getMessage(), e);
            }
            String url = base + "/graphql?query=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            if (first.statusCode() != 200 || !first.body().contains("\"succeeded\"")) {
                throw new IOException("the query failed: " + first.statusCode() + " " + first.body());
            }
            int wrkThreads = Math.max(1, Math.min(jvm.threads(), connections));
            List<String> wrk = List.of("wrk", "-t" + wrkThreads, "-c" + connections, "-d" + seconds + "s",
                    "--latency", url);
            // warm up first: the figures are of a server that has run a while (JIT-compiled), as a long-lived
            // server is; the first seconds of a fresh JVM are what start-up costs, not what it sustains
            List<String> warmUp = List.of("wrk", "-t" + wrkThreads, "-c" + connections, "-d" + WARM_UP_SECONDS + "s",
                    url);
            log.println("  warm-up: " + String.join(" ", warmUp));
            Process warming = new ProcessBuilder(warmUp).redirectErrorStream(true).start();
            warming.getInputStream().readAllBytes();
            if (!warming.waitFor(WARM_UP_SECONDS + 60L, TimeUnit.SECONDS) || warming.exitValue() != 0) {
                throw new IOException("wrk (warm-up) failed");
            }
            log.println("  " + String.join(" ", wrk));
            if (profile != null) {
                jcmd(jvm, server.pid(), "JFR.start", "name=wrk", "settings=profile", "filename=" + profile);
            }
            Process p = new ProcessBuilder(wrk).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("wrk failed:\n" + output);
            }
            Result result = parse(output, String.join(" ", wrk), seconds, connections, wrkThreads, startSeconds);
            if (profile != null) {
                jcmd(jvm, server.pid(), "JFR.stop", "name=wrk");
                result = result.withProfile(ProfileBench.summarise(profile, 15, "Profile of dagscope serve under wrk",
                        BenchReport.f("JFR (settings=profile) on the server for the %d s of `%s`", seconds,
                                String.join(" ", wrk))));
            }
            return result;
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * Runs {@code jcmd PID COMMAND...} (the child JVM's own jcmd when it has one).
     *
     * @return what it printed
     */
    static String jcmd(ChildJvm jvm, long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(jvm.java()).resolveSibling("jcmd");
        List<String> c = new ArrayList<>(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(pid)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", c) + " failed:\n" + out);
        }
        return out;
    }

    static Result parse(String output, String command, int seconds, int connections, int wrkThreads,
            double startSeconds) {
        double rps = find(output, "Requests/sec:\\s+([0-9.]+)");
        long errors = (long) orZero(find(output, "Non-2xx or 3xx responses:\\s+(\\d+)"));
        Matcher sock = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(output);
        if (sock.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(sock.group(i));
            }
        }
        return new Result(command, seconds, connections, wrkThreads, rps, latency(output, "50%"),
                latency(output, "90%"), latency(output, "99%"), errors, startSeconds, output, null);
    }

    private static double latency(String output, String percentile) {
        Matcher m = Pattern.compile("\\n\\s*" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static double find(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static boolean isExecutable(String program) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(path == null ? List.of() : List.of(path.split(":")));
        for (String d : dirs) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a {@code dagscope serve} child's output (to its end, so that it never blocks on a full pipe) on a daemon
     * thread, and completes with the base URL it says it serves on, or exceptionally when it exits first.
     */
    static CompletableFuture<String> serverAddress(Process server) {
        return serverAddress(server, null);
    }

    /**
     * As {@link #serverAddress(Process)}, also copying every line the server writes into a file.
     *
     * @param server the {@code dagscope serve} child
     * @param copy the file its output is copied to (created or truncated), or null for none
     * @return its base URL, once it says it
     */
    static CompletableFuture<String> serverAddress(Process server, Path copy) {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
                    Writer w = copy == null ? Writer.nullWriter() : Files.newBufferedWriter(copy)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        address.complete("http://" + m.group(1) + ":" + m.group(2));
                    }
                }
                address.completeExceptionally(new IOException("dagscope serve exited before serving"));
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
        }, "bench-serve-output");
        reader.setDaemon(true);
        reader.start();
        return address;
    }
}
