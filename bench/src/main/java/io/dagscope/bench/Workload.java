package io.dagscope.bench;

import io.dagscope.generator.GenerationReport;
import io.dagscope.generator.GeneratorOptions;
import io.dagscope.generator.LogGenerator;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A generated set of logs the benchmark measures: the runner and state logs of the newer format (with
 * {@code dag_run_id}), the schedule definitions, and the instant the dashboard's window ends (a minute after the last
 * line, so the last lines are in the window).
 *
 * @param dir the folder
 * @param events the runner log
 * @param state the state log
 * @param schedules the schedule definitions folder
 * @param lines the lines of both logs
 * @param bytes the bytes of both logs
 * @param seed the generator's seed
 * @param start the generator's start
 * @param ratePerMinute the density, lines a minute
 * @param end the window's end
 * @param generateNanos how long generating took
 */
public record Workload(Path dir, Path events, Path state, Path schedules, long lines, long bytes, long seed,
        Instant start, double ratePerMinute, Instant end, long generateNanos) {

    /** The seed every benchmark run uses unless told otherwise. */
    public static final long DEFAULT_SEED = 42;
    /** The first instant of every generated log unless told otherwise, so runs are reproducible. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

    /**
     * Generates logs of exactly {@code lines} lines over both logs.
     *
     * @param dir an empty or missing folder
     * @param lines the lines
     * @param seed the seed
     * @param start the first instant
     * @param rate the density in lines a minute; empty for the generator's default (lines / 2,880: two days)
     * @return the workload
     * @throws IOException if writing fails
     */
    public static Workload generate(Path dir, long lines, long seed, Instant start, OptionalDouble rate)
            throws IOException {
        return generate(dir, lines, seed, start, rate, GeneratorOptions.DEFAULT_TENANTS);
    }

    /**
     * Generates logs of exactly {@code lines} lines over both logs, for a number of tenants.
     *
     * @param dir an empty or missing folder
     * @param lines the lines
     * @param seed the seed
     * @param start the first instant
     * @param rate the density in lines a minute; empty for the generator's default (lines / 2,880: two days)
     * @param tenants how many tenants ({@code acme-corp}, {@code globex}, ...)
     * @return the workload
     * @throws IOException if writing fails
     */
    public static Workload generate(Path dir, long lines, long seed, Instant start, OptionalDouble rate, int tenants)
            throws IOException {
        GeneratorOptions.Builder b = GeneratorOptions.builder().events(lines).seed(seed).start(start)
                .tenants(tenants);
        rate.ifPresent(b::ratePerMinute);
        LogGenerator generator = LogGenerator.create(b.build(), Clock.systemUTC());
        long t0 = System.nanoTime();
        GenerationReport report = generator.writeHistory(dir, true);
        long nanos = System.nanoTime() - t0;
        Path events = dir.resolve(LogGenerator.RUNNER_LOG);
        Path state = dir.resolve(LogGenerator.STATE_LOG);
        Instant last = report.lastLineAt().orElse(start);
        return new Workload(dir, events, state, dir.resolve(LogGenerator.SCHEDULES_DIR), report.totalLines(),
                Files.size(events) + Files.size(state), seed, start, generator.options().effectiveRatePerMinute(),
                last.plus(Duration.ofMinutes(1)), nanos);
    }

    /**
     * How many lines make logs of about a given size: generates a sample at the density the full size would have
     * (lines / 2,880 a minute) and scales by its bytes per line.
     *
     * @param scratch a folder to write the sample into (deleted after)
     * @param bytes the size wanted, over both logs
     * @param seed the seed
     * @param start the first instant
     * @return the number of lines
     * @throws IOException if writing fails
     */
    public static long linesForSize(Path scratch, long bytes, long seed, Instant start) throws IOException {
        long guess = Math.max(10_000, bytes / 215);
        long sample = Math.min(guess, 200_000);
        Workload w = generate(scratch, sample, seed, start, OptionalDouble.of(guess / 2880.0));
        double perLine = (double) w.bytes() / w.lines();
        Machine.deleteTree(scratch);
        return Math.max(1, Math.round(bytes / perLine));
    }

    /**
     * @return the ids of the schedule definitions, each once
     * @throws IOException if they cannot be read
     */
    public List<String> definedScheduleIds() throws IOException {
        return ScheduleDefinitionsReader.read(schedules).definitions().stream().map(d -> d.id()).distinct().toList();
    }

    /**
     * @return the tenants of the schedule definitions, sorted, each once
     * @throws IOException if they cannot be read
     */
    public List<String> definedTenants() throws IOException {
        return ScheduleDefinitionsReader.read(schedules).definitions().stream().flatMap(d -> d.tenant().stream())
                .distinct().sorted().toList();
    }

    /** @return the command that writes the same logs */
    public String generateCommand() {
        return "dagscope generate --out DIR --events " + lines + " --seed " + seed + " --start " + start
                + " --rate " + ratePerMinute;
    }
}
