package io.dagscope.bench.jmh;

import io.dagscope.core.event.Event;
import io.dagscope.generator.GeneratorOptions;
import io.dagscope.generator.LogGenerator;
import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.source.lines.decode.LineOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lines from the log generator (seed 42, new format), read into memory for a benchmark's setup: the runner log's and
 * the state log's lines, and their decoded events.
 *
 * @param runnerLines the runner log's lines, without line endings
 * @param stateLines the state log's lines
 * @param runnerEvents the runner log's events, in file order
 * @param stateEvents the state log's events, in file order
 */
public record GeneratedLines(List<byte[]> runnerLines, List<byte[]> stateLines, List<Event> runnerEvents,
        List<Event> stateEvents) {

    /**
     * Generates and decodes.
     *
     * @param lines lines over both logs
     * @return the lines and events
     * @throws IOException if the temporary files cannot be written
     */
    public static GeneratedLines generate(long lines) throws IOException {
        Path dir = Files.createTempDirectory("dagscope-jmh");
        try {
            LogGenerator.create(GeneratorOptions.builder().events(lines).seed(42)
                    .start(Instant.parse("2026-01-05T00:00:00Z")).build(), Clock.systemUTC()).writeHistory(dir, true);
            List<byte[]> runner = read(dir.resolve(LogGenerator.RUNNER_LOG));
            List<byte[]> state = read(dir.resolve(LogGenerator.STATE_LOG));
            return new GeneratedLines(runner, state, decode(runner), decode(state));
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<Event> decode(List<byte[]> lines) {
        JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);
        List<Event> events = new ArrayList<>();
        for (byte[] line : lines) {
            if (decoder.decode(line) == LineOutcome.EVENT) {
                events.add(decoder.event());
            }
        }
        return events;
    }
}
