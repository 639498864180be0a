package io.dagscope.server.config;

import io.dagscope.spi.TimestampLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a command needs to read the logs and answer: where the logs are, the default window, cron reading,
 * limits, retention, plugins and the server section. Built from flags, the orchestrator's environment variables and
 * an optional config file ({@link CommonOptions#resolve}).
 *
 * @param sources the sources, runner logs first
 * @param schedules the schedule definitions (a YAML file or a directory of them), if any
 * @param windowHours the default window length
 * @param end the default window end (else now)
 * @param weekdays how cron weekdays are numbered
 * @param maxLineBytes lines longer than this are skipped
 * @param retainRunsFor run detail kept for at least this long
 * @param retainRuns at least this many runs kept in detail
 * @param plugins the folder of source plugins to load, if any (it existed when the settings were resolved)
 * @param server the {@code server} section, for {@code dagscope serve}
 * @param configFile the config file the settings were read from, if any
 * @param history where the engine keeps the history it has finished changing
 * @param clockSkew how far ahead of now (the host's clock, or {@code end} when later) an event's timestamp may be;
 *     a line stamped later is skipped as {@code future_timestamp}
 * @param snapshots a snapshot to start from, and the folder {@code serve} keeps snapshots in
 */
public record Settings(List<SourceSpec> sources, Optional<Path> schedules, double windowHours, Optional<Instant> end,
        WeekdayMode weekdays, int maxLineBytes, Duration retainRunsFor, int retainRuns, Optional<Path> plugins,
        ServerSettings server, Optional<Path> configFile, HistorySettings history, Duration clockSkew,
        SnapshotSettings snapshots) {

    public Settings {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(clockSkew, "clockSkew");
        sources = List.copyOf(sources);
        Objects.requireNonNull(schedules, "schedules");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(weekdays, "weekdays");
        Objects.requireNonNull(retainRunsFor, "retainRunsFor");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(configFile, "configFile");
    }

    /**
     * Settings without snapshots.
     *
     * @param sources the sources, runner logs first
     * @param schedules the schedule definitions, if any
     * @param windowHours the default window length
     * @param end the default window end (else now)
     * @param weekdays how cron weekdays are numbered
     * @param maxLineBytes lines longer than this are skipped
     * @param retainRunsFor run detail kept for at least this long
     * @param retainRuns at least this many runs kept in detail
     * @param plugins the folder of source plugins to load, if any
     * @param server the {@code server} section
     * @param configFile the config file the settings were read from, if any
     * @param history where the engine keeps the history it has finished changing
     * @param clockSkew how far ahead of now an event's timestamp may be
     */
    public Settings(List<SourceSpec> sources, Optional<Path> schedules, double windowHours, Optional<Instant> end,
            WeekdayMode weekdays, int maxLineBytes, Duration retainRunsFor, int retainRuns, Optional<Path> plugins,
            ServerSettings server, Optional<Path> configFile, HistorySettings history, Duration clockSkew) {
        this(sources, schedules, windowHours, end, weekdays, maxLineBytes, retainRunsFor, retainRuns, plugins, server,
                configFile, history, clockSkew, SnapshotSettings.NONE);
    }

    /**
     * Settings without plugins, server section or config file.
     *
     * @param sources the sources, runner logs first
     * @param schedules the schedule definitions, if any
     * @param windowHours the default window length
     * @param end the default window end (else now)
     * @param weekdays how cron weekdays are numbered
     * @param maxLineBytes lines longer than this are skipped
     * @param retainRunsFor run detail kept for at least this long
     * @param retainRuns at least this many runs kept in detail
     */
    public Settings(List<SourceSpec> sources, Optional<Path> schedules, double windowHours, Optional<Instant> end,
            WeekdayMode weekdays, int maxLineBytes, Duration retainRunsFor, int retainRuns) {
        this(sources, schedules, windowHours, end, weekdays, maxLineBytes, retainRunsFor, retainRuns,
                Optional.empty(), ServerSettings.DEFAULTS, Optional.empty(), HistorySettings.DEFAULTS,
                TimestampLimits.DEFAULT_SKEW);
    }

    /** @return which event timestamps the sources believe: up to {@link #clockSkew} ahead of now */
    public TimestampLimits timestampLimits() {
        return TimestampLimits.of(Clock.systemUTC(), clockSkew, end);
    }
}
