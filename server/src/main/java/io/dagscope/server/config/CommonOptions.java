package io.dagscope.server.config;

import io.dagscope.core.time.Timestamps;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.spi.TimestampLimits;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The flags every command that reads logs shares, and how they combine with the orchestrator's environment and the
 * config file: flags, then environment, then config file, then defaults.
 */
public final class CommonOptions {

    /** The runner log when neither {@code --events}, {@code ORCH_EVENTS_PATH} nor the config file says otherwise. */
    public static final String DEFAULT_EVENTS = "logs/orchestrator_events.jsonl";
    /** The state log when neither {@code --state}, {@code STATE_STORE_PATH} nor the config file says otherwise. */
    public static final String DEFAULT_STATE = "logs/orchestrator_state.jsonl";

    /** The plugin folder read when neither {@code --plugins} nor the config file names one, if it exists. */
    public static final String DEFAULT_PLUGINS = "plugins";

    /** The flags. */
    public static final List<Flag> FLAGS = List.of(
            new Flag("config", "FILE", false, "a YAML config file: sources with options and every setting below "
                    + "(flags and environment override it; docs/configuration.md)"),
            new Flag("events", "LOCATION", true, "a runner log: a file, a glob of rotated files, or scheme://... "
                    + "(repeatable; default $ORCH_EVENTS_PATH, else the config file's, else " + DEFAULT_EVENTS + ")"),
            new Flag("state", "LOCATION", true, "a scheduler state log, likewise (repeatable; default "
                    + "$STATE_STORE_PATH, else the config file's, else " + DEFAULT_STATE + ")"),
            new Flag("schedules", "PATH", false, "schedule definitions: a YAML file or a directory of them"),
            new Flag("window-hours", "HOURS", false, "default window length (default $ORCH_PANEL_WINDOW_H, else 24)"),
            new Flag("end", "ISO-8601", false, "default window end, e.g. 2025-10-21T18:00:00Z (default: now)"),
            new Flag("cron-weekdays", "unix|scheduler", false, "read cron weekdays as Unix cron (Sunday = 0, the "
                    + "default) or as the orchestrator's scheduler does (Monday = 0)"),
            new Flag("max-line-bytes", "BYTES", false, "skip lines longer than this (default 1048576)"),
            new Flag("retain-days", "DAYS", false, "keep run detail for at least this many days (default 7)"),
            new Flag("retain-runs", "COUNT", false, "keep at least this many runs in detail (default 100000)"),
            new Flag("clock-skew-hours", "HOURS", false, "skip lines stamped more than this many hours ahead of "
                    + "this machine's clock (or of --end, if later) as future_timestamp (default 24)"),
            new Flag("history", "files|heap", false, "keep finished history (sealed days, dropped runs) in "
                    + "memory-mapped files, so the heap stays flat (the default), or on the heap"),
            new Flag("history-dir", "DIR", false, "where those files go (default: the system's temporary "
                    + "directory; they are deleted at exit, or by the next start after a crash)"),
            new Flag("plugins", "DIR", false, "load source plugins from this folder: each *.jar and each sub-folder "
                    + "is one plugin (default " + DEFAULT_PLUGINS + "/ when it exists; docs/plugins.md)"),
            new Flag("snapshot", "FILE", false, "start from this snapshot (dagscope snapshot, merge or serve "
                    + "--snapshot-dir made it) and read each log on from where it records; a file that cannot be used "
                    + "is reported and the logs are read from the start (docs/snapshots.md)"));

    /** The largest clock skew, in hours: about 100 years. */
    static final long MAX_CLOCK_SKEW_HOURS = 876_000;

    private static final Map<String, String> ENV_BY_ROLE = Map.of("events", "ORCH_EVENTS_PATH", "state",
            "STATE_STORE_PATH");

    private CommonOptions() {
    }

    /**
     * Resolves the settings: flags win over the environment, which wins over the config file ({@code --config}),
     * which wins over the defaults. {@code --events} (or {@code ORCH_EVENTS_PATH}) replaces the config file's
     * sources of role {@code events}, and likewise for {@code --state}; when the file lists {@code sources}, the
     * default log paths are not used.
     *
     * @param args the parsed arguments
     * @param env the environment
     * @param note told of defaults that were skipped, for stderr
     * @return the settings
     * @throws UsageException naming the flag, variable or config key (with file and line) and what is allowed
     */
    public static Settings resolve(Args args, Map<String, String> env, Consumer<String> note) {
        Optional<Path> configPath = args.value("config").map(CommonOptions::path);
        Optional<ConfigFile> file = configPath.map(ConfigFile::read);

        List<SourceSpec> sources = new ArrayList<>();
        for (String role : ConfigFile.ROLES) {
            String fallback = role.equals("events") ? DEFAULT_EVENTS : DEFAULT_STATE;
            addSources(sources, role, args.values(role), ENV_BY_ROLE.get(role), env.get(ENV_BY_ROLE.get(role)),
                    file.flatMap(ConfigFile::sources), fallback, note);
        }
        checkUniqueNames(sources);

        double hours = 24;
        String envHours = env.get("ORCH_PANEL_WINDOW_H");
        if (args.value("window-hours").isPresent()) {
            hours = positiveNumber(args.value("window-hours").get(), "--window-hours");
        } else if (envHours != null && !envHours.isBlank()) {
            hours = positiveNumber(envHours.trim(), "ORCH_PANEL_WINDOW_H");
        } else if (file.flatMap(ConfigFile::windowHours).isPresent()) {
            hours = file.get().windowHours().get();
        }
        Optional<Instant> end = args.value("end").map(CommonOptions::instant)
                .or(() -> file.flatMap(ConfigFile::windowEnd));
        WeekdayMode weekdays = args.value("cron-weekdays").map(CommonOptions::weekdays)
                .or(() -> file.flatMap(ConfigFile::weekdays)).orElse(WeekdayMode.UNIX);
        int maxLine = args.value("max-line-bytes").map(v -> (int) wholeNumber(v, "--max-line-bytes", 1,
                Integer.MAX_VALUE)).or(() -> file.flatMap(ConfigFile::maxLineBytes)).orElse(1 << 20);
        long days = args.value("retain-days").map(v -> wholeNumber(v, "--retain-days", 0, 100_000))
                .or(() -> file.flatMap(ConfigFile::retainDays)).orElse(7L);
        int runs = args.value("retain-runs").map(v -> (int) wholeNumber(v, "--retain-runs", 0, Integer.MAX_VALUE))
                .or(() -> file.flatMap(ConfigFile::retainRuns)).orElse(100_000);
        Optional<Path> schedules = args.value("schedules").map(CommonOptions::path)
                .or(() -> file.flatMap(ConfigFile::schedules));
        Optional<Path> plugins = args.value("plugins").map(CommonOptions::pluginFolder)
                .or(() -> file.flatMap(ConfigFile::plugins))
                .or(() -> Files.isDirectory(Path.of(DEFAULT_PLUGINS)) ? Optional.of(Path.of(DEFAULT_PLUGINS))
                        : Optional.empty());
        long skewHours = args.value("clock-skew-hours").map(v -> wholeNumber(v, "--clock-skew-hours", 0,
                MAX_CLOCK_SKEW_HOURS)).or(() -> file.flatMap(ConfigFile::clockSkewHours))
                .orElse(TimestampLimits.DEFAULT_SKEW.toHours());
        ServerSettings server = file.map(ConfigFile::server).orElse(ServerSettings.DEFAULTS);
        HistorySettings history = history(args, file.map(ConfigFile::history).orElse(HistorySettings.DEFAULTS));
        SnapshotSettings snapshots = file.map(ConfigFile::snapshots).orElse(SnapshotSettings.NONE)
                .withFile(args.value("snapshot").map(CommonOptions::path));
        return new Settings(sources, schedules, hours, end, weekdays, maxLine, Duration.ofDays(days), runs, plugins,
                server, configPath, history, Duration.ofHours(skewHours), snapshots);
    }

    /** Flags win over the file: {@code --history heap} drops the file's folder; {@code --history-dir} means files. */
    private static HistorySettings history(Args args, HistorySettings fromFile) {
        Optional<HistorySettings.Kind> flagKind = args.value("history")
                .map(v -> HistorySettings.Kind.parse(v, "--history"));
        Optional<Path> flagDir = args.value("history-dir").map(CommonOptions::path);
        if (flagDir.isPresent() && flagKind.equals(Optional.of(HistorySettings.Kind.HEAP))) {
            throw new UsageException("--history-dir names where history files go, but --history is heap: give one "
                    + "or the other");
        }
        if (flagKind.isPresent()) {
            HistorySettings.Kind kind = flagKind.get();
            return new HistorySettings(kind, kind == HistorySettings.Kind.HEAP ? Optional.empty()
                    : flagDir.or(fromFile::directory));
        }
        if (flagDir.isPresent()) {
            return new HistorySettings(HistorySettings.Kind.FILES, flagDir);
        }
        return fromFile;
    }

    private static void addSources(List<SourceSpec> out, String role, List<String> given, String envName,
            String envValue, Optional<List<SourceSpec>> fromFile, String fallback, Consumer<String> note) {
        List<String> locations = new ArrayList<>(given);
        String origin = "--" + role;
        if (locations.isEmpty() && envValue != null && !envValue.isBlank()) {
            locations.add(envValue.trim());
            origin = envName;
        }
        if (locations.isEmpty() && fromFile.isPresent()) {
            fromFile.get().stream().filter(s -> s.role().equals(role)).forEach(out::add);
            return;
        }
        if (locations.isEmpty()) {
            if (!Files.exists(Path.of(fallback))) {
                note.accept("no --" + role + " given and " + fallback + " does not exist: reading no " + role
                        + " log");
                return;
            }
            locations.add(fallback);
        }
        for (int i = 0; i < locations.size(); i++) {
            String name = i == 0 ? role : role + "-" + (i + 1);
            out.add(new SourceSpec(name, role, locations.get(i), Map.of(), true, origin));
        }
    }

    private static void checkUniqueNames(List<SourceSpec> sources) {
        Map<String, SourceSpec> byName = new LinkedHashMap<>();
        for (SourceSpec s : sources) {
            SourceSpec earlier = byName.putIfAbsent(s.name(), s);
            if (earlier != null) {
                throw new UsageException("two sources are named '" + s.name() + "': " + earlier.origin() + " and "
                        + s.origin() + "; give the config file's source another name");
            }
        }
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException("'" + text + "' is not a valid path: " + e.getReason());
        }
    }

    private static Path pluginFolder(String text) {
        Path dir = path(text);
        if (!Files.exists(dir)) {
            throw new UsageException("--plugins " + text + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--plugins " + text + ": not a directory (give the folder that holds the "
                    + "plugin jars)");
        }
        return dir;
    }

    static double positiveNumber(String text, String what) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a positive number of hours, e.g. 24 or 0.5; got '" + text + "'");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new UsageException(what + " must be a positive number of hours, e.g. 24 or 0.5; got '" + text + "'");
        }
        return v;
    }

    static long wholeNumber(String text, String what, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a whole number from " + min + " to " + max + "; got '" + text
                    + "'");
        }
        if (v < min || v > max) {
            throw new UsageException(what + " must be a whole number from " + min + " to " + max + "; got '" + text
                    + "'");
        }
        return v;
    }

    static Instant instant(String text) {
        long micros = Timestamps.parseMicros(text.trim());
        if (micros == Timestamps.INVALID) {
            throw new UsageException("--end must be an ISO-8601 instant such as 2025-10-21T18:00:00Z or "
                    + "2025-10-21T20:00:00+02:00; got '" + text + "'");
        }
        return Timestamps.toInstant(micros);
    }

    static WeekdayMode weekdays(String text) {
        try {
            return WeekdayMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--cron-weekdays must be one of: unix, scheduler; got '" + text + "'");
        }
    }
}
