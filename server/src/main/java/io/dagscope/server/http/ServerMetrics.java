package io.dagscope.server.http;

import io.dagscope.core.engine.EngineStats;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.snapshot.SnapshotKeeper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The server's figures, exposed through the Prometheus Java client: GraphQL operations and their latencies by
 * operation name, HTTP responses by route and status, the result cache, the events ingested, the engine's own
 * figures, the sources' health and reading, the orchestration itself ({@link FleetMetrics}) and the JVM's. Operation
 * names come from clients, so only valid GraphQL names are used as labels, and at most
 * {@value #MAX_OPERATION_NAMES} of them; the rest count as {@code other}. The library writes the text format or
 * OpenMetrics, as the scraper asks, and escapes every label value.
 */
final class ServerMetrics {

    static final int MAX_OPERATION_NAMES = 200;
    private static final Pattern GRAPHQL_NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,99}");
    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final SourceStatusQuery sources;
    private final Supplier<EngineStats> engineStats;
    private final Supplier<Optional<SnapshotKeeper.Stats>> snapshots;
    private final Redactor redactor;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Set<String> operationNames = ConcurrentHashMap.newKeySet();
    private final Counter operations;
    private final Histogram latencies;
    private final Counter responses;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Gauge subscriptions;
    private final Gauge connections;
    private volatile LongSupplier waiting = () -> 0;

    /**
     * @param sources the sources, for events read, lines skipped and health
     * @param eventsIngested events delivered to the engine so far
     * @param engineStats the engine's own figures
     * @param fleet the orchestration's figures, read at each scrape
     * @param limits how many (tenant, DAG) and schedule series the orchestration's metrics have at most
     * @param snapshots what the snapshot keeper has done, when snapshots are kept
     * @param redactor masks secrets in source names and reasons
     */
    ServerMetrics(SourceStatusQuery sources, LongSupplier eventsIngested, Supplier<EngineStats> engineStats,
            FleetFiguresQuery fleet, MetricsLimits limits, Supplier<Optional<SnapshotKeeper.Stats>> snapshots,
            Redactor redactor) {
        this.sources = sources;
        this.engineStats = engineStats;
        this.snapshots = snapshots;
        this.redactor = redactor;
        this.operations = Counter.builder().name("dagscope_graphql_requests_total")
                .help("GraphQL operations answered, by operation name, transport and outcome.")
                .labelNames("operation", "transport", "outcome").register(registry);
        this.latencies = Histogram.builder().name("dagscope_graphql_request_duration_seconds")
                .help("Time to answer a GraphQL operation (cache hits included), by operation name.")
                .labelNames("operation").classicOnly().classicUpperBounds(BUCKETS).withoutExemplars()
                .register(registry);
        this.responses = Counter.builder().name("dagscope_http_responses_total")
                .help("HTTP responses, by route and status code.").labelNames("route", "status").register(registry);
        this.cacheHits = Counter.builder().name("dagscope_result_cache_hits_total")
                .help("GraphQL answers served from the result cache.").register(registry);
        this.cacheMisses = Counter.builder().name("dagscope_result_cache_misses_total")
                .help("GraphQL answers that had to be computed.").register(registry);
        this.subscriptions = Gauge.builder().name("dagscope_subscriptions_active")
                .help("GraphQL subscriptions open now.").register(registry);
        this.connections = Gauge.builder().name("dagscope_websocket_connections_active")
                .help("WebSocket connections open now.").register(registry);
        GaugeWithCallback.builder().name("dagscope_graphql_executions_waiting")
                .help("GraphQL executions waiting for a thread now.")
                .callback(cb -> cb.call(waiting.getAsLong())).register(registry);
        CounterWithCallback.builder().name("dagscope_events_ingested_total")
                .help("Events delivered by every source to the engine.")
                .callback(cb -> cb.call(eventsIngested.getAsLong())).register(registry);
        registry.register(this::engineAndSources);
        registry.register(new FleetMetrics(fleet, limits));
        JvmMetrics.builder().register(registry);
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
        if (operationNames.contains(name)) {
            return name;
        }
        if (operationNames.size() < MAX_OPERATION_NAMES) {
            operationNames.add(name);
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
        operations.labelValues(operation, transport, outcome.label()).inc();
        latencies.labelValues(operation).observe(nanos / 1e9);
    }

    /**
     * Counts one HTTP response.
     *
     * @param route the route's path template (never the raw path, which clients choose)
     * @param status the status code
     */
    void response(String route, int status) {
        responses.labelValues(route, Integer.toString(status)).inc();
    }

    void cacheHit() {
        cacheHits.inc();
    }

    void cacheMiss() {
        cacheMisses.inc();
    }

    void subscriptionsChanged(long delta) {
        subscriptions.inc(delta);
    }

    void connectionsChanged(long delta) {
        connections.inc(delta);
    }

    /**
     * @param executionsWaiting how many executions wait for a thread now
     */
    void waitingFrom(LongSupplier executionsWaiting) {
        this.waiting = executionsWaiting;
    }

    /** @return every metric, read now */
    MetricSnapshots scrape() {
        return registry.scrape();
    }

    /**
     * The format to answer a scrape in, from its {@code Accept} header: OpenMetrics when the scraper asks for it,
     * else the Prometheus text format (also when it asks for protobuf, which this server does not write).
     *
     * @param accept the request's {@code Accept} header, or null
     * @return the writer
     */
    ExpositionFormatWriter writerFor(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
    }

    /** The engine's figures (read once a scrape) and the sources'. */
    private MetricSnapshots engineAndSources() {
        List<MetricSnapshot> out = new ArrayList<>();
        EngineStats engine = engineStats.get();
        out.add(gauge("dagscope_engine_runs_kept", "Runs kept in detail (the retention drops older ones).",
                engine.runsKept()));
        out.add(counter("dagscope_engine_runs_dropped", "Runs whose detail the retention dropped.",
                engine.runsDropped()));
        out.add(gauge("dagscope_engine_aggregate_cells",
                "Partial aggregates of task events kept (minute, hour and day cells, live or sealed).",
                engine.cells()));
        out.add(gauge("dagscope_engine_aggregate_cells_sealed",
                "Of those, the minute, hour and day cells kept in sealed days' compact blocks.",
                engine.cellsSealed()));
        out.add(gauge("dagscope_engine_sealed_bytes", "The size of the sealed days' blocks, in bytes.",
                engine.sealedBytes()));
        HistoryStore.Usage history = engine.history();
        out.add(GaugeSnapshot.builder().name("dagscope_history_bytes")
                .help("What the history store holds, in bytes, by part (store \"files\": memory-mapped files; "
                        + "\"heap\": the heap).")
                .dataPoint(point(history.blockBytes(), "store", history.kind(), "part", "blocks"))
                .dataPoint(point(history.releasedBytes(), "store", history.kind(), "part", "released"))
                .dataPoint(point(history.tableBytes(), "store", history.kind(), "part", "tables")).build());
        out.add(counter("dagscope_history_failures", "Passes of retention or sealing the history store failed (a "
                + "full disk); what it did not take stays on the heap, and every answer stays exact.",
                engine.historyFailures()));

        Optional<SnapshotKeeper.Stats> snapshot = snapshots.get();
        if (snapshot.isPresent()) {
            SnapshotKeeper.Stats st = snapshot.get();
            out.add(counter("dagscope_snapshots_written", "Snapshots written (serve --snapshot-dir).", st.written()));
            out.add(counter("dagscope_snapshot_failures", "Snapshots that could not be written (a full disk, say); "
                    + "the previous one is kept, and the log says why.", st.failures()));
            out.add(gauge("dagscope_snapshot_last_success_timestamp_seconds", "When the last snapshot was written, "
                    + "in seconds since the epoch (0: none yet).",
                    st.lastWrittenAt().map(Instant::getEpochSecond).orElse(0L)));
            out.add(gauge("dagscope_snapshot_last_bytes", "The last snapshot's size, in bytes.", st.lastBytes()));
            out.add(gauge("dagscope_snapshot_last_write_seconds", "How long writing the last snapshot took (the fold "
                    + "waited meanwhile; queries did not).", st.lastMillis() / 1000.0));
        }

        List<SourceStatus> statuses = sources.sources();
        CounterSnapshot.Builder read = CounterSnapshot.builder().name("dagscope_source_events_read")
                .help("Lines that are events, by source.");
        CounterSnapshot.Builder skipped = CounterSnapshot.builder().name("dagscope_source_lines_skipped")
                .help("Lines skipped, by source and reason.");
        CounterSnapshot.Builder ignored = CounterSnapshot.builder().name("dagscope_source_ignored")
                .help("Events of types dagscope does not use, by source.");
        GaugeSnapshot.Builder healthy = GaugeSnapshot.builder().name("dagscope_source_healthy")
                .help("1 when a source can read its location, else 0.");
        GaugeSnapshot.Builder newest = GaugeSnapshot.builder().name("dagscope_source_last_event_timestamp_seconds")
                .help("The newest event timestamp a source has read, in seconds since the epoch.");
        for (SourceStatus s : statuses) {
            String name = redactor.redact(s.name());
            read.dataPoint(counterPoint(s.eventsRead(), "source", name));
            for (Map.Entry<String, Long> reason : new java.util.TreeMap<>(s.skippedByReason()).entrySet()) {
                skipped.dataPoint(counterPoint(reason.getValue(), "source", name, "reason",
                        redactor.redact(reason.getKey())));
            }
            ignored.dataPoint(counterPoint(s.ignored(), "source", name));
            healthy.dataPoint(point(s.healthy() ? 1 : 0, "source", name));
            s.lastEventAt().ifPresent(at -> newest.dataPoint(point(at.getEpochSecond() + at.getNano() / 1e9,
                    "source", name)));
        }
        out.add(read.build());
        out.add(skipped.build());
        out.add(ignored.build());
        out.add(healthy.build());
        out.add(newest.build());
        out.add(gauge("dagscope_sources_healthy", "How many sources are healthy.",
                statuses.stream().filter(SourceStatus::healthy).count()));
        out.add(gauge("dagscope_sources", "How many sources are configured.", statuses.size()));
        return new MetricSnapshots(out);
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(value)).build();
    }

    /** A counter; its name without the {@code _total} the exposition adds. */
    static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(counterPoint(value)).build();
    }

    static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    static CounterDataPointSnapshot counterPoint(double value, String... labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
