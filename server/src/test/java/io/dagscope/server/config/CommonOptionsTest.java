package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommonOptionsTest {

    @TempDir
    Path tmp;

    private Path config;
    private final List<String> notes = new ArrayList<>();

    @BeforeEach
    void writeConfig() throws IOException {
        Files.createDirectories(tmp.resolve("file-schedules"));
        Files.createDirectories(tmp.resolve("file-plugins"));
        config = Files.writeString(tmp.resolve("dagscope.yaml"), """
                sources:
                  - {name: runner-a, role: events, location: /logs/a.jsonl}
                  - {role: state, location: /logs/state.jsonl}
                  - {name: runner-b, role: events, location: /logs/b.jsonl}
                schedules: file-schedules
                window_hours: 6
                window_end: 2025-10-21T18:00:00Z
                cron_weekdays: scheduler
                max_line_bytes: 4096
                retain: {days: 2, runs: 50}
                plugins: file-plugins
                server: {port: 9999}
                history: {dir: file-history}
                """);
    }

    private Settings resolve(Map<String, String> env, String... argv) {
        List<Flag> flags = CommonOptions.FLAGS;
        return CommonOptions.resolve(Args.parse("test", argv, flags), env, notes::add);
    }

    @Test
    void everySettingComesFromTheFileWhenNoFlagOrVariableGivesIt() {
        Settings s = resolve(Map.of(), "--config", config.toString());

        assertEquals(List.of("runner-a /logs/a.jsonl", "runner-b /logs/b.jsonl", "state /logs/state.jsonl"),
                s.sources().stream().map(x -> x.name() + " " + x.location()).toList(), "runner logs first");
        assertEquals(Optional.of(tmp.resolve("file-schedules")), s.schedules());
        assertEquals(6.0, s.windowHours());
        assertEquals(Optional.of(Instant.parse("2025-10-21T18:00:00Z")), s.end());
        assertEquals(WeekdayMode.SCHEDULER, s.weekdays());
        assertEquals(4096, s.maxLineBytes());
        assertEquals(Duration.ofDays(2), s.retainRunsFor());
        assertEquals(50, s.retainRuns());
        assertEquals(Optional.of(tmp.resolve("file-plugins")), s.plugins());
        assertEquals(9999, s.server().port());
        assertEquals(new HistorySettings(HistorySettings.Kind.FILES, Optional.of(tmp.resolve("file-history"))),
                s.history());
        assertEquals(Optional.of(config), s.configFile());
        assertEquals(List.of(), notes, "the file's sources replace the default paths");
    }

    @Test
    void flagsWinOverTheFile() throws IOException {
        Path schedules = Files.createDirectories(tmp.resolve("flag-schedules"));
        Path plugins = Files.createDirectories(tmp.resolve("flag-plugins"));

        Settings s = resolve(Map.of(), "--config", config.toString(), "--schedules", schedules.toString(),
                "--window-hours", "3", "--end", "2025-10-22T00:00:00Z", "--cron-weekdays", "unix",
                "--max-line-bytes", "100", "--retain-days", "9", "--retain-runs", "7", "--plugins", plugins.toString());

        assertEquals(Optional.of(schedules), s.schedules());
        assertEquals(3.0, s.windowHours());
        assertEquals(Optional.of(Instant.parse("2025-10-22T00:00:00Z")), s.end());
        assertEquals(WeekdayMode.UNIX, s.weekdays());
        assertEquals(100, s.maxLineBytes());
        assertEquals(Duration.ofDays(9), s.retainRunsFor());
        assertEquals(7, s.retainRuns());
        assertEquals(Optional.of(plugins), s.plugins());
    }

    @Test
    void historyGoesToFilesInTheTemporaryDirectoryUnlessAFlagOrTheFileSaysOtherwise() throws IOException {
        assertEquals(HistorySettings.DEFAULTS, resolve(Map.of(), "--events", "/x.jsonl").history());
        assertEquals(new HistorySettings(HistorySettings.Kind.HEAP, Optional.empty()),
                resolve(Map.of(), "--events", "/x.jsonl", "--history", "heap").history());
        assertEquals(new HistorySettings(HistorySettings.Kind.FILES, Optional.of(tmp.resolve("h"))),
                resolve(Map.of(), "--config", config.toString(), "--history-dir", tmp.resolve("h").toString())
                        .history(), "the flag wins over the file");

        assertEquals(new HistorySettings(HistorySettings.Kind.HEAP, Optional.empty()),
                resolve(Map.of(), "--config", config.toString(), "--history", "heap").history(),
                "--history heap wins over the file, whose folder then does not apply");
        Path heapConfig = Files.writeString(tmp.resolve("heap.yaml"), "history: {store: heap}\n");
        assertEquals(new HistorySettings(HistorySettings.Kind.FILES, Optional.of(tmp.resolve("h"))),
                resolve(Map.of(), "--config", heapConfig.toString(), "--history-dir", tmp.resolve("h").toString())
                        .history(), "--history-dir means files, whatever the file says");

        UsageException bad = assertThrows(UsageException.class,
                () -> resolve(Map.of(), "--events", "/x.jsonl", "--history", "disk"));
        assertEquals("--history must be one of: files, heap; got 'disk'", bad.getMessage());
        UsageException both = assertThrows(UsageException.class,
                () -> resolve(Map.of(), "--events", "/x.jsonl", "--history", "heap", "--history-dir", "/tmp/h"));
        assertTrue(both.getMessage().startsWith("--history-dir names where history files go, but --history is heap"),
                both.getMessage());
    }

    @Test
    void aHistoryDirectoryThatCannotHoldFilesIsAUsageError() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        HistorySettings settings = new HistorySettings(HistorySettings.Kind.FILES, Optional.of(file.resolve("sub")));

        UsageException e = assertThrows(UsageException.class, settings::open);
        assertTrue(e.getMessage().startsWith("--history-dir: cannot keep history in " + file.resolve("sub")),
                e.getMessage());
    }

    @Test
    void aTemporaryDirectoryThatCannotHoldFilesIsNotBlamedOnAFlagNotGiven() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        String saved = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", file.resolve("sub").toString());
        try {
            UsageException e = assertThrows(UsageException.class, HistorySettings.DEFAULTS::open);
            assertFalse(e.getMessage().startsWith("--history-dir"), e.getMessage());
            assertTrue(e.getMessage().contains("cannot keep history in " + file.resolve("sub"))
                    && e.getMessage().contains("give a writable one with --history-dir DIR, or --history heap"),
                    e.getMessage());
        } finally {
            System.setProperty("java.io.tmpdir", saved);
        }
    }

    @Test
    void windowHoursComeFromTheFlagThenTheEnvironmentThenTheFileThenTheDefault() {
        Map<String, String> env = Map.of("ORCH_PANEL_WINDOW_H", "12");

        assertEquals(3.0, resolve(env, "--config", config.toString(), "--window-hours", "3").windowHours());
        assertEquals(12.0, resolve(env, "--config", config.toString()).windowHours());
        assertEquals(6.0, resolve(Map.of(), "--config", config.toString()).windowHours());
        assertEquals(24.0, resolve(Map.of(), "--events", "/x.jsonl", "--state", "/y.jsonl").windowHours());
    }

    @Test
    void anEventsFlagReplacesTheFilesRunnerLogsAndKeepsItsStateLogs() {
        Settings s = resolve(Map.of(), "--config", config.toString(), "--events", "/flag/one.jsonl", "--events",
                "/flag/two.jsonl");

        assertEquals(List.of(
                new SourceSpec("events", "events", "/flag/one.jsonl", Map.of(), true, "--events"),
                new SourceSpec("events-2", "events", "/flag/two.jsonl", Map.of(), true, "--events"),
                new SourceSpec("state", "state", "/logs/state.jsonl", Map.of(), false, config + ":3: sources[1]")),
                s.sources());
    }

    @Test
    void aStateFlagReplacesTheFilesStateLogsAndKeepsItsRunnerLogs() {
        Settings s = resolve(Map.of(), "--config", config.toString(), "--state", "/flag/state.jsonl");

        assertEquals(List.of("runner-a", "runner-b", "state"), s.sources().stream().map(SourceSpec::name).toList());
        assertEquals("/flag/state.jsonl", s.sources().get(2).location());
        assertTrue(s.sources().get(2).fromCommandLine());
    }

    @Test
    void theEnvironmentReplacesTheFilesSourcesOfItsRoleAndFlagsReplaceTheEnvironment() {
        Map<String, String> env = Map.of("ORCH_EVENTS_PATH", "/env/events.jsonl", "STATE_STORE_PATH",
                "/env/state.jsonl");

        Settings fromEnv = resolve(env, "--config", config.toString());
        Settings fromFlag = resolve(env, "--config", config.toString(), "--state", "/flag/state.jsonl");

        assertEquals(List.of("events /env/events.jsonl ORCH_EVENTS_PATH", "state /env/state.jsonl STATE_STORE_PATH"),
                fromEnv.sources().stream().map(x -> x.name() + " " + x.location() + " " + x.origin()).toList());
        assertEquals(List.of("events /env/events.jsonl ORCH_EVENTS_PATH", "state /flag/state.jsonl --state"),
                fromFlag.sources().stream().map(x -> x.name() + " " + x.location() + " " + x.origin()).toList());
    }

    @Test
    void aFileWithoutSourcesLeavesTheSourcesToFlagsEnvironmentAndDefaults() throws IOException {
        assumeFalse(Files.exists(Path.of(CommonOptions.DEFAULT_STATE)), "the module folder has no logs/");
        Path file = Files.writeString(tmp.resolve("window-only.yaml"), "window_hours: 2\n");

        Settings s = resolve(Map.of(), "--config", file.toString(), "--events", "/x.jsonl");

        assertEquals(List.of("events"), s.sources().stream().map(SourceSpec::name).toList());
        assertEquals(List.of("no --state given and logs/orchestrator_state.jsonl does not exist: reading no state "
                + "log"), notes);
        assertEquals(2.0, s.windowHours());
    }

    @Test
    void aFlagSourceAndAFileSourceWithOneNameAreRefusedNamingBoth() throws IOException {
        Path file = Files.writeString(tmp.resolve("clash.yaml"), """
                sources:
                  - {name: events, role: state, location: /logs/state.jsonl}
                """);

        UsageException e = assertThrows(UsageException.class,
                () -> resolve(Map.of(), "--config", file.toString(), "--events", "/x.jsonl"));

        assertEquals("two sources are named 'events': --events and " + file + ":2: sources[0]; give the config "
                + "file's source another name", e.getMessage());
    }

    @Test
    void anExplicitPluginFolderMustExist() {
        Path missing = tmp.resolve("missing");

        UsageException e = assertThrows(UsageException.class, () -> resolve(Map.of(), "--events", "/x.jsonl",
                "--plugins", missing.toString()));

        assertEquals("--plugins " + missing + ": no such directory", e.getMessage());
    }

    @Test
    void withoutAConfigFileTheSettingsAreAsBefore() {
        assumeFalse(Files.exists(Path.of(CommonOptions.DEFAULT_PLUGINS)), "the module folder has no plugins/");

        Settings s = resolve(Map.of(), "--events", "/x.jsonl", "--state", "/y.jsonl");

        assertEquals(new Settings(List.of(new SourceSpec("events", "events", "/x.jsonl", Map.of(), true),
                new SourceSpec("state", "state", "/y.jsonl", Map.of(), true)), Optional.empty(), 24, Optional.empty(),
                WeekdayMode.UNIX, 1 << 20, Duration.ofDays(7), 100_000), s);
        assertEquals(Optional.empty(), s.plugins(), "no plugins/ folder here, and its absence is no error");
        assertEquals(ServerSettings.DEFAULTS, s.server());
    }

    @Test
    void everyCommandThatSharesTheFlagsGetsConfigAndPlugins() {
        List<String> names = CommonOptions.FLAGS.stream().map(Flag::name).toList();

        assertTrue(names.contains("config") && names.contains("plugins"), names.toString());
    }
}
