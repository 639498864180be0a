package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The orchestration on {@code /metrics}, over the real samples: the engine's own figures per (tenant, DAG) and per
 * schedule, the cap on series, the JVM's metrics, and OpenMetrics for a scraper that asks for it.
 */
class FleetMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Samples by name, each with its labels (unescaped) and value. */
    private static Map<String, List<Map.Entry<Map<String, String>, Double>>> samples(String body) {
        Map<String, List<Map.Entry<Map<String, String>, Double>>> out = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not in the exposition format: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\n", "\n").replace("\\\"", "\"")
                            .replace("\\\\", "\\"));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new java.util.ArrayList<>())
                    .add(Map.entry(labels, Double.parseDouble(m.group(4))));
        }
        return out;
    }

    private static double value(Map<String, List<Map.Entry<Map<String, String>, Double>>> samples, String name,
            Map<String, String> labels) {
        return samples.getOrDefault(name, List.of()).stream().filter(e -> e.getKey().equals(new TreeMap<>(labels)))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("no " + name + labels));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> allTime(Http http, String tenant, String dag) {
        Http.Response r = http.graphql("query($t: String, $d: String) { taskSummary(tenant: $t, dagName: $d) "
                + "{ allTime { started succeeded failed retried } } }", Map.of("t", tenant, "d", dag), null, null);
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r.json().get("data"))
                .get("taskSummary")).get("allTime");
    }

    @Test
    void everyTenantAndDagHasTheEnginesCountersAndAnExactHistogram() {
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0), Authenticator.off())) {
            Http.Response response = f.http.get("/metrics");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.header("Content-Type"));
            var s = samples(response.body());
            List<Map.Entry<Map<String, String>, Double>> started = s.get("dagscope_tasks_started_total");
            assertTrue(started.size() >= 3, "the samples have several (tenant, DAG) pairs: " + started);
            for (var series : started) {
                String tenant = series.getKey().get("tenant");
                String dag = series.getKey().get("dag");
                if (tenant.isEmpty()) {
                    continue; // task events of no run: no tenant's to ask GraphQL for
                }
                Map<String, Object> expected = allTime(f.http, tenant, dag);
                assertEquals(((Number) expected.get("started")).doubleValue(), series.getValue(), tenant + dag);
                for (String outcome : List.of("succeeded", "failed", "retried")) {
                    assertEquals(((Number) expected.get(outcome)).doubleValue(), value(s, "dagscope_tasks_total",
                            Map.of("tenant", tenant, "dag", dag, "outcome", outcome)), outcome + " " + tenant + dag);
                }
                // cumulative buckets that end at the count
                double previous = 0;
                int bounds = 0;
                for (var bucket : s.get("dagscope_task_duration_seconds_bucket")) {
                    if (bucket.getKey().get("tenant").equals(tenant) && bucket.getKey().get("dag").equals(dag)) {
                        assertTrue(bucket.getValue() >= previous, "cumulative: " + bucket);
                        previous = bucket.getValue();
                        bounds++;
                    }
                }
                assertEquals(46, bounds, "45 bounds and +Inf");
                assertEquals(previous, value(s, "dagscope_task_duration_seconds_count", Map.of("tenant", tenant,
                        "dag", dag)));
            }
            assertTrue(s.containsKey("dagscope_runs_finished_total") && s.containsKey("dagscope_runs_open"),
                    s.keySet().toString());
            assertTrue(s.containsKey("dagscope_schedule_runs_enqueued_total"), s.keySet().toString());
            assertEquals(0.0, value(s, "dagscope_metrics_series_folded", Map.of("kind", "dag")));
            assertTrue(s.containsKey("jvm_memory_used_bytes") && s.containsKey("process_cpu_seconds_total"),
                    "the JVM's metrics come with the library");
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0), Authenticator.off())) {
            // what Prometheus 2 sends
            Http.Response r = f.http.get("/metrics", "Accept", "application/openmetrics-text;version=1.0.0,"
                    + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertTrue(r.header("Content-Type").startsWith("application/openmetrics-text; version=1.0.0"),
                    r.header("Content-Type"));
            assertTrue(r.body().endsWith("# EOF\n"), "an OpenMetrics exposition ends so");
            assertTrue(r.body().contains("# TYPE dagscope_tasks counter"), "OpenMetrics names a counter's family");
            assertTrue(r.body().contains("dagscope_tasks_total{"), r.body());
            Http.Response protobuf = f.http.get("/metrics", "Accept", "application/vnd.google.protobuf;"
                    + "proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", protobuf.header("Content-Type"),
                    "protobuf is not written: the text format instead");
        }
    }

    @Test
    void beyondTheCapTheRestIsSummedIntoOtherAndCounted() {
        long total;
        int pairs;
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0), Authenticator.off())) {
            var s = samples(f.http.get("/metrics").body());
            pairs = s.get("dagscope_tasks_started_total").size();
            total = Math.round(s.get("dagscope_tasks_started_total").stream().mapToDouble(Map.Entry::getValue)
                    .sum());
        }
        assertTrue(pairs > 3, "the samples have more pairs than the cap: " + pairs);
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0).withMetrics(new MetricsLimits(2,
                Duration.ofHours(6))), Authenticator.off())) {
            var s = samples(f.http.get("/metrics").body());
            var started = s.get("dagscope_tasks_started_total");
            assertEquals(3, started.size(), "two series and other: " + started);
            assertEquals(total, Math.round(started.stream().mapToDouble(Map.Entry::getValue).sum()),
                    "nothing is lost in the fold");
            assertEquals(pairs - 2.0, value(s, "dagscope_metrics_series_folded", Map.of("kind", "dag")));
            assertTrue(value(s, "dagscope_tasks_started_total", Map.of("tenant", "other", "dag", "other")) > 0);
            int schedules = s.get("dagscope_schedule_runs_enqueued_total").size();
            assertTrue(schedules <= 3, "schedules are capped too: " + schedules);
        }
    }

    @Test
    void aTenantAndDagNamedOtherJoinTheSumInsteadOfClashingWithIt() throws Exception {
        int pairs;
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0), Authenticator.off())) {
            pairs = samples(f.http.get("/metrics").body()).get("dagscope_tasks_started_total").size();
        }
        // with (other, other) and (zzz, z) added, the cap keeps (other, other) by name and folds (zzz, z) into a sum
        // that is labelled (other, other) too
        try (ServerFixture f = new ServerFixture(ServerOptions.defaults(0).withMetrics(new MetricsLimits(pairs + 1,
                Duration.ofHours(6))), Authenticator.off())) {
            double before = startedTotal(samples(f.http.get("/metrics").body()));
            f.appendEvents(List.of(start("other", "other", "o-1"), task("other", "o-1"), start("zzz", "z", "z-1"),
                    task("z", "z-1")));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<String, List<Map.Entry<Map<String, String>, Double>>> s;
            do {
                Thread.sleep(100);
                Http.Response r = f.http.get("/metrics");
                assertEquals(200, r.status(), r.body());
                s = samples(r.body());
            } while (startedTotal(s) < before + 2 && System.nanoTime() < deadline);
            assertEquals(before + 2, startedTotal(s), "both appended task starts are counted");
            var started = s.get("dagscope_tasks_started_total");
            assertEquals(pairs + 1, started.size(), "the kept series and one other: " + started);
            assertEquals(1, started.stream().filter(e -> e.getKey().get("tenant").equals("other")).count());
            assertEquals(2.0, value(s, "dagscope_tasks_started_total", Map.of("tenant", "other", "dag", "other")),
                    "the real (other, other) and (zzz, z), summed");
            assertEquals(2.0, value(s, "dagscope_metrics_series_folded", Map.of("kind", "dag")));
        }
    }

    private static String start(String tenant, String dag, String run) {
        return "{\"timestamp\": \"2025-10-22T13:50:00+00:00\", \"event\": \"dag_start\", \"dag_name\": \"" + dag
                + "\", \"tenant\": \"" + tenant + "\", \"task_count\": 1, \"dag_run_id\": \"" + run + "\"}";
    }

    private static String task(String dag, String run) {
        return "{\"timestamp\": \"2025-10-22T13:50:01+00:00\", \"event\": \"task_start\", \"dag_name\": \"" + dag
                + "\", \"task_id\": \"t\", \"dag_run_id\": \"" + run + "\"}";
    }

    private static double startedTotal(Map<String, List<Map.Entry<Map<String, String>, Double>>> s) {
        return s.get("dagscope_tasks_started_total").stream().mapToDouble(Map.Entry::getValue).sum();
    }
}
