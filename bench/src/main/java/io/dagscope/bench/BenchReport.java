package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Renders a run's summary (the JSON that {@code summary.json} holds) as Markdown, for the console and summary.md. */
final class BenchReport {

    private BenchReport() {
    }

    static String markdown(JsonNode s) {
        StringBuilder b = new StringBuilder();
        JsonNode w = s.path("workload");
        JsonNode m = s.path("machine");
        boolean valid = s.path("verdict").asText().equals("VALID");
        b.append("## dagscope bench: ").append(s.path("verdict").asText()).append("\n\n");
        b.append(f("- Workload: %,d lines (%,d events), %,.1f MB over both logs; `%s`%n", w.path("lines").asLong(),
                w.path("events").asLong(), w.path("bytes").asLong() / 1e6, w.path("generateCommand").asText()));
        b.append(f("- Window: %s h ending %s; %d runs of each side, in turns; threads %d%n",
                w.path("windowHours").asText(), w.path("windowEnd").asText(), s.path("runs").asInt(),
                s.path("threads").asInt()));
        b.append(f("- Machine: %s, %d cores, %.1f GB; load average %s before, %s after%n", m.path("cpu").asText(),
                m.path("cores").asInt(), m.path("memoryBytes").asLong() / 1e9, m.path("loadAverageBefore").asText(),
                m.path("loadAverageAfter").asText()));
        String product = m.path("productJvmOptions").asText("");
        b.append(f("- JVMs: %s, options `%s`%s; %s; %s%n", m.path("java").asText(), m.path("jvmOptions").asText(),
                product.isEmpty() ? "" : " (and `" + product + "` for the product's jar: the launcher's class-data "
                        + "archive)",
                m.path("duckdb").asText(), m.path("measuredWith").asText()));
        b.append(f("- JVM start-up (dagscope query on empty logs): %.2f s, peak RSS %,.0f MB%n%n",
                s.path("jvmStartupSeconds").asDouble(), s.path("jvmStartupPeakRssBytes").asLong() / 1e6));
        if (!valid) {
            b.append("**VOID: the answers differ, so no speed is reported.** ").append(s.path("differenceCount")
                    .asInt()).append(" differences:\n\n");
            for (JsonNode d : s.path("differences")) {
                b.append("- ").append(d.asText()).append('\n');
            }
            b.append('\n');
        }
        b.append("| side | wall s (median) | events/s | MB/s | CPU s | events per CPU-s | peak RSS MB "
                + "| peak heap MB | parts |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode r : s.path("results")) {
            String parts = "";
            if (r.has("ingestSeconds")) {
                parts = f("ingest %.2f s (%,.0f events/s) + queries %.3f s", r.path("ingestSeconds").asDouble(),
                        r.path("ingestEventsPerSecond").asDouble(), r.path("querySeconds").asDouble());
            } else if (r.has("loadSeconds")) {
                parts = f("load %.2f s (%,.0f events/s) + queries %.3f s", r.path("loadSeconds").asDouble(),
                        r.path("loadEventsPerSecond").asDouble(), r.path("querySeconds").asDouble());
            }
            b.append(f("| %s | %.2f | %s | %s | %.2f | %s | %,.0f | %,.0f | %s |%n", r.path("system").asText(),
                    r.path("wallSeconds").asDouble(), valid ? f("%,.0f", r.path("eventsPerSecond").asDouble())
                            : "VOID", valid ? f("%.1f", r.path("megabytesPerSecond").asDouble()) : "VOID",
                    r.path("cpuSeconds").asDouble(), valid ? f("%,.0f", r.path("eventsPerCpuSecond").asDouble())
                            : "VOID", r.path("peakRssBytes").asLong() / 1e6, r.path("peakHeapBytes").asLong() / 1e6,
                    parts));
        }
        if (valid) {
            JsonNode ratio = s.path("throughputRatioDagscopeToDuckDb");
            b.append(f("%nThroughput dagscope ÷ DuckDB: **%.2f×** as whole processes (start to answers), "
                    + "**%.2f×** in-process (ingest + queries vs load + queries); per CPU-second of the whole "
                    + "processes **%.2f×**.%n", ratio.path("process").asDouble(), ratio.path("inProcess").asDouble(),
                    ratio.path("processPerCpuSecond").asDouble()));
            b.append(f("Answers agree within METRICS.md's tolerances (counts exact, durations 1 ms, quantiles 1 %%): "
                    + "%,d runs, %,d task durations, p95 %.3f s all time, %d tenants in the window, %d schedules.%n",
                    s.path("answers").path("runs").asLong(), s.path("answers").path("durationsAllTime").asLong(),
                    s.path("answers").path("p95AllTimeSeconds").asDouble(),
                    s.path("answers").path("tenantsInWindow").asInt(), s.path("answers").path("schedules").asInt()));
        }
        JsonNode h = s.path("http");
        if (h.isObject()) {
            b.append(f("%nHTTP (`%s`, a cached query on loopback, after a " + HttpBench.WARM_UP_SECONDS
                    + " s warm-up): **%,.0f requests/s**, latency p50 %.2f ms, "
                    + "p90 %.2f ms, p99 **%.2f ms**, %d errors; the server answered first %.1f s after start.%n",
                    h.path("command").asText(), h.path("requestsPerSecond").asDouble(),
                    h.path("latencyP50Millis").asDouble(), h.path("latencyP90Millis").asDouble(),
                    h.path("latencyP99Millis").asDouble(), h.path("errors").asLong(),
                    h.path("serverStartSeconds").asDouble()));
            if (h.path("profile").isTextual()) {
                b.append('\n').append(h.path("profile").asText().replace("## ", "### "));
            }
        }
        return b.toString();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
