package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.FleetFigures;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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

    private static FleetFigures.DagFigures dag(String tenant, String name, long started) {
        return new FleetFigures.DagFigures(tenant, name, started, 0, 0, 0, new long[] {started, 0}, 1.5 * started,
                0, 0, 0, 0, 0, Optional.empty());
    }

    private static FleetFigures.ScheduleFigures schedule(String id, long enqueued) {
        return new FleetFigures.ScheduleFigures(id, Optional.of("acme"), Optional.of("x.yaml"), Optional.of(true),
                enqueued, 0, 0, 0, 0, OptionalLong.of(1), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.of(60), Optional.empty());
    }

    @Test
    void aTenantAndDagNamedOtherJoinTheSumInsteadOfClashingWithIt() throws Exception {
        // by name, a cap of 2 would keep (acme, etl) and the real (other, other), and fold (zzz, z) into a sum
        // labelled (other, other) too: two series of one name and labels, which the library refuses. The real one
        // joins the fold instead; likewise the schedule named other
        FleetFigures figures = new FleetFigures(Instant.parse("2025-10-22T14:00:00Z"), List.of(1.0),
                List.of(dag("zzz", "z", 5), dag("other", "other", 3), dag("acme", "etl", 7)),
                List.of(schedule("a", 1), schedule("other", 2), schedule("z", 4)));
        FleetMetrics metrics = new FleetMetrics(staleAfter -> figures, new MetricsLimits(2, Duration.ofHours(6)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.collect());
        var s = samples(out.toString(StandardCharsets.UTF_8));
        var started = s.get("dagscope_tasks_started_total");
        assertEquals(3, started.size(), "two series and one other: " + started);
        assertEquals(3.0, value(s, "dagscope_tasks_started_total", Map.of("tenant", "other", "dag", "other")),
                "the real (other, other), in the sum");
        assertEquals(5.0, value(s, "dagscope_tasks_started_total", Map.of("tenant", "zzz", "dag", "z")));
        assertEquals(1.0, value(s, "dagscope_metrics_series_folded", Map.of("kind", "dag")));
        assertEquals(3.0, value(s, "dagscope_task_duration_seconds_count", Map.of("tenant", "other", "dag",
                "other")));
        var enqueued = s.get("dagscope_schedule_runs_enqueued_total");
        assertEquals(3, enqueued.size(), enqueued.toString());
        assertEquals(2.0, value(s, "dagscope_schedule_runs_enqueued_total", Map.of("schedule", "other", "tenant",
                "other", "dag_path", "other")));
        assertEquals(1.0, value(s, "dagscope_schedule_missed_runs_total", Map.of("schedule", "other", "tenant",
                "other", "dag_path", "other")));
        assertEquals(1.0, value(s, "dagscope_metrics_series_folded", Map.of("kind", "schedule")));
        assertTrue(!s.containsKey("dagscope_schedule_interval_seconds") || s.get("dagscope_schedule_interval_seconds")
                .stream().noneMatch(e -> e.getKey().get("schedule").equals("other")),
                "a sum of schedules has no interval");
    }
}
