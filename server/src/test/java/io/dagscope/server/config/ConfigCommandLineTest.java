package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config} through the command line, on the real sample logs. */
class ConfigCommandLineTest {

    private static final Path SAMPLE = Path.of("../fixtures/samples/legacy-27c");
    private static final String QUERY = "{ windowOf { start end hours } dagRuns { totalCount } "
            + "schedules { id cron } sources { name kind eventsRead linesSkipped } }";

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(argv, InputStream.nullInputStream(), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A copy of the sample beside a config file that names it by relative paths. */
    private Path configBesideACopyOfTheSample() throws IOException {
        Path logs = Files.createDirectories(tmp.resolve("site/logs"));
        Files.copy(SAMPLE.resolve("orchestrator_events.jsonl"), logs.resolve("orchestrator_events.jsonl"));
        Files.copy(SAMPLE.resolve("orchestrator_state.jsonl"), logs.resolve("orchestrator_state.jsonl"));
        Path schedules = Files.createDirectories(tmp.resolve("site/configs/schedules"));
        try (Stream<Path> files = Files.list(SAMPLE.resolve("configs/schedules"))) {
            for (Path f : files.toList()) {
                Files.copy(f, schedules.resolve(f.getFileName()));
            }
        }
        return Files.writeString(tmp.resolve("site/dagscope.yaml"), """
                # the legacy sample, as a site would configure it
                sources:
                  - role: events
                    location: logs/orchestrator_events.jsonl
                  - role: state
                    location: logs/orchestrator_state.jsonl
                schedules: configs/schedules
                window_hours: 12
                window_end: 2025-10-21T18:00:00Z
                """);
    }

    @Test
    void aConfigFileAnswersAsTheSameSettingsGivenAsFlags() throws IOException {
        Path config = configBesideACopyOfTheSample();

        Result fromFile = run(Map.of(), "query", "--config", config.toString(), "--compact", QUERY);
        Result fromFlags = run(Map.of(), "query", "--events", SAMPLE.resolve("orchestrator_events.jsonl").toString(),
                "--state", SAMPLE.resolve("orchestrator_state.jsonl").toString(), "--schedules",
                SAMPLE.resolve("configs/schedules").toString(), "--window-hours", "12", "--end",
                "2025-10-21T18:00:00Z", "--compact", QUERY);

        assertEquals(0, fromFile.status(), fromFile.err());
        assertEquals(0, fromFlags.status(), fromFlags.err());
        JsonNode file = new ObjectMapper().readTree(fromFile.out()).get("data");
        JsonNode flags = new ObjectMapper().readTree(fromFlags.out()).get("data");
        assertEquals(flags, file);
        assertEquals("2025-10-21T06:00:00Z", file.at("/windowOf/start").asText());
        assertTrue(file.at("/dagRuns/totalCount").asLong() > 0);
        assertTrue(file.get("schedules").size() > 0);
        assertEquals(2, file.get("sources").size());
    }

    @Test
    void aFlagOverridesTheFile() throws IOException {
        Path config = configBesideACopyOfTheSample();

        Result r = run(Map.of(), "query", "--config", config.toString(), "--window-hours", "2", "--compact",
                "{ windowOf { start end hours } }");

        assertEquals(0, r.status(), r.err());
        assertEquals("{\"data\":{\"windowOf\":{\"start\":\"2025-10-21T16:00:00Z\",\"end\":\"2025-10-21T18:00:00Z\","
                + "\"hours\":2.0}}}\n", r.out());
    }

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        Path config = configBesideACopyOfTheSample();

        Result r = run(Map.of("ORCH_PANEL_WINDOW_H", "1"), "summary", "--config", config.toString());

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("dagscope summary: window 2025-10-21T17:00:00Z to 2025-10-21T18:00:00Z (1 h)"),
                r.out());
    }

    @Test
    void aMistakeInTheFileIsBadUsageNamingFileLineAndKey() throws IOException {
        Path config = Files.writeString(tmp.resolve("dagscope.yaml"), "sources:\n  - role: events\n    location: "
                + "a.jsonl\ncron_weekdays: python\n");

        Result r = run(Map.of(), "query", "--config", config.toString(), "{ sources { name } }");

        assertEquals(2, r.status());
        assertEquals("dagscope query: " + config + ":4: cron_weekdays: must be one of: unix, scheduler; got 'python'\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingConfigFileIsBadUsage() {
        Path missing = tmp.resolve("missing.yaml");

        Result r = run(Map.of(), "summary", "--config", missing.toString());

        assertEquals(2, r.status());
        assertEquals("dagscope summary: --config " + missing + ": no such file\n", r.err());
    }
}
