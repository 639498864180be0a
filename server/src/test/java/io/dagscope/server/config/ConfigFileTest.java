package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.config.UsageException;
import io.dagscope.server.logging.LogLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigFileTest {

    @TempDir
    Path tmp;

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    @Test
    void readsEverySetting() throws IOException {
        Files.createDirectories(tmp.resolve("schedules"));
        Files.createDirectories(tmp.resolve("plugins"));
        Path file = write("dagscope.yaml", """
                sources:
                  - name: prod-events
                    role: events
                    location: s3://bucket/logs/runner/
                    options: {region: eu-west-1, access_key: AKIAEXAMPLE, secret_key: s3cr3t, part_size: 8}
                  - location: /var/log/orch/orchestrator_state.jsonl*
                    role: state
                  - role: events
                    location: logs/more.jsonl
                schedules: schedules
                window_hours: 12.5
                window_end: 2025-10-21T20:00:00+02:00
                cron_weekdays: scheduler
                max_line_bytes: 65536
                retain: {days: 3, runs: 500}
                plugins: plugins/
                server:
                  port: 9090
                  bind: 0.0.0.0
                  auth: tokens.yaml
                  cors_origins: ["https://dash.example.com", "http://localhost:5173", "http://[::1]:8080"]
                  allowed_hosts: [Dagscope.Example.com, .corp.example, "*"]
                """);

        ConfigFile c = ConfigFile.read(file);

        assertEquals(List.of(
                new SourceSpec("prod-events", "events", "s3://bucket/logs/runner/", Map.of("region", "eu-west-1",
                        "access_key", "AKIAEXAMPLE", "secret_key", "s3cr3t", "part_size", "8"), false,
                        file + ":2: sources[0]"),
                new SourceSpec("state", "state", "/var/log/orch/orchestrator_state.jsonl*", Map.of(), false,
                        file + ":6: sources[1]"),
                new SourceSpec("events-2", "events", tmp.resolve("logs/more.jsonl").toString(), Map.of(), false,
                        file + ":8: sources[2]")), c.sources().orElseThrow());
        assertEquals(Optional.of(tmp.resolve("schedules")), c.schedules());
        assertEquals(Optional.of(12.5), c.windowHours());
        assertEquals(Optional.of(Instant.parse("2025-10-21T18:00:00Z")), c.windowEnd());
        assertEquals(Optional.of(WeekdayMode.SCHEDULER), c.weekdays());
        assertEquals(Optional.of(65536), c.maxLineBytes());
        assertEquals(Optional.of(3L), c.retainDays());
        assertEquals(Optional.of(500), c.retainRuns());
        assertEquals(Optional.of(tmp.resolve("plugins")), c.plugins());
        assertEquals(new ServerSettings(9090, "0.0.0.0", Optional.of(tmp.resolve("tokens.yaml")),
                List.of("https://dash.example.com", "http://localhost:5173", "http://[::1]:8080"),
                List.of("dagscope.example.com", ".corp.example", "*"), Map.of(), Optional.empty()), c.server());
    }

    @Test
    void whatTheFileLeavesOutIsEmptyAndTheServerSectionHasItsDefaults() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", "# nothing yet\nwindow_hours: 6\nschedules:\n"));

        assertEquals(Optional.empty(), c.sources());
        assertEquals(Optional.empty(), c.schedules(), "a key without a value counts as not given");
        assertEquals(Optional.of(6.0), c.windowHours());
        assertEquals(Optional.empty(), c.plugins());
        assertEquals(ServerSettings.DEFAULTS, c.server());
        assertEquals(new ServerSettings(8080, "127.0.0.1", Optional.empty(), List.of()), c.server());
    }

    @Test
    void theServersLogLevelIsReadInAnyCase() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", "server:\n  log_level: Warn\n"));

        assertEquals(Optional.of(LogLevel.WARN), c.server().logLevel());
        assertEquals(Optional.empty(), ServerSettings.DEFAULTS.logLevel());
    }

    @Test
    void anEmptyFileSetsNothing() throws IOException {
        ConfigFile c = ConfigFile.read(write("empty.yaml", ""));

        assertEquals(Optional.empty(), c.sources());
        assertEquals(Optional.empty(), c.windowHours());
        assertEquals(ServerSettings.DEFAULTS, c.server());
    }

    @Test
    void anEmptySourcesListMeansNoSources() throws IOException {
        assertEquals(Optional.of(List.of()), ConfigFile.read(write("c.yaml", "sources: []\n")).sources());
    }

    @Test
    void relativePathsAreReadFromTheFilesFolder() throws IOException {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.createDirectories(tmp.resolve("schedules"));
        Files.createDirectories(conf.resolve("plugins"));
        Path file = write("conf/dagscope.yaml", """
                sources:
                  - {role: events, location: logs/a.jsonl}
                  - {role: events, location: "logs/*.jsonl*"}
                  - {role: events, location: "jsonl://logs/b.jsonl?max_line_bytes=10"}
                  - {role: events, location: file://logs/c.jsonl}
                  - {role: events, location: /abs/d.jsonl}
                  - {role: events, location: file:///abs/e.jsonl}
                  - {role: state, location: s3://bucket/prefix/}
                  - {role: state, location: example://relative/runs.csv}
                schedules: ../schedules
                plugins: plugins
                server: {auth: secrets/tokens.yaml}
                """);

        ConfigFile c = ConfigFile.read(file);

        assertEquals(List.of(conf.resolve("logs/a.jsonl").toString(), conf.resolve("logs/*.jsonl*").toString(),
                "jsonl://" + conf.resolve("logs/b.jsonl") + "?max_line_bytes=10", "file://" + conf.resolve(
                        "logs/c.jsonl"), "/abs/d.jsonl", "file:///abs/e.jsonl", "s3://bucket/prefix/",
                "example://relative/runs.csv"), c.sources().orElseThrow().stream().map(SourceSpec::location).toList());
        assertEquals(Optional.of(conf.resolve("../schedules")), c.schedules());
        assertEquals(Optional.of(conf.resolve("plugins")), c.plugins());
        assertEquals(Optional.of(conf.resolve("secrets/tokens.yaml")), c.server().auth());
    }

    @Test
    void aFileInTheWorkingDirectoryKeepsPathsAsWritten() throws IOException {
        Path here = Path.of("dagscope-test-config-" + ProcessHandle.current().pid() + ".yaml");
        try {
            Files.writeString(here, "sources: [{role: events, location: logs/a.jsonl}]\n");

            assertEquals("logs/a.jsonl", ConfigFile.read(here).sources().orElseThrow().get(0).location());
        } finally {
            Files.deleteIfExists(here);
        }
    }

    @Test
    void namesNotGivenAreDerivedFromTheRoleAndPosition() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", """
                sources:
                  - {role: events, location: a}
                  - {role: state, location: b}
                  - {role: events, location: c}
                  - {role: events, location: d, name: archive}
                  - {role: events, location: e}
                """));

        assertEquals(List.of("events", "state", "events-2", "archive", "events-4"), c.sources().orElseThrow()
                .stream().map(SourceSpec::name).toList());
        assertTrue(c.sources().orElseThrow().stream().noneMatch(SourceSpec::fromCommandLine));
    }

    @Test
    void optionValuesAreKeptAsWritten() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", """
                sources:
                  - role: events
                    location: x://y
                    options: {ratio: 0.50, count: 007, flag: true, quoted: "yes", word: no}
                """));

        assertEquals(Map.of("ratio", "0.50", "count", "007", "flag", "true", "quoted", "yes", "word", "no"),
                c.sources().orElseThrow().get(0).options());
    }

    @Test
    void numbersMayBeWrittenInAnyYamlForm() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", "max_line_bytes: 1e6\nwindow_hours: 24\nretain: {runs: "
                + "0x10}\n"));

        assertEquals(Optional.of(1_000_000), c.maxLineBytes());
        assertEquals(Optional.of(24.0), c.windowHours());
        assertEquals(Optional.of(16), c.retainRuns());
    }

    @Test
    void theSnapshotsSectionIsReadWithItsFolderRelativeToTheFileAndItsDefaults() throws IOException {
        ConfigFile c = ConfigFile.read(write("c.yaml", "snapshots: {dir: snaps, every: 1h30m, every_events: 1000}\n"));

        assertEquals(new SnapshotSettings(Optional.empty(), Optional.of(tmp.resolve("snaps")), Duration.ofMinutes(90),
                1000, SnapshotSettings.DEFAULT_KEEP), c.snapshots());
        assertEquals(SnapshotSettings.NONE, ConfigFile.read(write("d.yaml", "window_hours: 3\n")).snapshots());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("windw_hours: 3\n", "1: windw_hours: unknown key; allowed: clock_skew_hours, cron_weekdays, history, "
                        + "max_line_bytes, plugins, retain, schedules, server, snapshots, sources, window_end, "
                        + "window_hours"),
                Arguments.of("snapshots:\n  every: 5 minutes\n", "2: snapshots.every: must be a time such as 90s, "
                        + "5m or 1h30m, from 1s to 168h; got '5 minutes'"),
                Arguments.of("snapshots:\n  every: 0s\n", "2: snapshots.every: must be a time such as 90s, 5m or "
                        + "1h30m, from 1s to 168h; got '0s'"),
                Arguments.of("snapshots:\n  every_events: 0\n", "2: snapshots.every_events: must be a whole number "
                        + "of events from 1 to 9223372036854775807; got 0"),
                Arguments.of("snapshots:\n  keep: 0\n", "2: snapshots.keep: must be a whole number of snapshots "
                        + "from 1 to 1000; got 0"),
                Arguments.of("snapshots:\n  folder: /tmp/s\n", "2: snapshots.folder: unknown key; allowed in "
                        + "snapshots: dir, every, every_events, keep"),
                Arguments.of("history:\n  store: disk\n", "2: history.store: must be one of: files, heap; got 'disk'"),
                Arguments.of("clock_skew_hours: -1\n", "1: clock_skew_hours: must be a whole number of hours from 0 "
                        + "to 876000; got -1"),
                Arguments.of("clock_skew_hours: 1.5\n", "1: clock_skew_hours: must be a whole number of hours from 0 "
                        + "to 876000; got 1.5"),
                Arguments.of("clock_skew_hours: soon\n", "1: clock_skew_hours: must be a whole number of hours from 0 "
                        + "to 876000; got the text 'soon'"),
                Arguments.of("history:\n  store: heap\n  dir: /tmp/h\n", "3: history.dir: names where history "
                        + "files go, but history.store is heap: give one or the other"),
                Arguments.of("history:\n  path: /tmp/h\n", "2: history.path: unknown key; allowed in history: dir, "
                        + "store"),
                Arguments.of("server:\n  prot: 80\n", "2: server.prot: unknown key; allowed in server: "
                        + "allowed_hosts, auth, bind, caller_burst_cost, caller_concurrency, caller_cost_per_second, "
                        + "cors_origins, log_level, max_query_cost, max_response_bytes, metrics_max_series, port, "
                        + "query_threads, trust_proxy"),
                Arguments.of("retain:\n  days: 1\n  weeks: 2\n", "3: retain.weeks: unknown key; allowed in retain: "
                        + "days, runs"),
                Arguments.of("sources:\n  - role: events\n    location: a.jsonl\n    optoins: {}\n",
                        "4: sources[0].optoins: unknown key; allowed in sources[0]: location, name, options, role"),
                Arguments.of("sources:\n  - location: a.jsonl\n", "2: sources[0].role: is missing; allowed: "
                        + "events, state"),
                Arguments.of("sources:\n  - role: events\n", "2: sources[0].location: is missing: a path or glob "
                        + "of log files, or scheme://target (e.g. s3://bucket/prefix/)"),
                Arguments.of("sources:\n  - role: events\n    location: \" \"\n", "3: sources[0].location: cannot "
                        + "be empty"),
                Arguments.of("sources:\n  - role: event\n    location: a\n", "2: sources[0].role: must be one of: "
                        + "events, state; got 'event'"),
                Arguments.of("sources: logs/a.jsonl\n", "1: sources: must be a list of sources, each a mapping "
                        + "with location, name, options, role; not text"),
                Arguments.of("sources:\n  - logs/a.jsonl\n", "2: sources[0]: must be a mapping with location, "
                        + "name, options, role; not text"),
                Arguments.of("sources:\n  - {role: events, location: a, name: prod events}\n", "2: sources[0].name: "
                        + "must be letters, digits, '.', '_' and '-', starting with a letter or digit; got "
                        + "'prod events'"),
                Arguments.of("sources:\n  - {role: events, location: a, name: x}\n  - {role: state, location: b, "
                        + "name: x}\n", "3: sources[1].name: two sources are named 'x' (the other is {file}:2: "
                        + "sources[0])"),
                Arguments.of("sources:\n  - {role: events, location: a}\n  - {role: state, location: b, "
                        + "name: events}\n", "3: sources[1].name: two sources are named 'events' (the other is "
                        + "{file}:2: sources[0])"),
                Arguments.of("sources:\n  - {role: events, location: a, options: [a, b]}\n", "2: sources[0].options: "
                        + "must be a mapping (key: value lines indented under it), not a list"),
                Arguments.of("sources:\n  - role: events\n    location: a\n    options:\n      region:\n",
                        "5: sources[0].options.region: must be a single value (text or a number), not empty"),
                Arguments.of("window_hours: \"24\"\n", "1: window_hours: must be a positive number of hours, e.g. "
                        + "24 or 0.5; got the text '24' (write a number without quotes)"),
                Arguments.of("window_hours: -1\n", "1: window_hours: must be a positive number of hours, e.g. 24 or "
                        + "0.5; got -1"),
                Arguments.of("window_hours: .inf\n", "1: window_hours: must be a positive number of hours, e.g. 24 "
                        + "or 0.5; got .inf"),
                Arguments.of("window_hours: [1]\n", "1: window_hours: must be a positive number of hours, e.g. 24 "
                        + "or 0.5; got a list"),
                Arguments.of("window_hours: day\n", "1: window_hours: must be a positive number of hours, e.g. 24 "
                        + "or 0.5; got the text 'day'"),
                Arguments.of("window_end: yesterday\n", "1: window_end: must be an ISO-8601 instant such as "
                        + "2025-10-21T18:00:00Z or 2025-10-21T20:00:00+02:00; got 'yesterday'"),
                Arguments.of("cron_weekdays: monday\n", "1: cron_weekdays: must be one of: unix, scheduler; got "
                        + "'monday'"),
                Arguments.of("max_line_bytes: 1.5\n", "1: max_line_bytes: must be a whole number of bytes from 1 "
                        + "to 2147483647; got 1.5"),
                Arguments.of("max_line_bytes: 0\n", "1: max_line_bytes: must be a whole number of bytes from 1 "
                        + "to 2147483647; got 0"),
                Arguments.of("retain: 7\n", "1: retain: must be a mapping (key: value lines indented under it), not "
                        + "a whole number"),
                Arguments.of("retain:\n  days: 100001\n", "2: retain.days: must be a whole number of days from 0 to "
                        + "100000; got 100001"),
                Arguments.of("retain:\n  runs: many\n", "2: retain.runs: must be a whole number of runs from 0 to "
                        + "2147483647; got the text 'many'"),
                Arguments.of("server:\n  port: 70000\n", "2: server.port: must be a whole number of port from 0 to "
                        + "65535; got 70000"),
                Arguments.of("server:\n  metrics_max_series: 0\n", "2: server.metrics_max_series: must be a whole "
                        + "number of series from 1 to 1000000; got 0"),
                Arguments.of("server:\n  max_query_cost: 0\n", "2: server.max_query_cost: must be a whole number "
                        + "of cost units from 1 to 9223372036854775807; got 0"),
                Arguments.of("server:\n  caller_concurrency: lots\n", "2: server.caller_concurrency: must be a whole "
                        + "number of executions from 1 to 100000; got the text 'lots'"),
                Arguments.of("server:\n  max_response_bytes: 1.5\n", "2: server.max_response_bytes: must be a whole "
                        + "number of bytes from 1 to 1099511627776; got 1.5"),
                Arguments.of("server:\n  trust_proxy: 'yes'\n", "2: server.trust_proxy: must be true or false; got "
                        + "the text 'yes'"),
                Arguments.of("server:\n  log_level: verbose\n", "2: server.log_level: must be one of error, warn, "
                        + "info, debug; got the text 'verbose'"),
                Arguments.of("server:\n  log_level: 3\n", "2: server.log_level: must be one of error, warn, info, "
                        + "debug; got a whole number (3)"),
                Arguments.of("server:\n  bind: 'my host'\n", "2: server.bind: must be a host name or an IP address, "
                        + "e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface); got 'my host'"),
                Arguments.of("server:\n  cors_origins: https://dash.example.com\n", "2: server.cors_origins: must be "
                        + "a list of origins, e.g. [\"https://dash.example.com\"]; not text"),
                Arguments.of("server:\n  cors_origins:\n    - https://dash.example.com/app\n",
                        "3: server.cors_origins[0]: must be \"*\" or an origin: http:// or https://, a host and an "
                        + "optional port, no path (e.g. https://dash.example.com or http://localhost:5173); got "
                        + "'https://dash.example.com/app'"),
                Arguments.of("server:\n  allowed_hosts: dagscope.example.com\n", "2: server.allowed_hosts: must be "
                        + "a list of host names, e.g. [\"dagscope.example.com\"]; not text"),
                Arguments.of("server:\n  allowed_hosts:\n    - https://dagscope.example.com\n",
                        "3: server.allowed_hosts[0]: must be a host name such as dagscope.example.com, .example.com "
                        + "(the name and every name under it) or * (any name), without a scheme, port or path; got "
                        + "'https://dagscope.example.com'"),
                Arguments.of("server:\n  allowed_hosts: [\"dagscope.example.com:443\"]\n",
                        "2: server.allowed_hosts[0]: must be a host name such as dagscope.example.com, .example.com "
                        + "(the name and every name under it) or * (any name), without a scheme, port or path; got "
                        + "'dagscope.example.com:443'"),
                Arguments.of("server:\n  allowed_hosts: [8080]\n",
                        "2: server.allowed_hosts[0]: must be a host name as text, not a whole number"),
                Arguments.of("schedules: no-such-schedules\n", "1: schedules: no such file or directory: "
                        + "{dir}/no-such-schedules (relative paths are read from the config file's folder)"),
                Arguments.of("plugins: /no/such/plugins\n", "1: plugins: no such directory: /no/such/plugins"),
                Arguments.of("plugins: dagscope.yaml\n", "1: plugins: must be a directory: {dir}/dagscope.yaml"),
                Arguments.of("- sources\n", "1: the file must be a mapping of settings (clock_skew_hours, cron_weekdays, history, "
                        + "max_line_bytes, plugins, retain, schedules, server, snapshots, sources, window_end, "
                        + "window_hours), not a list"),
                Arguments.of("window_hours: 1\nwindow_hours: 2\n", "2: the key 'window_hours' is given twice in "
                        + "one mapping (first on line 1)"),
                Arguments.of("window_hours: 1\n---\nwindow_hours: 2\n", "3: a second YAML document starts here; "
                        + "the file must hold one"),
                Arguments.of("schedules: &dir configs\nplugins: *dir\n", "2: an alias (*name) cannot be used here; a "
                        + "value that starts with * must be quoted, as in location: \"*.jsonl\""),
                Arguments.of("sources:\n  - role: events\n    location: *events\n", "3: an alias (*name) "
                        + "cannot be used here; a value that starts with * must be quoted, as in location: "
                        + "\"*.jsonl\""));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void aBadFileIsRefusedNamingTheFileTheLineTheKeyAndWhatIsAllowed(String yaml, String expected)
            throws IOException {
        Path file = write("dagscope.yaml", yaml);

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertEquals(file + ":" + expected.replace("{file}", file.toString()).replace("{dir}", tmp.toString()),
                e.getMessage());
    }

    @Test
    void malformedYamlIsRefusedWithItsLine() throws IOException {
        Path file = write("bad.yaml", "window_hours: 1\nsources: [\n  {role: events\n");

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertTrue(e.getMessage().matches("\\Q" + file + "\\E:[34]: not valid YAML: .*\\(column \\d+\\)"),
                e.getMessage());
    }

    @Test
    void anUnquotedStarIsExplained() throws IOException {
        Path file = write("bad.yaml", "sources:\n  - role: events\n    location: *.jsonl\n");

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertTrue(e.getMessage().startsWith(file + ":3: not valid YAML"), e.getMessage());
        assertTrue(e.getMessage().contains("a value that starts with * must be quoted"), e.getMessage());
    }

    @Test
    void aMissingFileIsBadUsage() {
        Path file = tmp.resolve("nope.yaml");

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertEquals("--config " + file + ": no such file", e.getMessage());
    }

    @Test
    void aFolderIsNotAConfigFile() {
        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(tmp));

        assertEquals("--config " + tmp + ": is a directory, not a YAML file", e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws IOException {
        Path file = Files.write(tmp.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertEquals("--config " + file + ": not valid UTF-8", e.getMessage());
    }

    /** Found by fuzzing: YAML's .nan and .inf reached BigDecimal, which threw NumberFormatException. */
    @ParameterizedTest
    @MethodSource("nonFiniteWholeNumbers")
    void aNonFiniteNumberWhereAWholeNumberBelongsIsAUsageError(String yaml, String expected) throws IOException {
        Path file = write("dagscope.yaml", yaml);

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertEquals(file + ":" + expected, e.getMessage());
    }

    static Stream<Arguments> nonFiniteWholeNumbers() {
        return Stream.of(
                Arguments.of("max_line_bytes: .nan\n", "1: max_line_bytes: must be a whole number of bytes from 1 to "
                        + Integer.MAX_VALUE + "; got .nan"),
                Arguments.of("max_line_bytes: .inf\n", "1: max_line_bytes: must be a whole number of bytes from 1 to "
                        + Integer.MAX_VALUE + "; got .inf"),
                Arguments.of("retain:\n  days: -.Inf\n", "2: retain.days: must be a whole number of days from 0 to "
                        + "100000; got -.Inf"),
                Arguments.of("server:\n  port: .NaN\n", "2: server.port: must be a whole number of port from 0 to "
                        + "65535; got .NaN"));
    }

    /**
     * Found by fuzzing: a quote left open makes a value run over the lines after it, and the error quoted the whole
     * value, secrets of those lines and all. A value over several lines is not shown.
     */
    @ParameterizedTest
    @MethodSource("valuesOverLines")
    void aValueThatRunsOverLinesIsNotShownInAnError(String yaml, String expected) throws IOException {
        Path file = write("dagscope.yaml", yaml);

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertEquals(file + ":" + expected, e.getMessage());
        assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
    }

    static Stream<Arguments> valuesOverLines() {
        String secretLines = "    location: s3://logs/prod/?secret_key=S3CRET1\n    options:\n      secret_key: S3CRET2\n";
        String open = "a text that runs from line %d to line %d, not shown (is a quote left open?)";
        return Stream.of(
                Arguments.of("sources:\n  - role: \"events\n" + secretLines + "    name: x\"\n",
                        "2: sources[0].role: must be one of: events, state; got " + open.formatted(2, 6)),
                Arguments.of("sources:\n  - role: events\n    location: x.jsonl\n    name: 'lake\n" + secretLines
                        + "  - role: state'\n", "4: sources[0].name: must be letters, digits, '.', '_' and '-', "
                                + "starting with a letter or digit; got " + open.formatted(4, 8)),
                Arguments.of("server:\n  bind: \"a\n  auth: x\nsources:\n  - role: events\n" + secretLines + "\"\n",
                        "2: server.bind: must be a host name or an IP address, e.g. 127.0.0.1 (this machine only) or "
                                + "0.0.0.0 (every interface); got " + open.formatted(2, 9)),
                Arguments.of("history:\n  store: 'x\n" + secretLines + "'\n",
                        "2: history.store: must be one of: files, heap; got " + open.formatted(2, 6)),
                Arguments.of("cron_weekdays: \"x\n" + secretLines + "\"\n",
                        "1: cron_weekdays: must be one of: unix, scheduler; got " + open.formatted(1, 5)),
                Arguments.of("window_end: \"x\n" + secretLines + "\"\n",
                        "1: window_end: must be an ISO-8601 instant such as 2025-10-21T18:00:00Z or "
                                + "2025-10-21T20:00:00+02:00; got " + open.formatted(1, 5)),
                Arguments.of("server:\n  cors_origins: [\"x\n" + secretLines + "\"]\n",
                        "2: server.cors_origins[0]: must be \"*\" or an origin: http:// or https://, a host and an "
                                + "optional port, no path (e.g. https://dash.example.com or http://localhost:5173); got "
                                + open.formatted(2, 6)),
                Arguments.of("window_hours: \"x\n" + secretLines + "\"\n",
                        "1: window_hours: must be a positive number of hours, e.g. 24 or 0.5; got "
                                + open.formatted(1, 5)));
    }

    /** Found by fuzzing: Jackson's nesting limit names no place, and the error had no line. */
    @Test
    void yamlNestedTooDeepIsRefusedWithTheLineWhereItStopped() throws IOException {
        Path file = write("deep.yaml", "window_hours: 1\nsources: " + "[".repeat(1200) + "\n");

        UsageException e = assertThrows(UsageException.class, () -> ConfigFile.read(file));

        assertTrue(e.getMessage().startsWith(file + ":2: not valid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsDropped() throws IOException {
        Path file = write("bom.yaml", "\uFEFFwindow_hours: 2\n");

        assertEquals(Optional.of(2.0), ConfigFile.read(file).windowHours());
    }
}
