package io.dagscope.server;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.graphql.GraphQlApi;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitions;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import io.dagscope.schedules.WeekdayNumbering;
import io.dagscope.server.cli.UsageException;
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
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

/**
 * The composition root: builds the engine, the sources, the schedule definitions and the GraphQL API from settings,
 * and owns their lifecycle.
 */
public final class Dagscope implements AutoCloseable {

    private final Settings settings;
    private final AnalyticsEngine engine;
    private final Ingestor ingestor;
    private final GraphQlApi api;

    private Dagscope(Settings settings, AnalyticsEngine engine, Ingestor ingestor) {
        this.settings = settings;
        this.engine = engine;
        this.ingestor = ingestor;
        this.api = new GraphQlApi(engine, engine, engine, engine, ingestor, engine);
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
        AnalyticsEngine engine = new AnalyticsEngine(engineSettings, clock);
        Ingestor ingestor = new Ingestor(engine);
        Set<String> names = new HashSet<>();
        try {
            for (SourceSpec spec : settings.sources()) {
                if (!names.add(spec.name())) {
                    throw new UsageException("two sources are named '" + spec.name() + "'");
                }
                ingestor.add(createSource(spec, factories, follow, settings.maxLineBytes()));
            }
        } catch (RuntimeException e) {
            ingestor.close();
            throw e;
        }
        settings.schedules().ifPresent(path -> {
            ScheduleDefinitions defs;
            try {
                defs = ScheduleDefinitionsReader.read(path);
            } catch (IOException e) {
                ingestor.close();
                throw new UsageException("--schedules " + path + ": " + e.getMessage());
            }
            defs.problems().forEach(p -> log.println("dagscope: schedules: " + p));
            WeekdayNumbering numbering = settings.weekdays() == WeekdayMode.SCHEDULER
                    ? WeekdayNumbering.SCHEDULER : WeekdayNumbering.UNIX;
            engine.defineSchedules(defs.definitions(), CronParsers.withWeekdayNumbering(numbering));
        });
        return new Dagscope(settings, engine, ingestor);
    }

    private static EventSource createSource(SourceSpec spec, SourceFactories factories, boolean follow,
            int maxLineBytes) {
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
                    new SourceContext(spec.name(), location.target(), follow, maxLineBytes, Clock.systemUTC()));
        } catch (SourceConfigurationException e) {
            throw new UsageException(spec.describe(factories) + ": " + e.getMessage());
        }
    }

    /** @return the settings it was built from */
    public Settings settings() {
        return settings;
    }

    /** @return the engine */
    public AnalyticsEngine engine() {
        return engine;
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
