package io.dagscope.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Generates realistic orchestrator logs: first a history, written as fast as the disk takes it, then, if asked, a
 * live continuation of the same simulation that appends lines as the wall clock reaches them.
 *
 * <pre>{@code
 * LogGenerator generator = LogGenerator.create(GeneratorOptions.defaults(), Clock.systemUTC());
 * GenerationReport report = generator.writeHistory(dir, false);   // 2 days ending now
 * try (LiveLogWriter live = generator.liveWriter()) {
 *     live.start();                                                // about 3 lines a second
 *     ...
 * }
 * }</pre>
 *
 * <p>The output folder gets {@value #RUNNER_LOG}, {@value #STATE_LOG}, the schedule definitions in
 * {@value #SCHEDULES_DIR}, the DAG files in {@value #DAGS_DIR}, and in the new format {@value #CRONTAB} (the
 * external crontab that starts the checkpoint DAG). One seed and one start give byte-identical files.
 *
 * <p>A generator is used once, from one thread: {@link #writeHistory} then, optionally, {@link #liveWriter}.
 */
public final class LogGenerator {

    /** The runner log's file name. */
    public static final String RUNNER_LOG = "orchestrator_events.jsonl";
    /** The scheduler state log's file name. */
    public static final String STATE_LOG = "orchestrator_state.jsonl";
    /** The folder of schedule definitions, relative to the output folder. */
    public static final String SCHEDULES_DIR = "configs/schedules";
    /** The folder of DAG definitions, relative to the output folder. */
    public static final String DAGS_DIR = "configs/dags";
    /** The external crontab (new format), relative to the output folder. */
    public static final String CRONTAB = "configs/crontab";

    private static final int BUFFER_BYTES = 1 << 20;

    private enum Stage { NEW, HISTORY_WRITTEN, LIVE }

    private final GeneratorOptions options;
    private final Clock clock;
    private final Fleet fleet;
    private final long startMicros;
    private final long endMicros;
    private final long maxLines;
    private Stage stage = Stage.NEW;
    private SimulatedOrchestrator simulation;
    private Path directory;

    private LogGenerator(GeneratorOptions options, Clock clock, Fleet fleet, long startMicros, long endMicros,
            long maxLines) {
        this.options = options;
        this.clock = clock;
        this.fleet = fleet;
        this.startMicros = startMicros;
        this.endMicros = endMicros;
        this.maxLines = maxLines;
    }

    /**
     * Plans a generation: picks the tenants, DAGs and schedules (as many as the density needs) and the time range.
     * Writes nothing.
     *
     * @param options what to generate
     * @param clock gives "now" for a time range that ends now, and the wall clock of the live writer
     * @return the generator
     * @throws IllegalArgumentException if the lines asked for would span more than
     *     {@value GeneratorOptions#MAX_DAYS} days at the density asked for
     */
    public static LogGenerator create(GeneratorOptions options, Clock clock) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        long now = micros(clock.instant());
        Fleet fleet = Fleet.build(options.format(), options.tenants(), options.dags(),
                options.effectiveRatePerMinute(), Rng.derived(options.seed(), 0xF1EE7L));
        long start;
        long end;
        long maxLines;
        if (options.events().isPresent()) {
            maxLines = options.events().getAsLong();
            end = Long.MAX_VALUE;
            double minutes = maxLines / fleet.estimatedRatePerMinute();
            if (minutes > GeneratorOptions.MAX_DAYS * 1440) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%,d lines at about %,.1f a "
                        + "minute would span %,.0f days, more than %,.0f: ask for a higher rate", maxLines,
                        fleet.estimatedRatePerMinute(), minutes / 1440, GeneratorOptions.MAX_DAYS));
            }
            start = options.start().map(LogGenerator::micros).orElse(now
                    - Math.round(minutes * SimulatedOrchestrator.MICROS_PER_MINUTE));
        } else {
            maxLines = Long.MAX_VALUE;
            long span = Math.round(options.days().orElse(GeneratorOptions.DEFAULT_DAYS)
                    * SimulatedOrchestrator.MICROS_PER_DAY);
            if (options.start().isPresent()) {
                start = micros(options.start().get());
                end = start + span;
            } else {
                end = now;
                start = end - span;
            }
        }
        return new LogGenerator(options, clock, fleet, start, end, maxLines);
    }

    /** @return the options */
    public GeneratorOptions options() {
        return options;
    }

    /** @return the first instant of the logs */
    public Instant start() {
        return instant(startMicros);
    }

    /** @return the exclusive end of the history when it is sized in days; empty when sized by line count */
    public Optional<Instant> end() {
        return endMicros == Long.MAX_VALUE ? Optional.empty() : Optional.of(instant(endMicros));
    }

    /** @return the density the tenants, DAGs and schedules were sized for, in lines a minute over both logs */
    public double estimatedLinesPerMinute() {
        return fleet.estimatedRatePerMinute();
    }

    /**
     * Writes the configuration files and the history into a folder (created if missing).
     *
     * @param dir the output folder
     * @param replaceExisting whether to replace what an earlier generation left there: the two logs are truncated and
     *     the YAML files of {@value #SCHEDULES_DIR} and {@value #DAGS_DIR} deleted; when false, finding any of them
     *     is an error
     * @return what was written
     * @throws FileAlreadyExistsException if the folder holds an earlier generation and {@code replaceExisting} is
     *     false
     * @throws IOException if writing fails
     * @throws IllegalStateException if the history was already written
     */
    public GenerationReport writeHistory(Path dir, boolean replaceExisting) throws IOException {
        if (stage != Stage.NEW) {
            throw new IllegalStateException("the history was already written, to " + directory);
        }
        prepare(dir, replaceExisting);
        ConfigFiles.write(dir, fleet, options.format());
        SimulatedOrchestrator sim = new SimulatedOrchestrator(fleet, options.format(), options.seed(), startMicros,
                options.schedulerHiccups());
        long[] counts = new long[EventType.values().length];
        long runner = 0;
        long state = 0;
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        try (OutputStream runnerOut = open(dir.resolve(RUNNER_LOG), StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream stateOut = open(dir.resolve(STATE_LOG), StandardOpenOption.TRUNCATE_EXISTING)) {
            while (runner + state < maxLines) {
                Line line = sim.peek();
                if (line.micros() >= endMicros) {
                    break;
                }
                sim.poll();
                if (line.type().stateLog()) {
                    stateOut.write(line.bytes());
                    state++;
                } else {
                    runnerOut.write(line.bytes());
                    runner++;
                }
                counts[line.type().ordinal()]++;
                if (first == Long.MIN_VALUE) {
                    first = line.micros();
                }
                last = line.micros();
            }
        }
        simulation = sim;
        directory = dir;
        stage = Stage.HISTORY_WRITTEN;
        Map<String, Long> byEvent = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            byEvent.put(t.wireName(), counts[t.ordinal()]);
        }
        Optional<Instant> firstAt = first == Long.MIN_VALUE ? Optional.empty() : Optional.of(instant(first));
        Optional<Instant> lastAt = last == Long.MIN_VALUE ? Optional.empty() : Optional.of(instant(last));
        return new GenerationReport(dir, options.format(), options.seed(), start(), end(), firstAt, lastAt, runner,
                state, byEvent, fleet.tenants().size(), fleet.dags().size(), fleet.schedules().size(),
                fleet.estimatedRatePerMinute());
    }

    /**
     * Continues the history live, on the generator's clock: see {@link LiveLogWriter}.
     *
     * @return a writer, not yet started
     * @throws IllegalStateException if the history was not written yet, or a live writer was already made
     */
    public LiveLogWriter liveWriter() {
        return liveWriter(clock);
    }

    /**
     * Continues the history live, on a given clock.
     *
     * @param wallClock when lines are due: a line is written once this clock reaches its timestamp
     * @return a writer, not yet started
     * @throws IllegalStateException if the history was not written yet, or a live writer was already made
     */
    public LiveLogWriter liveWriter(Clock wallClock) {
        Objects.requireNonNull(wallClock, "wallClock");
        if (stage == Stage.NEW) {
            throw new IllegalStateException("write the history first: the live writer continues it");
        }
        if (stage == Stage.LIVE) {
            throw new IllegalStateException("this generator already has a live writer");
        }
        stage = Stage.LIVE;
        return new LiveLogWriter(simulation, directory.resolve(RUNNER_LOG), directory.resolve(STATE_LOG), wallClock);
    }

    private static void prepare(Path dir, boolean replaceExisting) throws IOException {
        Files.createDirectories(dir);
        for (String log : new String[] {RUNNER_LOG, STATE_LOG}) {
            Path p = dir.resolve(log);
            if (Files.exists(p) && !replaceExisting) {
                throw new FileAlreadyExistsException(p.toString(), null, "an earlier generation is there; replace it "
                        + "(--force) or choose another folder");
            }
        }
        for (String sub : new String[] {SCHEDULES_DIR, DAGS_DIR}) {
            Path folder = dir.resolve(sub);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> yamls = Files.newDirectoryStream(folder, "*.yaml")) {
                for (Path y : yamls) {
                    if (!replaceExisting) {
                        throw new FileAlreadyExistsException(y.toString(), null, "an earlier generation is there; "
                                + "replace it (--force) or choose another folder");
                    }
                    Files.delete(y);
                }
            }
        }
    }

    static OutputStream open(Path file, StandardOpenOption mode) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                mode), BUFFER_BYTES);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), SimulatedOrchestrator.MICROS_PER_SECOND),
                instant.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, SimulatedOrchestrator.MICROS_PER_SECOND),
                Math.floorMod(micros, SimulatedOrchestrator.MICROS_PER_SECOND) * 1000);
    }
}
