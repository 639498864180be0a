package io.dagscope.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server child's memory, from outside: the Java heap in use right after a full collection ({@code jcmd PID GC.run}
 * then {@code jcmd PID GC.heap_info}: what the server holds, not what it has not collected yet), its resident
 * set and thread count ({@code /proc/PID/status}), and the gauges of its {@code /metrics} that count what it holds
 * open ({@link #GAUGES}).
 */
final class ServerProbe {

    /** The server's gauges each sample reads: open WebSocket connections and subscriptions, runs kept. */
    static final List<String> GAUGES = List.of("dagscope_websocket_connections_active",
            "dagscope_subscriptions_active", "dagscope_engine_runs_kept");

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServerProbe() {
    }

    /**
     * One look at the server.
     *
     * @param label when it was taken ({@code start}, {@code 5m}, {@code end})
     * @param elapsedSeconds seconds since the soak started
     * @param heapAfterGcBytes the heap in use after a full collection; -1 when jcmd's output was not understood
     * @param rssBytes the resident set; -1 when unknown
     * @param threads the threads; -1 when unknown
     * @param gauges the values of {@link #GAUGES} that {@code /metrics} had
     */
    record Sample(String label, double elapsedSeconds, long heapAfterGcBytes, long rssBytes, long threads,
            Map<String, Double> gauges) {

        Sample {
            gauges = Collections.unmodifiableMap(new TreeMap<>(gauges));
        }
    }

    /**
     * Collects the server's garbage, then reads its heap, resident set and threads.
     *
     * @param jvm the JVM it was started with (for its jcmd)
     * @param pid the server's process id
     * @param base the server's base URL
     * @param adminToken a token that may read {@code /metrics}
     * @param label the sample's label
     * @param elapsedSeconds seconds since the soak started
     * @return the sample
     * @throws IOException if jcmd fails
     * @throws InterruptedException if interrupted
     */
    static Sample sample(ChildJvm jvm, long pid, String base, String adminToken, String label, double elapsedSeconds)
            throws IOException, InterruptedException {
        HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + adminToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> gauges = metrics.statusCode() == 200 ? gauges(metrics.body(), GAUGES) : Map.of();
        HttpBench.jcmd(jvm, pid, "GC.run");
        long heap = GcLog.heapInUse(HttpBench.jcmd(jvm, pid, "GC.heap_info"));
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            status = "";
        }
        long rssKb = statusField(status, "VmRSS");
        return new Sample(label, elapsedSeconds, heap, rssKb < 0 ? -1 : rssKb * 1024, statusField(status, "Threads"),
                gauges);
    }

    /**
     * Metrics from the Prometheus text format, each summed over its labels.
     *
     * @param text the exposition
     * @param names the metrics wanted
     * @return those found, by name
     */
    static Map<String, Double> gauges(String text, List<String> names) {
        Map<String, Double> found = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = line.substring(0, brace > 0 && brace < space ? brace : line.indexOf(' '));
            if (names.contains(name)) {
                try {
                    found.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return found;
    }

    /**
     * A number from {@code /proc/PID/status}.
     *
     * @param status the file's text
     * @param field the field ({@code VmRSS} is in kB, {@code Threads} a count)
     * @return the number, or -1 when the field is missing
     */
    static long statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String digits = line.substring(field.length() + 1).replaceAll("[^0-9]", "");
                return digits.isEmpty() ? -1 : Long.parseLong(digits);
            }
        }
        return -1;
    }
}
