package io.dagscope.server;

import io.dagscope.server.config.Args;
import io.dagscope.server.cli.Command;
import io.dagscope.server.cli.DemoCommand;
import io.dagscope.server.cli.GenerateCommand;
import io.dagscope.server.cli.HashTokenCommand;
import io.dagscope.server.cli.MergeCommand;
import io.dagscope.server.cli.Io;
import io.dagscope.server.cli.QueryCommand;
import io.dagscope.server.cli.ServeCommand;
import io.dagscope.server.cli.SnapshotCommand;
import io.dagscope.server.cli.SummaryCommand;
import io.dagscope.server.config.UsageException;
import io.dagscope.server.logging.LogOutput;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceFactories;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The {@code dagscope} command line. */
public final class Main {

    private final Map<String, Command> commands = new LinkedHashMap<>();

    /** A command line with every command. */
    public Main() {
        for (Command c : List.of(new QueryCommand(), new SummaryCommand(), new ServeCommand(),
                new SnapshotCommand(), new MergeCommand(), new GenerateCommand(), new DemoCommand(),
                new HashTokenCommand())) {
            commands.put(c.name(), c);
        }
    }

    /**
     * Runs {@code dagscope} and exits with its status.
     *
     * @param argv the arguments
     */
    public static void main(String[] argv) {
        System.exit(new Main().run(argv, System.in, System.out, System.err, System.getenv()));
    }

    /**
     * Runs a command.
     *
     * @param argv the arguments, command first
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @param env the environment
     * @return the exit status: 0 success, 1 failure, 2 bad usage
     */
    public int run(String[] argv, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        // libraries that log through java.util.logging or System.Logger go through SLF4J, and so through redaction
        LogOutput.bridgeJavaUtilLogging();
        if (argv.length == 0) {
            out.print(usage());
            return 2;
        }
        CommandLine line = commandLine();
        ParseResult parsed;
        try {
            parsed = line.parseArgs(argv);
        } catch (CommandLine.ParameterException e) {
            if (e.getCommandLine() == line) {
                err.println("dagscope: unknown command '" + argv[0] + "'; commands: " + String.join(", ",
                        commands.keySet()) + " (dagscope --help)");
                return 2;
            }
            err.println("dagscope " + e.getCommandLine().getCommandName() + ": " + Args.usage(e).getMessage());
            return 2;
        }
        if (parsed.isVersionHelpRequested()) {
            out.println("dagscope " + version());
            return 0;
        }
        if (parsed.isUsageHelpRequested() || !parsed.hasSubcommand()) {
            out.print(usage());
            return 0;
        }
        ParseResult sub = parsed.subcommand();
        Args args = Args.of(sub);
        String name = args.command();
        if (args.versionRequested() || name.equals("version")) {
            out.println("dagscope " + version());
            return 0;
        }
        if (name.equals("help")) {
            List<String> topics = args.positionals();
            out.print(!topics.isEmpty() && commands.containsKey(topics.get(0)) ? commands.get(topics.get(0)).help()
                    : usage());
            return 0;
        }
        if (args.helpRequested()) {
            out.print(name.equals("completion") ? completionHelp() : commands.get(name).help());
            return 0;
        }
        if (name.equals("completion")) {
            if (!args.positionals().isEmpty()) {
                err.println("dagscope completion: takes no arguments, got '" + args.positionals().get(0) + "'");
                return 2;
            }
            out.print(AutoComplete.bash("dagscope", line));
            out.flush();
            return 0;
        }
        Command command = commands.get(name);
        try {
            SourceFactories factories = SourceFactories.discover(Main.class.getClassLoader());
            return command.run(args, new Io(in, out, err, env, factories));
        } catch (UsageException | SourceConfigurationException e) {
            err.println("dagscope " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("dagscope " + command.name() + ": " + e);
            return 1;
        }
    }

    /** The command line as picocli sees it: every command with its options, and help, version and completion. */
    private CommandLine commandLine() {
        CommandLine line = new CommandLine(Args.spec("dagscope", List.of(), "dagscope " + version(), false));
        for (Command c : commands.values()) {
            line.addSubcommand(c.name(), new CommandLine(Args.spec(c.name(), c.flags(), version(), true)));
        }
        line.addSubcommand("completion", new CommandLine(Args.spec("completion", List.of(), version(), true)));
        line.addSubcommand("help", new CommandLine(Args.spec("help", List.of(), version(), true)));
        line.addSubcommand("version", new CommandLine(Args.spec("version", List.of(), version(), true)));
        return line;
    }

    private static String completionHelp() {
        return "usage: dagscope completion\n\nPrint a bash completion script for dagscope's commands and options "
                + "(generated by picocli).\nLoad it with: source <(java -jar dagscope.jar completion); it completes "
                + "the command dagscope.\nDocs: docs/cli.md\n";
    }

    private String usage() {
        StringBuilder sb = new StringBuilder("usage: dagscope COMMAND [options]\n\ncommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        sb.append(String.format("  %-10s %s%n", "completion", "Print a bash completion script for these commands."));
        sb.append(String.format("  %-10s %s%n", "version", "Print the version (also --version, -V)."));
        sb.append("\n`dagscope COMMAND --help` (or -h) lists a command's options. Docs: docs/cli.md\n");
        return sb.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
