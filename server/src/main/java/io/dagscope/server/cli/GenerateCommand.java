package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.core.time.Timestamps;
import io.dagscope.generator.GenerationReport;
import io.dagscope.generator.GeneratorOptions;
import io.dagscope.generator.LogFormat;
import io.dagscope.generator.LogGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** {@code dagscope generate}: writes realistic orchestrator logs and configuration files into a folder. */
public final class GenerateCommand implements Command {

    private final Clock clock;

    /** A command on the system clock. */
    public GenerateCommand() {
        this(Clock.systemUTC());
    }

    /**
     * @param clock gives "now", where the logs end unless {@code --start} is given
     */
    public GenerateCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "Write realistic orchestrator logs and schedule/DAG files into a folder, for demos and benchmarks.";
    }

    @Override
    public String details() {
        return "Writes DIR/" + LogGenerator.RUNNER_LOG + " (runner), DIR/" + LogGenerator.STATE_LOG + " (scheduler),\n"
                + "DIR/" + LogGenerator.SCHEDULES_DIR + "/*.yaml and DIR/" + LogGenerator.DAGS_DIR + "/*.yaml, in the "
                + "exact formats of the real orchestrator.\n"
                + "Size: --days N (default 2, ending now or at --start + N days) or --events N (exactly N lines,\n"
                + "ending about now unless --start is given). Density: --rate lines a minute (default "
                + (long) GeneratorOptions.DEFAULT_RATE_PER_MINUTE + "; a large\n"
                + "--events without --rate is spread over 2 days). One --seed and one --start give identical files.\n"
                + "Example: dagscope generate --out /tmp/orch --days 2 --seed 7\n"
                + "Docs: docs/generator.md";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("out", "DIR", "the folder to write into (created if missing)"),
                Flag.value("events", "N", "write exactly N lines over both logs (not with --days)"),
                Flag.value("days", "N", "cover N days, e.g. 2 or 0.5 (default 2; not with --events)"),
                Flag.value("tenants", "N", "tenants, 1 to " + GeneratorOptions.MAX_TENANTS + " (default "
                        + GeneratorOptions.DEFAULT_TENANTS + ")"),
                Flag.value("dags", "N", "DAG definitions of 2 to 8 tasks, 1 to " + GeneratorOptions.MAX_DAGS
                        + " (default " + GeneratorOptions.DEFAULT_DAGS + ")"),
                Flag.value("format", "old|new", "new (default): dag_run_id, +00:00, job_id, checkpoints; old: the "
                        + "Sprint-27C runner, no run ids, naive timestamps"),
                Flag.value("seed", "S", "the random seed, any whole number (default " + GeneratorOptions.DEFAULT_SEED
                        + ")"),
                Flag.value("start", "ISO-8601", "the first instant, e.g. 2025-10-20T14:00:00Z (default: so that "
                        + "the logs end now)"),
                Flag.value("rate", "EVENTS_PER_MINUTE", "lines a minute over both logs (default "
                        + (long) GeneratorOptions.DEFAULT_RATE_PER_MINUTE + ")"),
                Flag.toggle("force", "replace the logs and YAML files an earlier generation left in DIR"));
    }

    @Override
    public int run(Args args, Io io) throws IOException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("generate takes no arguments besides its options; got '"
                    + args.positionals().get(0) + "'");
        }
        Path out = Path.of(args.value("out").orElseThrow(() -> new UsageException(
                "--out DIR is required: the folder to write the logs into")));
        GeneratorOptions options = options(args);
        LogGenerator generator;
        try {
            generator = LogGenerator.create(options, clock);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("ask for a higher rate", "give a higher --rate"));
        }
        GenerationReport report;
        try {
            report = generator.writeHistory(out, args.has("force"));
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(e.getFile() + " exists: " + e.getReason());
        }
        print(report, io.out());
        return 0;
    }

    private static GeneratorOptions options(Args args) {
        GeneratorOptions.Builder b = GeneratorOptions.builder();
        if (args.has("events") && args.has("days")) {
            throw new UsageException("give --events or --days, not both");
        }
        apply(args, "format", v -> b.format(LogFormat.parse(v).orElseThrow(
                () -> new IllegalArgumentException("must be old or new; got '" + v + "'"))));
        apply(args, "seed", v -> b.seed(whole(v, "any whole number")));
        apply(args, "tenants", v -> b.tenants((int) whole(v, "from 1 to " + GeneratorOptions.MAX_TENANTS)));
        apply(args, "dags", v -> b.dags((int) whole(v, "from 1 to " + GeneratorOptions.MAX_DAGS)));
        apply(args, "events", v -> b.events(whole(v, "at least 1")));
        apply(args, "days", v -> b.days(number(v, "e.g. 2 or 0.5")));
        apply(args, "rate", v -> b.ratePerMinute(number(v, "e.g. 120")));
        apply(args, "start", v -> {
            long micros = Timestamps.parseMicros(v.trim());
            if (micros == Timestamps.INVALID) {
                throw new IllegalArgumentException("must be an ISO-8601 instant such as 2025-10-20T14:00:00Z; got '"
                        + v + "'");
            }
            b.start(Timestamps.toInstant(micros));
        });
        return b.build();
    }

    /** Gives a flag's value, if given, to a setter, turning its complaint into a usage error naming the flag. */
    private static void apply(Args args, String name, Consumer<String> setter) {
        args.value(name).ifPresent(v -> {
            try {
                setter.accept(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flagMessage("--" + name, v, e.getMessage()));
            }
        });
    }

    /**
     * A setting's complaint as a usage error's message: it names the flag (with its dashes) where the complaint names
     * the setting, and echoes the value as the user typed it, not as the number it became ({@code 0}, not
     * {@code 0.0}).
     *
     * @param flag the flag, e.g. {@code --days}
     * @param typed the value as typed
     * @param message the complaint, e.g. {@code days must be above 0; got 0.0}
     * @return the message
     */
    static String flagMessage(String flag, String typed, String message) {
        int space = message.indexOf(' ');
        // the builder names its option ("tenants must be ..."): say the flag instead
        boolean named = space > 0 && flag.endsWith(message.substring(0, space));
        String text = named ? message.substring(space + 1) : message;
        int got = text.lastIndexOf("; got ");
        if (got >= 0 && !text.substring(got).contains("'")) {
            text = text.substring(0, got) + "; got '" + typed + "'";
        }
        return flag + " " + text;
    }

    private static long whole(String text, String allowed) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, " + allowed + "; got '" + text + "'");
        }
    }

    private static double number(String text, String example) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be a number, " + example + "; got '" + text + "'");
    }

    private static void print(GenerationReport r, PrintStream out) {
        Path dir = r.directory();
        out.printf(Locale.ROOT, "Wrote %,d lines (%s format, seed %d) to %s%n", r.totalLines(), r.format().label(),
                r.seed(), dir);
        out.printf(Locale.ROOT, "  %-28s %,12d lines (runner log)%n", LogGenerator.RUNNER_LOG, r.runnerLines());
        out.printf(Locale.ROOT, "  %-28s %,12d lines (scheduler state log)%n", LogGenerator.STATE_LOG,
                r.stateLines());
        out.printf(Locale.ROOT, "  %-28s %,12d schedules of %d tenants%n", LogGenerator.SCHEDULES_DIR + "/",
                r.schedules(), r.tenants());
        out.printf(Locale.ROOT, "  %-28s %,12d DAGs%n", LogGenerator.DAGS_DIR + "/", r.dags());
        String from = r.firstLineAt().map(Object::toString).orElse("-");
        String to = r.lastLineAt().map(Object::toString).orElse("-");
        out.printf(Locale.ROOT, "Lines from %s to %s, about %,.0f a minute.%n", from, to,
                r.estimatedLinesPerMinute());
        StringBuilder events = new StringBuilder();
        for (Map.Entry<String, Long> e : r.linesByEvent().entrySet()) {
            if (e.getValue() > 0) {
                events.append(events.length() == 0 ? "Events: " : ", ")
                        .append(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()));
            }
        }
        out.println(events);
        String end = r.end().or(r::lastLineAt).map(i -> " --end " + i).orElse("");
        out.println("Read them with:");
        out.println("  dagscope summary --events " + quote(dir.resolve(LogGenerator.RUNNER_LOG)) + " --state "
                + quote(dir.resolve(LogGenerator.STATE_LOG)) + " --schedules "
                + quote(dir.resolve(LogGenerator.SCHEDULES_DIR)) + end);
        out.flush();
    }

    private static String quote(Path p) {
        String s = p.toString();
        return s.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"' || c == '$')
                ? "'" + s.replace("'", "'\\''") + "'" : s;
    }
}
