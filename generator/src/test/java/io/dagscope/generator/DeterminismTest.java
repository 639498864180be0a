package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One seed and one start give byte-identical files, whenever and wherever they are generated; another seed does not. */
class DeterminismTest {

    private static final Instant START = Instant.parse("2025-03-30T20:00:00Z");

    @TempDir
    Path tmp;

    private static GeneratorOptions options(LogFormat format, long seed) {
        return GeneratorOptions.builder().format(format).seed(seed).start(START).days(0.5).ratePerMinute(150).build();
    }

    private static void generate(GeneratorOptions options, Path dir, Clock clock) throws IOException {
        LogGenerator.create(options, clock).writeHistory(dir, false);
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void theSameSeedGivesTheSameBytes(LogFormat format) throws IOException {
        generate(options(format, 7), tmp.resolve("a"), Clock.systemUTC());
        generate(options(format, 7), tmp.resolve("b"), Clock.fixed(Instant.parse("2031-01-01T00:00:00Z"),
                ZoneOffset.UTC));

        List<Path> files = files(tmp.resolve("a"));
        assertEquals(files, files(tmp.resolve("b")));
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b")
                    .resolve(f)), f.toString());
        }
        assertFalse(Files.size(tmp.resolve("a").resolve(LogGenerator.RUNNER_LOG)) < 1_000_000, "a real amount");
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void anotherSeedGivesOtherLogs(LogFormat format) throws IOException {
        generate(options(format, 7), tmp.resolve("a"), Clock.systemUTC());
        generate(options(format, 8), tmp.resolve("b"), Clock.systemUTC());
        for (String log : List.of(LogGenerator.RUNNER_LOG, LogGenerator.STATE_LOG)) {
            byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(log));
            byte[] b = Files.readAllBytes(tmp.resolve("b").resolve(log));
            assertFalse(Arrays.equals(a, b), log);
            assertFalse(Arrays.equals(Arrays.copyOf(a, 4096), Arrays.copyOf(b, 4096)), log + " differs from the start");
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
