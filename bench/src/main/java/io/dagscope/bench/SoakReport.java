package io.dagscope.bench;

import static io.dagscope.bench.BenchReport.f;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The soak's summary ({@code soak.json}) as Markdown ({@code soak.md}). */
final class SoakReport {

    private SoakReport() {
    }

    static String markdown(JsonNode s) {
        StringBuilder b = new StringBuilder();
        JsonNode set = s.path("settings");
        b.append(f("## dagscope bench soak: %s under mixed load%n%n", set.path("duration").asText()));
        b.append(f("`dagscope serve --auth` (JVM options `%s`) on %,d lines of history (seed %d, start %s; tenants %s), "
                + "`--end %s`, `--window-hours 24`; %s, load average %s before, %s after; %s.%n%n",
                s.path("jvmOptions").asText(), set.path("historyLines").asLong(), set.path("seed").asLong(),
                set.path("start").asText(), join(s.path("tenants")), s.path("end").asText(),
                s.path("machine").asText(), s.path("loadAverageBefore").asText(),
                s.path("loadAverageAfter").asText(), s.path("measuredAt").asText()));
        b.append(f("Load, all at once for %.0f s:%n%n", s.path("seconds").asDouble()));
        b.append(f("- dashboards polling over HTTP with the dashboard's %d operations (from the product's "
                + "`queries.js`): the admin's and each tenant's, %.1f requests/s each, with its own token;%n",
                s.path("operations").size(), set.path("ratePerDashboard").asDouble()));
        b.append(f("- %d WebSocket connections (graphql-transport-ws) with the dashboard's subscriptions;%n",
                set.path("subscribers").asInt()));
        b.append(f("- an abuser with a valid token: %d threads sending expensive documents flat out (under the field "
                + "limit, each window moved so that no answer is cached), and %.0f bad connections a second "
                + "(never-init and dropped handshakes, a foreign Origin, a wrong token over WebSocket and HTTP);%n",
                set.path("abuseThreads").asInt(), set.path("abuseHandshakesPerSecond").asDouble()));
        b.append(f("- %.0f lines/s appended to both followed logs, rotated every %s (renamed; the previous rotation "
                + "gzip'd).%n%n", set.path("appendLinesPerSecond").asDouble(), set.path("rotateEvery").asText()));
        if (s.has("failure")) {
            b.append("**FAILED: ").append(s.path("failure").asText()).append("**\n\n");
        }

        b.append("### Server memory (after a full GC: `jcmd PID GC.run`, then `GC.heap_info`; gauges from `/metrics`)"
                + "\n\n");
        b.append("| when | heap in use MB | RSS MB | threads | WebSockets open | subscriptions | runs kept |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode h : s.path("heap")) {
            JsonNode g = h.path("gauges");
            b.append(f("| %s | %,.1f | %,.0f | %d | %s | %s | %s |%n", h.path("label").asText(),
                    h.path("heapAfterGcBytes").asLong() / 1e6, h.path("rssBytes").asLong() / 1e6,
                    h.path("threads").asLong(), gauge(g, "dagscope_websocket_connections_active"),
                    gauge(g, "dagscope_subscriptions_active"), gauge(g, "dagscope_engine_runs_kept")));
        }
        JsonNode heap = s.path("heap");
        if (heap.size() > 2) {
            b.append("\nThe samples between the start and the end are taken under load: they hold the answers being "
                    + "computed at that moment. The start and the end are taken without load.\n");
        }
        if (heap.size() >= 2) {
            double first = heap.get(0).path("heapAfterGcBytes").asLong() / 1e6;
            double last = heap.get(heap.size() - 1).path("heapAfterGcBytes").asLong() / 1e6;
            b.append(f("%nHeap from the start to the end: %+,.1f MB (%+.0f %%).%n", last - first,
                    100 * (last - first) / first));
        }

        b.append("\n### Latency by caller (ms; a dashboard's from when its request was due)\n\n");
        b.append("| caller | requests | p50 | p99 | max | statuses | errors |\n|---|---:|---:|---:|---:|---|---|\n");
        for (JsonNode c : s.path("dashboards")) {
            row(b, c);
        }
        row(b, s.path("abuser"));
        b.append("\n### The dashboards' latency over time (every dashboard's requests)\n\n");
        b.append("| seconds | requests | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        for (JsonNode p : s.path("dashboardsByPeriod")) {
            JsonNode l = p.path("latency");
            b.append(f("| %.0f-%.0f | %,d | %s | %s | %s |%n", p.path("fromSeconds").asDouble(),
                    p.path("toSeconds").asDouble(), l.path("requests").asLong(), ms(l.path("p50Millis")),
                    ms(l.path("p99Millis")), ms(l.path("maxMillis"))));
        }

        b.append("\n### The abuser's bad connections (latency to the server's refusal or close)\n\n");
        b.append("| kind | attempts | outcomes | p50 ms | p99 ms | unexpected |\n|---|---:|---|---:|---:|---|\n");
        for (JsonNode h : s.path("handshakes")) {
            b.append(f("| %s | %,d | %s | %s | %s | %s |%n", h.path("caller").asText(), h.path("requests").asLong(),
                    counts(h.path("statuses")), ms(h.path("p50Millis")), ms(h.path("p99Millis")),
                    counts(h.path("errors"))));
        }

        b.append("\n### Subscriptions\n\n| connection | subscriptions sent | updates (`next`) | connects | problems |\n"
                + "|---|---:|---:|---:|---|\n");
        for (JsonNode c : s.path("subscriptions")) {
            b.append(f("| %s | %d | %,d | %d | %s |%n", c.path("name").asText(), c.path("subscriptions").asLong(),
                    c.path("updates").asLong(), c.path("connects").asLong(), counts(c.path("problems"))));
        }

        JsonNode a = s.path("appends");
        b.append(f("%n### Appends and rotations%n%n%,d lines appended, %d rotations of both logs, %d rotated files "
                + "gzip'd%s. Files at the end:", a.path("linesAppended").asLong(), a.path("rotations").asInt(),
                a.path("compressed").asInt(), a.path("exhausted").asBoolean() ? " (the generated lines ran out)" : ""));
        for (JsonNode file : a.path("files")) {
            b.append(f(" `%s` %,d B;", file.path("name").asText(), file.path("bytes").asLong()));
        }
        b.append('\n');
        for (JsonNode failure : a.path("failures")) {
            b.append("\n**").append(failure.asText()).append("**\n");
        }

        b.append("\n### Errors by kind (every caller)\n\n");
        if (s.path("errorsByKind").isEmpty()) {
            b.append("None.\n");
        } else {
            b.append("| kind | count |\n|---|---:|\n");
            s.path("errorsByKind").properties().forEach(e -> b.append(f("| %s | %,d |%n", e.getKey(),
                    e.getValue().asLong())));
        }
        b.append(f("%nThe server's log (`server.log`): %,d lines, %,d of them about a failure or a warning; by kind: "
                + "%s.%n", s.path("serverLog").path("lines").asLong(), s.path("serverLog").path("failureLines")
                .asLong(), counts(s.path("serverLog").path("byKind"))));

        JsonNode ans = s.path("answers");
        b.append("\n### Answers at the end\n\n");
        if (ans.isMissingNode()) {
            b.append("Not checked.\n");
            return b.toString();
        }
        JsonNode diffs = ans.path("differences");
        if (diffs.isEmpty()) {
            b.append(f("**The same.** The server read the last lines %.1f s after the load stopped; then its answers "
                    + "to %d documents equal those of a one-shot `dagscope query` over the final logs (rotated and "
                    + "gzip'd files included, same `--end` and window), exactly (sources' lag left out: the server's "
                    + "is 0).%n", ans.path("catchUpSeconds").asDouble(), ans.path("checked").size()));
        } else {
            b.append(f("**DIFFERENT: %d differences** (server vs one-shot `dagscope query` over the final logs):%n%n",
                    diffs.size()));
            for (JsonNode d : diffs) {
                b.append("- ").append(d.asText()).append('\n');
            }
        }
        b.append("\nDocuments: ").append(join(ans.path("checked"))).append(".\n");
        return b.toString();
    }

    private static void row(StringBuilder b, JsonNode c) {
        b.append(f("| %s | %,d | %s | %s | %s | %s | %s |%n", c.path("caller").asText(), c.path("requests").asLong(),
                ms(c.path("p50Millis")), ms(c.path("p99Millis")), ms(c.path("maxMillis")), counts(c.path("statuses")),
                c.path("errors").isEmpty() ? "none" : counts(c.path("errors"))));
    }

    private static String gauge(JsonNode gauges, String name) {
        return gauges.path(name).isNumber() ? f("%,.0f", gauges.path(name).asDouble()) : "-";
    }

    private static String ms(JsonNode v) {
        return v.isNumber() && !Double.isNaN(v.asDouble()) ? f("%,.1f", v.asDouble()) : "-";
    }

    static String counts(JsonNode m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" ×").append(f("%,d", e.getValue()
                    .asLong()));
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static String join(JsonNode list) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : list) {
            b.append(b.length() == 0 ? "" : ", ").append(n.asText());
        }
        return b.toString();
    }
}
