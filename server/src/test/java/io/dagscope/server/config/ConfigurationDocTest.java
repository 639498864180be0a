package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.config.Flag;
import io.dagscope.server.logging.LogLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md names every flag and key, and its example file is one the reader accepts. */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("../docs/configuration.md");

    @TempDir
    Path tmp;

    @Test
    void theDocNamesEveryFlagEveryVariableAndEveryKey() throws IOException {
        String doc = Files.readString(DOC);
        for (Flag flag : CommonOptions.FLAGS) {
            assertTrue(doc.contains("`--" + flag.name()), "the doc names --" + flag.name());
        }
        for (String variable : List.of("ORCH_EVENTS_PATH", "STATE_STORE_PATH", "ORCH_PANEL_WINDOW_H")) {
            assertTrue(doc.contains("`" + variable + "`"), "the doc names " + variable);
        }
        for (Set<String> keys : List.of(ConfigFile.KEYS, ConfigFile.SOURCE_KEYS, ConfigFile.SERVER_KEYS)) {
            for (String key : keys) {
                assertTrue(doc.contains("`" + key + "`"), "the doc names the key " + key);
            }
        }
        for (String key : ConfigFile.RETAIN_KEYS) {
            assertTrue(doc.contains("`retain." + key + "`"), "the doc names retain." + key);
        }
        for (String key : ConfigFile.HISTORY_KEYS) {
            assertTrue(doc.contains("`history." + key + "`"), "the doc names history." + key);
        }
        for (String key : ConfigFile.SNAPSHOT_KEYS) {
            assertTrue(doc.contains("`snapshots." + key + "`"), "the doc names snapshots." + key);
        }
        for (String flag : List.of("snapshot-dir", "snapshot-every", "snapshot-every-events", "snapshot-keep",
                "log-level")) {
            assertTrue(doc.contains("`--" + flag), "the doc names serve's --" + flag);
        }
    }

    @Test
    void theDocumentedExampleFileIsAccepted() throws IOException {
        Matcher example = Pattern.compile("## A complete example\n\n```yaml\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertTrue(example.find());
        Files.createDirectories(tmp.resolve("configs/schedules"));
        Files.createDirectories(tmp.resolve("plugins"));
        Path file = Files.writeString(tmp.resolve("dagscope.yaml"), example.group(1));

        ConfigFile c = ConfigFile.read(file);

        assertEquals(List.of("prod-events", "events-2", "state"), c.sources().orElseThrow().stream()
                .map(SourceSpec::name).toList());
        assertEquals(Optional.of(24.0), c.windowHours());
        assertEquals(Optional.of(WeekdayMode.UNIX), c.weekdays());
        assertEquals(Optional.of(1 << 20), c.maxLineBytes());
        assertEquals(Optional.of(7L), c.retainDays());
        assertEquals(Optional.of(100_000), c.retainRuns());
        assertEquals(new ServerSettings(8080, "127.0.0.1", Optional.of(tmp.resolve("tokens.yaml")),
                List.of("https://dash.example.com"), List.of("dagscope.example.com"), java.util.Map.of(
                        "max_query_cost", 1_000_000L, "caller_concurrency", 16L, "caller_cost_per_second", 200_000L),
                Optional.empty(), ServerSettings.DEFAULT_METRICS_MAX_SERIES, Optional.of(LogLevel.INFO)), c.server());
    }
}
