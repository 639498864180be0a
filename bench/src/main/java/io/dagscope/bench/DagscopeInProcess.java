package io.dagscope.bench;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.ingest.LiveAnalytics;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * dagscope wired as the server wires it, without the server: an engine with the default settings and the schedule
 * definitions, the two logs as sources found through the source SPI ({@code ServiceLoader}, so the JSONL source is
 * the product's), an {@link Ingestor}, and the GraphQL API over them.
 */
public final class DagscopeInProcess implements AutoCloseable {

    private final Ingestor ingestor;
    private final GraphQlApi api;

    private DagscopeInProcess(Ingestor ingestor) {
        this.ingestor = ingestor;
        this.api = GraphQlApi.of(new LiveAnalytics(ingestor));
    }

    /**
     * Builds everything; reads nothing yet.
     *
     * @param events the runner log (a location as {@code --events} takes it)
     * @param state the state log
     * @param schedules the schedule definitions, if any
     * @param now the engine's clock ({@code --end})
     * @param follow whether the sources follow the files as they grow
     * @return the wiring
     * @throws IOException if the schedule definitions cannot be read
     */
    public static DagscopeInProcess open(Path events, Path state, Optional<Path> schedules, Instant now,
            boolean follow) throws IOException {
        return open(events, state, schedules, now, follow, "files");
    }

    /**
     * The history store the product makes for {@code --history files} (in the system's temporary directory) or
     * {@code --history heap}.
     *
     * @param kind files or heap
     * @return a maker of stores, one per engine
     */
    static Supplier<HistoryStore> history(String kind) {
        return switch (kind) {
            case "files" -> () -> FileHistoryStore.open(Path.of(System.getProperty("java.io.tmpdir")));
            case "heap" -> HeapHistoryStore::new;
            default -> throw new IllegalArgumentException("--history must be one of: files, heap; got '" + kind
                    + "'");
        };
    }

    /**
     * Builds everything, keeping history as the product's {@code --history} would; reads nothing yet.
     *
     * @param events the runner log (a location as {@code --events} takes it)
     * @param state the state log
     * @param schedules the schedule definitions, if any
     * @param now the engine's clock ({@code --end})
     * @param follow whether the sources follow the files as they grow
     * @param historyKind {@code files} (the product's default) or {@code heap}
     * @return the wiring
     * @throws IOException if the schedule definitions cannot be read
     */
    public static DagscopeInProcess open(Path events, Path state, Optional<Path> schedules, Instant now,
            boolean follow, String historyKind) throws IOException {
        Supplier<HistoryStore> history = history(historyKind);
        List<ScheduleDefinition> definitions = schedules.isPresent()
                ? ScheduleDefinitionsReader.read(schedules.get()).definitions() : List.of();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Ingestor ingestor = new Ingestor(() -> {
            AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, clock, history.get());
            if (!definitions.isEmpty()) {
                engine.defineSchedules(definitions, CronParsers.unix());
            }
            return engine;
        });
        SourceFactories factories = SourceFactories.discover(DagscopeInProcess.class.getClassLoader());
        ingestor.add(factories.create(SourceLocation.parse(events.toString()), Map.of(),
                new SourceContext("events", events.toString(), follow, SourceContext.DEFAULT_MAX_LINE_BYTES, clock)));
        ingestor.add(factories.create(SourceLocation.parse(state.toString()), Map.of(),
                new SourceContext("state", state.toString(), follow, SourceContext.DEFAULT_MAX_LINE_BYTES, clock)));
        return new DagscopeInProcess(ingestor);
    }

    /**
     * Polls every source once and folds in what they deliver.
     *
     * @return the events delivered
     */
    public long poll() {
        return ingestor.pollOnce();
    }

    /** @return the events the sources have read, over both logs (lines that are events, ignored types included) */
    public long eventsRead() {
        long n = 0;
        for (SourceStatus s : ingestor.sources()) {
            n += s.eventsRead();
        }
        return n;
    }

    /**
     * Runs one GraphQL document as an unscoped (admin) caller.
     *
     * @param document the document
     * @return the response
     */
    public Map<String, Object> execute(String document) {
        return api.execute(document, Map.of(), null, TenantScope.ALL);
    }

    /** @return the ingestor */
    public Ingestor ingestor() {
        return ingestor;
    }

    /** @return the engine answering now */
    public AnalyticsEngine engine() {
        return ingestor.engine();
    }

    /** @return the GraphQL API */
    public GraphQlApi api() {
        return api;
    }

    @Override
    public void close() {
        ingestor.close();
    }
}
