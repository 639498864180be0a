package io.dagscope.server.config;

import io.dagscope.core.time.Timestamps;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The flags every command that reads logs shares, and how they combine with the orchestrator's environment. */
public final class CommonOptions {

    /** The runner log when neither {@code --events} nor {@code ORCH_EVENTS_PATH} says otherwise. */
    public static final String DEFAULT_EVENTS = "logs/orchestrator_events.jsonl";
    /** The state log when neither {@code --state} nor {@code STATE_STORE_PATH} says otherwise. */
    public static final String DEFAULT_STATE = "logs/orchestrator_state.jsonl";

    /** The flags. */
    public static final List<Flag> FLAGS = List.of(
            new Flag("events", "LOCATION", true, "a runner log: a file, a glob of rotated files, or scheme://... "
                    + "(repeatable; default $ORCH_EVENTS_PATH, else " + DEFAULT_EVENTS + ")"),
            new Flag("state", "LOCATION", true, "a scheduler state log, likewise (repeatable; default "
                    + "$STATE_STORE_PATH, else " + DEFAULT_STATE + ")"),
            new Flag("schedules", "PATH", false, "schedule definitions: a YAML file or a directory of them"),
            new Flag("window-hours", "HOURS", false, "default window length (default $ORCH_PANEL_WINDOW_H, else 24)"),
            new Flag("end", "ISO-8601", false, "default window end, e.g. 2025-10-21T18:00:00Z (default: now)"),
            new Flag("cron-weekdays", "unix|scheduler", false, "read cron weekdays as Unix cron (Sunday = 0, the "
                    + "default) or as the orchestrator's scheduler does (Monday = 0)"),
            new Flag("max-line-bytes", "BYTES", false, "skip lines longer than this (default 1048576)"),
            new Flag("retain-days", "DAYS", false, "keep run detail for at least this many days (default 7)"),
            new Flag("retain-runs", "COUNT", false, "keep at least this many runs in detail (default 100000)"));

    private CommonOptions() {
    }

    /**
     * Resolves the settings.
     *
     * @param args the parsed arguments
     * @param env the environment
     * @param note told of defaults that were skipped, for stderr
     * @return the settings
     * @throws UsageException naming the flag or variable and what is allowed
     */
    public static Settings resolve(Args args, Map<String, String> env, Consumer<String> note) {
        List<SourceSpec> sources = new ArrayList<>();
        addSources(sources, "events", args.values("events"), env.get("ORCH_EVENTS_PATH"), DEFAULT_EVENTS, note);
        addSources(sources, "state", args.values("state"), env.get("STATE_STORE_PATH"), DEFAULT_STATE, note);

        double hours = 24;
        String envHours = env.get("ORCH_PANEL_WINDOW_H");
        if (args.value("window-hours").isPresent()) {
            hours = positiveNumber(args.value("window-hours").get(), "--window-hours");
        } else if (envHours != null && !envHours.isBlank()) {
            hours = positiveNumber(envHours.trim(), "ORCH_PANEL_WINDOW_H");
        }
        Optional<Instant> end = args.value("end").map(CommonOptions::instant);
        WeekdayMode weekdays = args.value("cron-weekdays").map(CommonOptions::weekdays).orElse(WeekdayMode.UNIX);
        int maxLine = args.value("max-line-bytes").map(v -> (int) wholeNumber(v, "--max-line-bytes", 1,
                Integer.MAX_VALUE)).orElse(1 << 20);
        long days = args.value("retain-days").map(v -> wholeNumber(v, "--retain-days", 0, 100_000)).orElse(7L);
        int runs = args.value("retain-runs").map(v -> (int) wholeNumber(v, "--retain-runs", 0, Integer.MAX_VALUE))
                .orElse(100_000);
        Optional<Path> schedules = args.value("schedules").map(Path::of);
        return new Settings(sources, schedules, hours, end, weekdays, maxLine, Duration.ofDays(days), runs);
    }

    private static void addSources(List<SourceSpec> out, String role, List<String> given, String envValue,
            String fallback, Consumer<String> note) {
        List<String> locations = new ArrayList<>(given);
        boolean explicit = !locations.isEmpty();
        if (!explicit && envValue != null && !envValue.isBlank()) {
            locations.add(envValue.trim());
            explicit = true;
        }
        if (!explicit) {
            if (!Files.exists(Path.of(fallback))) {
                note.accept("no --" + role + " given and " + fallback + " does not exist: reading no " + role
                        + " log");
                return;
            }
            locations.add(fallback);
        }
        for (int i = 0; i < locations.size(); i++) {
            String name = i == 0 ? role : role + "-" + (i + 1);
            out.add(new SourceSpec(name, role, locations.get(i), Map.of(), true));
        }
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
