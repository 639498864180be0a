package io.dagscope.generator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LogGenerator#writeHistory} wrote.
 *
 * @param directory the output folder
 * @param format the format
 * @param seed the seed
 * @param start the first instant of the logs (no line is earlier)
 * @param end the exclusive end of the logs, when they were sized in days; empty when sized by line count
 * @param firstLineAt the earliest line's timestamp; empty when nothing was written
 * @param lastLineAt the latest line's timestamp; empty when nothing was written
 * @param runnerLines lines of the runner log ({@value LogGenerator#RUNNER_LOG})
 * @param stateLines lines of the state log ({@value LogGenerator#STATE_LOG})
 * @param linesByEvent lines per {@code event} value, in a fixed order (runner events, then scheduler events)
 * @param tenants how many tenants
 * @param dags how many DAG files
 * @param schedules how many schedule definitions (a disabled one included)
 * @param estimatedLinesPerMinute the density the fleet was sized for, in lines a minute over both logs
 */
public record GenerationReport(Path directory, LogFormat format, long seed, Instant start, Optional<Instant> end,
        Optional<Instant> firstLineAt, Optional<Instant> lastLineAt, long runnerLines, long stateLines,
        Map<String, Long> linesByEvent, int tenants, int dags, int schedules, double estimatedLinesPerMinute) {

    /** Checks that no part is null, and copies the map. */
    public GenerationReport {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(firstLineAt, "firstLineAt");
        Objects.requireNonNull(lastLineAt, "lastLineAt");
        linesByEvent = Collections.unmodifiableMap(new LinkedHashMap<>(linesByEvent));
    }

    /** @return the lines of both logs */
    public long totalLines() {
        return runnerLines + stateLines;
    }
}
