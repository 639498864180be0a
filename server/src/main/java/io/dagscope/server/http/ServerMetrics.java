package io.dagscope.server.http;

import io.dagscope.core.engine.EngineStats;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.snapshot.SnapshotKeeper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The server's own figures, written in the Prometheus text exposition format (version 0.0.4) by hand: GraphQL
 * operations and their latencies by operation name, HTTP responses by route and status, the result cache, the events
 * ingested, lines skipped by reason, and the sources' health. Operation names come from clients, so only valid GraphQL
 * names are used as labels, and at most {@value #MAX_OPERATION_NAMES} of them; the rest count as {@code other}.
 */
final class ServerMetrics {

    static final int MAX_OPERATION_NAMES = 200;
    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,99}");
    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final SourceStatusQuery sources;
    private final LongSupplier eventsIngested;
    private final Supplier<EngineStats> engineStats;
    private final Supplier<Optional<SnapshotKeeper.Stats>> snapshots;
    private final Redactor redactor;
    private final Map<List<String>, LongAdder> operations = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<List<String>, LongAdder> responses = new ConcurrentHashMap<>();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    /**
     * @param sources the sources, for events read, lines skipped and health
     * @param eventsIngested events delivered to the engine so far
     * @param engineStats the engine's own figures
     * @param snapshots what the snapshot keeper has done, when snapshots are kept
     * @param redactor masks secrets in source names and reasons
     */
    ServerMetrics(SourceStatusQuery sources, LongSupplier eventsIngested, Supplier<EngineStats> engineStats,
            Supplier<Optional<SnapshotKeeper.Stats>> snapshots, Redactor redactor) {
        this.sources = sources;
        this.eventsIngested = eventsIngested;
        this.engineStats = engineStats;
        this.snapshots = snapshots;
        this.redactor = redactor;
    }

    /**
     * The label an operation name gets.
     *
     * @param name the operation's name as the client gave it, or null
     * @return the name, {@code anonymous}, {@code invalid} or {@code other}
     */
    String operationLabel(String name) {
        if (name == null || name.isEmpty()) {
            return "anonymous";
        }
        if (!GRAPHQL_NAME.matcher(name).matches()) {
            return "invalid";
        }
        if (latencies.containsKey(name) || latencies.size() < MAX_OPERATION_NAMES) {
            return name;
        }
        return "other";
    }

    /**
     * Counts one GraphQL operation.
     *
     * @param operation its label, from {@link #operationLabel}
     * @param transport {@code http} or {@code websocket}
     * @param outcome what it came to
     * @param nanos how long it took
     */
    void graphql(String operation, String transport, Outcome outcome, long nanos) {
        operations.computeIfAbsent(List.of(operation, transport, outcome.label()), k -> new LongAdder()).increment();
        latencies.computeIfAbsent(operation, k -> new Histogram()).observe(nanos / 1e9);
    }

    /**
     * Counts one HTTP response.
     *
     * @param route the route's path template (never the raw path, which clients choose)
     * @param status the status code
     */
    void response(String route, int status) {
        responses.computeIfAbsent(List.of(route, Integer.toString(status)), k -> new LongAdder()).increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }

    void subscriptionsChanged(long delta) {
        subscriptions.addAndGet(delta);
    }

    void connectionsChanged(long delta) {
        connections.addAndGet(delta);
    }

    /** @return every metric in the Prometheus text format */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "dagscope_graphql_requests_total", "counter",
                "GraphQL operations answered, by operation name, transport and outcome.");
        asText(operations).forEach((labels, n) -> out.append("dagscope_graphql_requests_total{")
                .append("operation=\"").append(escape(labels.get(0))).append("\",transport=\"")
                .append(labels.get(1)).append("\",outcome=\"").append(labels.get(2)).append("\"} ").append(n)
                .append('\n'));

        header(out, "dagscope_graphql_request_duration_seconds", "histogram",
                "Time to answer a GraphQL operation (cache hits included), by operation name.");
        new TreeMap<>(latencies).forEach((operation, histogram) -> histogram.render(out,
                "dagscope_graphql_request_duration_seconds", "operation=\"" + escape(operation) + "\""));

        header(out, "dagscope_http_responses_total", "counter", "HTTP responses, by route and status code.");
        asText(responses).forEach((labels, n) -> out.append("dagscope_http_responses_total{route=\"")
                .append(escape(labels.get(0))).append("\",status=\"").append(labels.get(1)).append("\"} ").append(n)
                .append('\n'));

        header(out, "dagscope_result_cache_hits_total", "counter", "GraphQL answers served from the result cache.");
        out.append("dagscope_result_cache_hits_total ").append(cacheHits.sum()).append('\n');
        header(out, "dagscope_result_cache_misses_total", "counter", "GraphQL answers that had to be computed.");
        out.append("dagscope_result_cache_misses_total ").append(cacheMisses.sum()).append('\n');
        header(out, "dagscope_subscriptions_active", "gauge", "GraphQL subscriptions open now.");
        out.append("dagscope_subscriptions_active ").append(subscriptions.get()).append('\n');
        header(out, "dagscope_websocket_connections_active", "gauge", "WebSocket connections open now.");
        out.append("dagscope_websocket_connections_active ").append(connections.get()).append('\n');

        header(out, "dagscope_events_ingested_total", "counter", "Events delivered by every source to the engine.");
        out.append("dagscope_events_ingested_total ").append(eventsIngested.getAsLong()).append('\n');

        EngineStats engine = engineStats.get();
        header(out, "dagscope_engine_runs_kept", "gauge", "Runs kept in detail (the retention drops older ones).");
        out.append("dagscope_engine_runs_kept ").append(engine.runsKept()).append('\n');
        header(out, "dagscope_engine_runs_dropped_total", "counter", "Runs whose detail the retention dropped.");
        out.append("dagscope_engine_runs_dropped_total ").append(engine.runsDropped()).append('\n');
        header(out, "dagscope_engine_aggregate_cells", "gauge",
                "Partial aggregates of task events kept (minute, hour and day cells, live or sealed).");
        out.append("dagscope_engine_aggregate_cells ").append(engine.cells()).append('\n');
        header(out, "dagscope_engine_aggregate_cells_sealed", "gauge",
                "Of those, the minute, hour and day cells kept in sealed days' compact blocks.");
        out.append("dagscope_engine_aggregate_cells_sealed ").append(engine.cellsSealed()).append('\n');
        header(out, "dagscope_engine_sealed_bytes", "gauge", "The size of the sealed days' blocks, in bytes.");
        out.append("dagscope_engine_sealed_bytes ").append(engine.sealedBytes()).append('\n');
        HistoryStore.Usage history = engine.history();
        header(out, "dagscope_history_bytes", "gauge", "What the history store holds, in bytes, by part (store "
                + "\"files\": memory-mapped files; \"heap\": the heap).");
        String store = "{store=\"" + history.kind() + "\",part=\"";
        out.append("dagscope_history_bytes").append(store).append("blocks\"} ").append(history.blockBytes())
                .append('\n');
        out.append("dagscope_history_bytes").append(store).append("released\"} ").append(history.releasedBytes())
                .append('\n');
        out.append("dagscope_history_bytes").append(store).append("tables\"} ").append(history.tableBytes())
                .append('\n');
        header(out, "dagscope_history_failures_total", "counter", "Passes of retention or sealing the history store "
                + "failed (a full disk); what it did not take stays on the heap, and every answer stays exact.");
        out.append("dagscope_history_failures_total ").append(engine.historyFailures()).append('\n');

        Optional<SnapshotKeeper.Stats> snapshot = snapshots.get();
        if (snapshot.isPresent()) {
            SnapshotKeeper.Stats st = snapshot.get();
            header(out, "dagscope_snapshots_written_total", "counter", "Snapshots written (serve --snapshot-dir).");
            out.append("dagscope_snapshots_written_total ").append(st.written()).append('\n');
            header(out, "dagscope_snapshot_failures_total", "counter", "Snapshots that could not be written (a full "
                    + "disk, say); the previous one is kept, and the log says why.");
            out.append("dagscope_snapshot_failures_total ").append(st.failures()).append('\n');
            header(out, "dagscope_snapshot_last_success_timestamp_seconds", "gauge", "When the last snapshot was "
                    + "written, in seconds since the epoch (0: none yet).");
            out.append("dagscope_snapshot_last_success_timestamp_seconds ")
                    .append(st.lastWrittenAt().map(Instant::getEpochSecond).orElse(0L)).append('\n');
            header(out, "dagscope_snapshot_last_bytes", "gauge", "The last snapshot's size, in bytes.");
            out.append("dagscope_snapshot_last_bytes ").append(st.lastBytes()).append('\n');
            header(out, "dagscope_snapshot_last_write_seconds", "gauge", "How long writing the last snapshot took "
                    + "(the fold waited meanwhile; queries did not).");
            out.append("dagscope_snapshot_last_write_seconds ").append(st.lastMillis() / 1000.0).append('\n');
        }

        List<SourceStatus> statuses = sources.sources();
        header(out, "dagscope_source_events_read_total", "counter", "Lines that are events, by source.");
        statuses.forEach(s -> out.append("dagscope_source_events_read_total{source=\"").append(name(s)).append("\"} ")
                .append(s.eventsRead()).append('\n'));
        header(out, "dagscope_source_lines_skipped_total", "counter", "Lines skipped, by source and reason.");
        statuses.forEach(s -> new TreeMap<>(s.skippedByReason()).forEach((reason, n) -> out
                .append("dagscope_source_lines_skipped_total{source=\"").append(name(s)).append("\",reason=\"")
                .append(escape(redactor.redact(reason))).append("\"} ").append(n).append('\n')));
        header(out, "dagscope_source_ignored_total", "counter", "Events of types dagscope does not use, by source.");
        statuses.forEach(s -> out.append("dagscope_source_ignored_total{source=\"").append(name(s)).append("\"} ")
                .append(s.ignored()).append('\n'));
        header(out, "dagscope_source_healthy", "gauge", "1 when a source can read its location, else 0.");
        statuses.forEach(s -> out.append("dagscope_source_healthy{source=\"").append(name(s)).append("\"} ")
                .append(s.healthy() ? 1 : 0).append('\n'));
        header(out, "dagscope_sources_healthy", "gauge", "How many sources are healthy.");
        out.append("dagscope_sources_healthy ").append(statuses.stream().filter(SourceStatus::healthy).count())
                .append('\n');
        header(out, "dagscope_sources", "gauge", "How many sources are configured.");
        out.append("dagscope_sources ").append(statuses.size()).append('\n');
        return out.toString();
    }

    private String name(SourceStatus s) {
        return escape(redactor.redact(s.name()));
    }

    private static Map<List<String>, Long> asText(Map<List<String>, LongAdder> counters) {
        Map<List<String>, Long> out = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000",
                b)));
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Escapes a label value as the exposition format requires: backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    /** A cumulative histogram over {@link #BUCKETS}. */
    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }

        void render(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                lines.add(name + "_bucket{" + labels + ",le=\"" + number(BUCKETS[i]) + "\"} " + cumulative);
            }
            long total = count.sum();
            lines.add(name + "_bucket{" + labels + ",le=\"+Inf\"} " + total);
            lines.add(name + "_sum{" + labels + "} " + sum.sum());
            lines.add(name + "_count{" + labels + "} " + total);
            lines.forEach(l -> out.append(l).append('\n'));
        }
    }
}
