package io.dagscope.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a command needs to read the logs and answer: where the logs are, the default window, cron reading,
 * limits and retention. Built from flags, the orchestrator's environment variables and an optional config file.
 *
 * @param sources the sources, runner logs first
 * @param schedules the schedule definitions (a YAML file or a directory of them), if any
 * @param windowHours the default window length
 * @param end the default window end (else now)
 * @param weekdays how cron weekdays are numbered
 * @param maxLineBytes lines longer than this are skipped
 * @param retainRunsFor run detail kept for at least this long
 * @param retainRuns at least this many runs kept in detail
 */
public record Settings(List<SourceSpec> sources, Optional<Path> schedules, double windowHours, Optional<Instant> end,
        WeekdayMode weekdays, int maxLineBytes, Duration retainRunsFor, int retainRuns) {
    public Settings {
        sources = List.copyOf(sources);
    }
}
