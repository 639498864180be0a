package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sized by a number of lines, the logs hold exactly that many, and without a start they end about now. */
class EventCountTest {

    @TempDir
    Path tmp;

    private static long lines(Path file) throws IOException {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    @Test
    void writesExactlyTheNumberOfLinesAskedFor() throws IOException {
        GeneratorOptions options = GeneratorOptions.builder().events(12_345).start(Instant.parse(
                "2025-06-01T00:00:00Z")).build();
        GenerationReport report = LogGenerator.create(options, Clock.systemUTC()).writeHistory(tmp, false);

        assertEquals(12_345, report.totalLines());
        assertEquals(12_345, lines(tmp.resolve(LogGenerator.RUNNER_LOG)) + lines(tmp.resolve(LogGenerator.STATE_LOG)));
        assertEquals(report.runnerLines(), lines(tmp.resolve(LogGenerator.RUNNER_LOG)));
        assertTrue(report.end().isEmpty());
    }

    @Test
    void withoutAStartTheLinesEndAboutNow() throws IOException {
        Instant now = Instant.parse("2025-11-03T12:34:56.789Z");
        GeneratorOptions options = GeneratorOptions.builder().events(200_000).ratePerMinute(500).build();
        LogGenerator generator = LogGenerator.create(options, Clock.fixed(now, ZoneOffset.UTC));
        GenerationReport report = generator.writeHistory(tmp, false);

        Duration span = Duration.between(report.start(), now);
        Duration miss = Duration.between(report.lastLineAt().orElseThrow(), now).abs();
        assertEquals(200_000, report.totalLines());
        assertTrue(span.toMinutes() > 380 && span.toMinutes() < 420, "200,000 lines at 500 a minute: " + span);
        assertTrue(miss.compareTo(span.dividedBy(20)) < 0, "ends " + miss + " away from now, over " + span);
    }

    @Test
    void manyLinesWithoutARateFitIntoTwoDays() {
        GeneratorOptions options = GeneratorOptions.builder().events(10_000_000).build();
        LogGenerator generator = LogGenerator.create(options, Clock.systemUTC());

        assertEquals(10_000_000 / 2880.0, options.effectiveRatePerMinute(), 1e-9);
        double days = Duration.between(generator.start(), Instant.now()).toMinutes() / 1440.0;
        assertTrue(days > 1.9 && days < 2.1, "starts " + days + " days ago");
    }
}
