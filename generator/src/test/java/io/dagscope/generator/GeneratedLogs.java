package io.dagscope.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Two days of logs in each format, generated once per test run into {@code target/test-logs} and shared by the tests
 * that only read them.
 */
final class GeneratedLogs {

    static final Instant START = Instant.parse("2025-10-20T13:55:00Z");
    static final double DAYS = 2;
    static final Instant END = START.plusSeconds((long) (DAYS * 86_400));
    static final long SEED = 303;
    static final double RATE = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<LogFormat, GeneratedLogs> CACHE = new EnumMap<>(LogFormat.class);

    final LogFormat format;
    final Path dir;
    final GenerationReport report;
    private List<JsonNode> runner;
    private List<JsonNode> state;

    private GeneratedLogs(LogFormat format, Path dir, GenerationReport report) {
        this.format = format;
        this.dir = dir;
        this.report = report;
    }

    static synchronized GeneratedLogs of(LogFormat format) {
        return CACHE.computeIfAbsent(format, f -> {
            Path dir = Path.of("target", "test-logs", f.label() + "-" + SEED);
            GeneratorOptions options = GeneratorOptions.builder().format(f).seed(SEED).start(START).days(DAYS)
                    .ratePerMinute(RATE).build();
            try {
                GenerationReport report = LogGenerator.create(options, Clock.fixed(END, ZoneOffset.UTC))
                        .writeHistory(dir, true);
                return new GeneratedLogs(f, dir, report);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    Path runnerLog() {
        return dir.resolve(LogGenerator.RUNNER_LOG);
    }

    Path stateLog() {
        return dir.resolve(LogGenerator.STATE_LOG);
    }

    synchronized List<JsonNode> runnerLines() {
        if (runner == null) {
            runner = parse(runnerLog());
        }
        return runner;
    }

    synchronized List<JsonNode> stateLines() {
        if (state == null) {
            state = parse(stateLog());
        }
        return state;
    }

    static List<JsonNode> parse(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static long count(List<JsonNode> lines, String event) {
        return lines.stream().filter(n -> n.path("event").asText().equals(event)).count();
    }
}
