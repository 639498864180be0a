package io.dagscope.server.app;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.ingest.LiveAnalytics;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.core.snapshot.SnapshotFile;
import io.dagscope.core.snapshot.SnapshotFolder;
import io.dagscope.core.snapshot.SnapshotRestore;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitions;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import io.dagscope.schedules.WeekdayNumbering;
import io.dagscope.server.config.UsageException;
import io.dagscope.server.config.Settings;
import io.dagscope.server.config.SourceSpec;
import io.dagscope.server.config.WeekdayMode;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The composition root: builds the engine, the sources, the schedule definitions and the GraphQL API from settings,
 * and owns their lifecycle.
 */
public final class Dagscope implements AutoCloseable {

    private final Settings settings;
    private final Ingestor ingestor;
    private final LiveAnalytics analytics;
    private final GraphQlApi api;

    private Dagscope(Settings settings, Ingestor ingestor) {
        this.settings = settings;
        this.ingestor = ingestor;
        this.analytics = new LiveAnalytics(ingestor);
        this.api = GraphQlApi.of(analytics);
    }

    /**
     * Builds everything; reads nothing yet.
     *
     * @param settings what to read and how
     * @param factories the source factories available
     * @param follow whether sources follow growing logs
     * @param log where warnings go (stderr)
     * @return the app
     * @throws UsageException if a source or the schedule definitions cannot be configured
     */
    public static Dagscope create(Settings settings, SourceFactories factories, boolean follow, PrintStream log) {
        Clock clock = settings.end().map(end -> Clock.fixed(end, ZoneOffset.UTC)).orElse(Clock.systemUTC());
        EngineSettings engineSettings = EngineSettings.DEFAULTS.withDefaultWindowHours(settings.windowHours())
                .withRetention(settings.retainRunsFor(), settings.retainRuns());
        Optional<ScheduleDefinitions> definitions = settings.schedules().map(path -> {
            try {
                return ScheduleDefinitionsReader.read(path);
            } catch (IOException e) {
                throw new UsageException("--schedules " + path + ": " + e.getMessage());
            }
        });
        definitions.ifPresent(defs -> defs.problems().forEach(p -> log.println("dagscope: schedules: " + p)));
        WeekdayNumbering numbering = settings.weekdays() == WeekdayMode.SCHEDULER
                ? WeekdayNumbering.SCHEDULER : WeekdayNumbering.UNIX;
        settings.history().open().close(); // a directory that cannot hold the files is a usage error, now
        Supplier<AnalyticsEngine> engines = () -> {
            AnalyticsEngine engine = new AnalyticsEngine(engineSettings, clock, settings.history().open());
            definitions.ifPresent(defs -> engine.defineSchedules(defs.definitions(),
                    CronParsers.withWeekdayNumbering(numbering)));
            return engine;
        };
        Ingestor ingestor = new Ingestor(engines);
        Set<String> names = new HashSet<>();
        try {
            for (SourceSpec spec : settings.sources()) {
                if (!names.add(spec.name())) {
                    throw new UsageException("two sources are named '" + spec.name() + "'");
                }
                ingestor.add(createSource(spec, factories, follow, settings));
            }
        } catch (RuntimeException e) {
            ingestor.close();
            throw e;
        }
        return new Dagscope(settings, ingestor);
    }

    private static EventSource createSource(SourceSpec spec, SourceFactories factories, boolean follow,
            Settings settings) {
        try {
            SourceLocation location = SourceLocation.parse(spec.location());
            EventSourceFactory factory = factories.forScheme(location.scheme());
            if (spec.fromCommandLine()) {
                for (String key : location.options().keySet()) {
                    if (factory.secretOptionNames().contains(key)) {
                        throw new UsageException(spec.origin() + ": option '" + key + "' is a secret and is "
                                + "refused on the command line, where it would leak through ps and shell history; "
                                + "put it in the config file instead");
                    }
                }
            }
            return factories.create(location, spec.options(),
                    new SourceContext(spec.name(), location.target(), follow, settings.maxLineBytes(), Clock.systemUTC(),
                            settings.timestampLimits()));
        } catch (SourceConfigurationException e) {
            throw new UsageException(spec.describe(factories) + ": " + e.getMessage());
        }
    }

    /**
     * Before the first read: starts from a snapshot, the one {@code --snapshot} names, else (or if it cannot be used)
     * the newest usable one of a folder, so that each source reads on from its recorded position. Each file refused is
     * reported with why; with none usable, every log is read from the start.
     *
     * @param folder the folder of snapshots, if any
     * @param log told what happened, a line at a time
     * @return what happened
     */
    public SnapshotRestore.Outcome startFromSnapshot(Optional<SnapshotFolder> folder, Consumer<String> log) {
        List<Path> candidates = new ArrayList<>();
        settings.snapshots().file().ifPresent(candidates::add);
        folder.ifPresent(f -> candidates.addAll(f.files()));
        if (candidates.isEmpty()) {
            return new SnapshotRestore.Outcome(Optional.empty(), List.of());
        }
        SnapshotRestore.Outcome outcome = SnapshotRestore.restore(ingestor, candidates);
        outcome.refused().forEach(reason -> log.accept("snapshot refused: " + reason));
        if (outcome.used().isPresent()) {
            SnapshotFile.Loaded used = outcome.used().get();
            log.accept("started from snapshot " + used.file() + " (" + used.header().writer() + ", "
                    + used.header().createdAt() + "): " + used.header().eventsApplied() + " events; "
                    + (ingestor.sourcesAdded().isEmpty() ? "answering from it alone, no source is configured"
                    : "each source reads on from its recorded position"));
        } else {
            log.accept("no usable snapshot: reading every log from the start");
        }
        return outcome;
    }

    /** @return this build's version, e.g. {@code 1.4.0}, or {@code (development build)} */
    public static String version() {
        String v = Dagscope.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** @return the settings it was built from */
    public Settings settings() {
        return settings;
    }

    /** @return the engine answering now (a rebuild replaces it; adapters should hold {@link #analytics()}) */
    public AnalyticsEngine engine() {
        return ingestor.engine();
    }

    /** @return every query, answered by the current engine, with a data version that survives rebuilds */
    public LiveAnalytics analytics() {
        return analytics;
    }

    /** @return the sources and their status */
    public Ingestor ingestor() {
        return ingestor;
    }

    /** @return the GraphQL API over the engine */
    public GraphQlApi api() {
        return api;
    }

    @Override
    public void close() {
        ingestor.close();
    }
}
