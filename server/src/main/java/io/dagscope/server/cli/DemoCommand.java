package io.dagscope.server.cli;

import io.dagscope.generator.GenerationReport;
import io.dagscope.generator.GeneratorOptions;
import io.dagscope.generator.LiveLogWriter;
import io.dagscope.generator.LogGenerator;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code dagscope demo}: generates two days of realistic orchestrator logs into a folder, serves them, and keeps
 * appending new events in real time, so a new user sees the product live with one command.
 */
public final class DemoCommand implements Command {

    /** Lines a minute the live writer appends by default: enough that the dashboard moves every few seconds. */
    static final double DEFAULT_LIVE_RATE = 300;

    private final ServeCommand serve;

    /** The command as {@code dagscope demo} runs it: it stops when the process is asked to (Ctrl-C, SIGTERM). */
    public DemoCommand() {
        this.serve = new ServeCommand();
    }

    /**
     * A demo that stops when {@code stop} counts down (for tests).
     *
     * @param stop counted down to stop
     */
    DemoCommand(CountDownLatch stop) {
        this.serve = new ServeCommand(stop);
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Generate realistic logs, serve them, and keep appending events live: the product in one command.";
    }

    @Override
    public String details() {
        return "The logs go to a new temporary folder, whose path is printed and which is removed when the demo\n"
                + "stops; --dir DIR generates into DIR instead and keeps the logs. Open the printed URL.\n"
                + "Stop with Ctrl-C. Docs: docs/generator.md, docs/server.md";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("port", "PORT", "the port to listen on (default 8080; 0 picks a free one)"),
                Flag.value("bind", "ADDRESS", "the address to listen on (default 127.0.0.1)"),
                Flag.value("dir", "DIR", "generate into this folder (it must be empty or absent) instead of a "
                        + "temporary one"),
                Flag.value("days", "DAYS", "days of history to generate before going live (default 2)"),
                Flag.value("rate", "LINES_PER_MINUTE", "how many lines a minute the history has and the live writer "
                        + "appends (default " + (long) DEFAULT_LIVE_RATE + ")"),
                Flag.value("seed", "SEED", "the generator's random seed (default " + GeneratorOptions.DEFAULT_SEED
                        + ")"),
                Flag.value("format", "old|new", "the orchestrator's log format (default new)"));
    }

    @Override
    public int run(Args args, Io io) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("demo takes no arguments, got '" + args.positionals().get(0)
                    + "'; see dagscope demo --help");
        }
        Path dir = args.value("dir").map(Path::of).orElse(null);
        if (dir != null && Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException("--dir must be an empty or absent folder; " + dir + " is not empty");
                }
            }
        }
        GeneratorOptions options = generatorOptions(args);
        LogGenerator generator;
        try {
            generator = LogGenerator.create(options, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("ask for a higher rate", "give a higher --rate"));
        }
        boolean temporary = dir == null;
        if (temporary) {
            dir = Files.createTempDirectory("dagscope-demo-");
        }
        Path logs = dir;
        AtomicBoolean cleaned = new AtomicBoolean();
        List<LiveLogWriter> writer = new ArrayList<>(1);
        Runnable cleanup = () -> {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            writer.forEach(LiveLogWriter::close);
            if (!temporary) {
                io.err().println("dagscope: the demo's logs are kept in " + logs + " (--dir)");
                return;
            }
            try {
                deleteTree(logs);
                io.err().println("dagscope: removed the demo's logs in " + logs + " (--dir DIR keeps them)");
            } catch (IOException | UncheckedIOException e) {
                io.err().println("dagscope: could not remove the demo's logs in " + logs + ": " + e.getMessage());
            }
            io.err().flush();
        };
        try {
            io.err().println("dagscope: generating " + options.days().orElse(GeneratorOptions.DEFAULT_DAYS)
                    + " days of logs into " + dir + (temporary ? " (removed when the demo stops; --dir DIR keeps "
                    + "them)" : "") + " ...");
            GenerationReport report;
            try {
                report = generator.writeHistory(dir, false);
            } catch (IOException e) {
                throw new UsageException("--dir " + dir + ": cannot write the logs there: " + e.getMessage());
            }
            io.err().printf("dagscope: wrote %,d runner and %,d state lines, %d tenants, %d DAGs, %d schedules%n",
                    report.runnerLines(), report.stateLines(), report.tenants(), report.dags(), report.schedules());
            LiveLogWriter live = generator.liveWriter();
            writer.add(live);
            live.start();
            io.err().println("dagscope: appending new events live to " + dir.resolve(LogGenerator.RUNNER_LOG)
                    + " and " + dir.resolve(LogGenerator.STATE_LOG));
            List<String> serveArgs = new ArrayList<>(List.of(
                    "--events", dir.resolve(LogGenerator.RUNNER_LOG).toString(),
                    "--state", dir.resolve(LogGenerator.STATE_LOG).toString(),
                    "--schedules", dir.resolve(LogGenerator.SCHEDULES_DIR).toString()));
            for (String flag : List.of("port", "bind")) {
                args.value(flag).ifPresent(v -> {
                    serveArgs.add("--" + flag);
                    serveArgs.add(v);
                });
            }
            return serve.serve(Args.parse("serve", serveArgs.toArray(new String[0]), serve.flags()), io, cleanup);
        } finally {
            cleanup.run();
        }
    }

    /** Deletes a folder and everything in it. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static GeneratorOptions generatorOptions(Args args) {
        GeneratorOptions.Builder b = GeneratorOptions.builder();
        set(args, "days", v -> b.days(parseDouble(v, "--days")));
        b.ratePerMinute(DEFAULT_LIVE_RATE);
        set(args, "rate", v -> b.ratePerMinute(parseDouble(v, "--rate")));
        set(args, "seed", v -> {
            try {
                b.seed(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be a whole number; got '" + v + "'");
            }
        });
        set(args, "format", v -> b.format(switch (v.trim()) {
            case "old" -> io.dagscope.generator.LogFormat.OLD;
            case "new" -> io.dagscope.generator.LogFormat.NEW;
            default -> throw new UsageException("--format must be one of: old, new; got '" + v + "'");
        }));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Gives a flag's value, if given, to a setter; the setter's complaint names the flag and the value as typed. */
    private static void set(Args args, String name, Consumer<String> setter) {
        args.value(name).ifPresent(v -> {
            try {
                setter.accept(v);
            } catch (UsageException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new UsageException(GenerateCommand.flagMessage("--" + name, v, e.getMessage()));
            }
        });
    }

    private static double parseDouble(String v, String flag) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a number; got '" + v + "'");
        }
    }
}
