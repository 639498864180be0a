package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dagscope.generator.GeneratorOptions;
import io.dagscope.generator.LiveLogWriter;
import io.dagscope.generator.LogGenerator;
import io.dagscope.server.config.Args;
import io.dagscope.server.monitoring.PrometheusServer;
import io.dagscope.server.monitoring.PrometheusTools;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real tools: {@code dagscope serve} on logs the generator writes live, in which one schedule
 * stops running; Debian's Prometheus scrapes it with the shipped rules until the missed-schedule alert fires for
 * that schedule and no other; then every expression of the Grafana dashboard runs through Prometheus's query API,
 * hostile label values come back exactly as written, and {@code histogram_quantile}'s p95 agrees with dagscope's
 * own within the histogram's resolution.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A DAG and a tenant name built to break an exposition written by hand. */
    private static final String HOSTILE_DAG = "evil\"dag\\with\nnewline, \u00e9t\u00e9 \u65e5\u672c {x=\"1\"} "
            + "x".repeat(3000);
    private static final String HOSTILE_TENANT = "ten\"ant\\\n\u00fc";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aStoppedScheduleFiresTheMissedRunsAlertAndTheDashboardsQueriesAnswer() throws Exception {
        PrometheusTools.require(PrometheusTools.PROMETHEUS);
        Path logs = tmp.resolve("logs");
        // two hours of history ending 12 minutes ago; the live writer writes those 12 minutes at once, then keeps
        // time: the stopped schedule has been missing its slots for 12 minutes when the test starts
        GeneratorOptions options = GeneratorOptions.builder().days(2.0 / 24).ratePerMinute(300).seed(5)
                .schedulerHiccups(false).build();
        LogGenerator generator = LogGenerator.create(options, Clock.offset(Clock.systemUTC(),
                Duration.ofMinutes(-12)));
        generator.writeHistory(logs, false);
        Path events = logs.resolve(LogGenerator.RUNNER_LOG);
        appendHostileRun(events, Instant.now().minus(Duration.ofMinutes(13)));
        Map.Entry<String, Integer> stopped = mostFrequentSchedule(logs.resolve(LogGenerator.SCHEDULES_DIR));
        LiveLogWriter live = generator.liveWriter(Clock.systemUTC());
        live.stopSchedule(stopped.getKey());
        live.start();

        CountDownLatch stop = new CountDownLatch(1);
        ServeCommand serve = new ServeCommand(stop);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
                SourceFactories.discover(getClass().getClassLoader()));
        Args args = Args.parse("serve", new String[] {"--events", events.toString(), "--state",
            logs.resolve(LogGenerator.STATE_LOG).toString(), "--schedules",
            logs.resolve(LogGenerator.SCHEDULES_DIR).toString(), "--port", "0"}, serve.flags());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = thread.submit(() -> serve.run(args, io));
            Matcher port = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
            await("dagscope to listen", Duration.ofSeconds(120), () -> {
                assertFalse(status.isDone(), "serve ended early: " + log());
                return port.reset(log()).find();
            });
            String dagscope = "127.0.0.1:" + port.group(1);
            try (PrometheusServer prometheus = PrometheusServer.start(tmp.resolve("prometheus"), dagscope)) {
                // the stopped schedule misses a slot every few minutes: the alert fires within that, plus scrapes
                await("the missed-runs alert to fire for " + stopped.getKey(), Duration.ofMinutes(stopped.getValue()
                        + 4), () -> firingMissedRuns(prometheus).contains(stopped.getKey()));
                assertEquals(Set.of(stopped.getKey()), missedRunsAlerts(prometheus),
                        "the alert is about the stopped schedule and no other");
                JsonNode target = prometheus.api("/api/v1/targets").at("/data/activeTargets/0");
                assertEquals("up", target.get("health").asText(), target.toString());
                assertEquals("", target.get("lastError").asText(), "the scrape parses");

                everyDashboardExpressionAnswers(prometheus);
                hostileLabelsComeBackAsWritten(prometheus);

                live.close();
                assertTrue(live.failure().isEmpty(), () -> live.failure().get().toString());
                p95AgreesWithDagscope(prometheus, "http://" + dagscope);
                assertEquals(Set.of(stopped.getKey()), missedRunsAlerts(prometheus), "still no other schedule");
            }
            stop.countDown();
            assertEquals(0, status.get(60, TimeUnit.SECONDS));
        } finally {
            live.close();
            stop.countDown();
            thread.shutdownNow();
        }
    }

    /** A run whose tenant and DAG names are hostile, and a line that is not JSON (a skip to count). */
    private static void appendHostileRun(Path events, Instant at) throws IOException {
        ObjectNode start = JSON.createObjectNode().put("timestamp", at.toString()).put("event", "dag_start")
                .put("dag_name", HOSTILE_DAG).put("tenant", HOSTILE_TENANT).put("task_count", 1)
                .put("dag_run_id", "hostile-run");
        ObjectNode task = JSON.createObjectNode().put("timestamp", at.plusMillis(10).toString())
                .put("event", "task_start").put("dag_name", HOSTILE_DAG).put("task_id", "t")
                .put("dag_run_id", "hostile-run");
        ObjectNode ok = JSON.createObjectNode().put("timestamp", at.plusSeconds(3).toString()).put("event", "task_ok")
                .put("dag_name", HOSTILE_DAG).put("task_id", "t").put("attempt", 1).put("dag_run_id", "hostile-run");
        Files.writeString(events, JSON.writeValueAsString(start) + "\n" + JSON.writeValueAsString(task) + "\n"
                + JSON.writeValueAsString(ok) + "\n{not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The enabled schedule with the shortest {@code *}{@code /n} step, and that step in minutes. */
    private static Map.Entry<String, Integer> mostFrequentSchedule(Path schedules) throws IOException {
        String best = null;
        int bestStep = Integer.MAX_VALUE;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(schedules, "*.yaml")) {
            for (Path file : files) {
                for (JsonNode s : YAML.readTree(file.toFile())) {
                    String cron = s.get("cron").asText();
                    Matcher step = Pattern.compile("^\\*/(\\d+) \\* \\* \\* \\*$").matcher(cron);
                    boolean enabled = !s.has("enabled") || s.get("enabled").asBoolean();
                    if (enabled && step.matches() && Integer.parseInt(step.group(1)) < bestStep) {
                        bestStep = Integer.parseInt(step.group(1));
                        best = s.get("id").asText();
                    }
                }
            }
        }
        assertTrue(best != null, "the fleet has a schedule every few minutes");
        return Map.entry(best, bestStep);
    }

    private static Set<String> firingMissedRuns(PrometheusServer prometheus) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode alert : prometheus.api("/api/v1/alerts").at("/data/alerts")) {
            if (alert.at("/labels/alertname").asText().equals("DagscopeScheduleMissedRuns")
                    && alert.get("state").asText().equals("firing")) {
                out.add(alert.at("/labels/schedule").asText());
            }
        }
        return out;
    }

    /** The schedules of every missed-runs alert, pending or firing. */
    private static Set<String> missedRunsAlerts(PrometheusServer prometheus) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode alert : prometheus.api("/api/v1/alerts").at("/data/alerts")) {
            if (alert.at("/labels/alertname").asText().equals("DagscopeScheduleMissedRuns")) {
                out.add(alert.at("/labels/schedule").asText());
            }
        }
        return out;
    }

    /** Every panel's and annotation's PromQL parses and returns data; so do the template variables' lookups. */
    private static void everyDashboardExpressionAnswers(PrometheusServer prometheus) throws Exception {
        JsonNode dashboard = JSON.readTree(PrometheusTools.DEPLOY.resolve("grafana").resolve("dagscope.json")
                .toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.get("expr").asText());
            }
        }
        for (JsonNode annotation : dashboard.at("/annotations/list")) {
            expressions.add(annotation.get("expr").asText());
        }
        assertTrue(expressions.size() >= 15, "the dashboard's expressions: " + expressions);
        for (String expr : expressions) {
            // what Grafana puts in place of its variables: every tenant and DAG, a minute's rate, a 10 minutes' range
            String promql = expr.replace("$__rate_interval", "1m").replace("$__range", "10m")
                    .replace("$tenant", ".*").replace("$dag", ".*");
            JsonNode answer = prometheus.query(promql);
            assertEquals("success", answer.get("status").asText(), expr + ": " + answer);
            assertFalse(answer.at("/data/result").isEmpty(), "no data for " + expr);
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (!variable.get("type").asText().equals("query")) {
                continue;
            }
            Matcher labelValues = Pattern.compile("label_values\\((.+), (\\w+)\\)").matcher(variable
                    .get("definition").asText());
            assertTrue(labelValues.matches(), variable.toString());
            String match = labelValues.group(1).replace("$tenant", ".*");
            JsonNode values = prometheus.api("/api/v1/label/" + labelValues.group(2) + "/values?match[]="
                    + java.net.URLEncoder.encode(match, StandardCharsets.UTF_8));
            assertEquals("success", values.get("status").asText(), values.toString());
            assertFalse(values.get("data").isEmpty(), "no values for the variable " + variable.get("name"));
        }
    }

    /** The exposition escaped them, Prometheus's parser read them back: the label values are the names as written. */
    private static void hostileLabelsComeBackAsWritten(PrometheusServer prometheus) throws Exception {
        Set<String> dags = new HashSet<>();
        prometheus.api("/api/v1/label/dag/values").get("data").forEach(v -> dags.add(v.asText()));
        assertTrue(dags.contains(HOSTILE_DAG), "the hostile DAG name, exactly: " + dags.size() + " names");
        Set<String> tenants = new HashSet<>();
        prometheus.api("/api/v1/label/tenant/values").get("data").forEach(v -> tenants.add(v.asText()));
        assertTrue(tenants.contains(HOSTILE_TENANT), "the hostile tenant, exactly: " + tenants);
        JsonNode skipped = prometheus.query("dagscope_source_lines_skipped_total");
        assertFalse(skipped.at("/data/result").isEmpty(), "the line that is not JSON is counted: " + skipped);
    }

    /**
     * With the logs still, Prometheus's p95 of the busiest (tenant, DAG), from its histogram, and dagscope's own over
     * all time lie in the same bucket: they differ by at most that bucket's width (docs/monitoring.md).
     */
    private void p95AgreesWithDagscope(PrometheusServer prometheus, String dagscope) throws Exception {
        JsonNode busiest = prometheus.query("topk(1, sum by (tenant, dag) (dagscope_task_duration_seconds_count))")
                .at("/data/result/0/metric");
        String tenant = busiest.get("tenant").asText();
        String dag = busiest.get("dag").asText();
        String selector = "{tenant=\"" + tenant + "\",dag=\"" + dag + "\"}";
        String query = "{ taskSummary(tenant: \"" + tenant + "\", dagName: \"" + dag + "\") { allTime { succeeded "
                + "failed p95DurationSeconds } } }";
        JsonNode[] stats = new JsonNode[1];
        // the writer has stopped: wait until Prometheus has scraped what dagscope has read
        await("Prometheus to catch up with dagscope", Duration.ofSeconds(60), () -> {
            stats[0] = graphql(dagscope, query).at("/data/taskSummary/allTime");
            double finished = stats[0].get("succeeded").asDouble() + stats[0].get("failed").asDouble();
            JsonNode scraped = prometheus.query("sum(dagscope_tasks_total{outcome=~\"succeeded|failed\","
                    + selector.substring(1) + ")").at("/data/result/0/value/1");
            return !scraped.isMissingNode() && Double.parseDouble(scraped.asText()) == finished
                    && graphql(dagscope, query).at("/data/taskSummary/allTime").equals(stats[0]);
        });
        double p95 = stats[0].get("p95DurationSeconds").asDouble();
        double estimate = Double.parseDouble(prometheus.query("histogram_quantile(0.95, sum by (le) "
                + "(dagscope_task_duration_seconds_bucket" + selector + "))").at("/data/result/0/value/1").asText());
        TreeSet<Double> bounds = new TreeSet<>();
        for (JsonNode series : prometheus.query("dagscope_task_duration_seconds_bucket" + selector)
                .at("/data/result")) {
            String le = series.at("/metric/le").asText();
            if (!le.equals("+Inf")) {
                bounds.add(Double.parseDouble(le));
            }
        }
        assertEquals(45, bounds.size(), bounds.toString());
        Double upper = bounds.ceiling(p95);
        Double lower = bounds.lower(p95);
        assertTrue(upper != null, "p95 " + p95 + " above the histogram's last bound");
        double low = lower == null ? 0 : lower;
        assertTrue(estimate >= low && estimate <= upper, "Prometheus's p95 " + estimate + " and dagscope's " + p95
                + " in one bucket (" + low + ", " + upper + "]: within the documented resolution");
    }

    private JsonNode graphql(String base, String query) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private String log() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Polls a condition every half second until it holds, failing at the deadline. */
    private static void await(String what, Duration timeout, ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}
