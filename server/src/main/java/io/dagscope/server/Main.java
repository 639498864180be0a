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
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceFactories;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            if (argv.length > 1 && commands.containsKey(argv[1])) {
                out.print(commands.get(argv[1]).help());
                return 0;
            }
            out.print(usage());
            return argv.length == 0 ? 2 : 0;
        }
        if (argv[0].equals("--version") || argv[0].equals("version")) {
            out.println("dagscope " + version());
            return 0;
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            err.println("dagscope: unknown command '" + argv[0] + "'; commands: " + String.join(", ",
                    commands.keySet()) + " (dagscope --help)");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.print(command.help());
            return 0;
        }
        try {
            SourceFactories factories = SourceFactories.discover(Main.class.getClassLoader());
            Args args = Args.parse(command.name(), rest, command.flags());
            return command.run(args, new Io(in, out, err, env, factories));
        } catch (UsageException | SourceConfigurationException e) {
            err.println("dagscope " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("dagscope " + command.name() + ": " + e);
            return 1;
        }
    }

    private String usage() {
        StringBuilder sb = new StringBuilder("usage: dagscope COMMAND [options]\n\ncommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        sb.append("\n`dagscope COMMAND --help` lists a command's options. Docs: docs/cli.md\n");
        return sb.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
