package io.dagscope.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Parsed command-line arguments: flags as declared, and positional arguments. picocli does the parsing, from a
 * command spec built out of the {@link Flag}s a command declares; its errors become {@link UsageException}s that name
 * the flag with its dashes and list the options there are.
 */
public final class Args {

    private final String command;
    private final ParseResult result;

    private Args(String command, ParseResult result) {
        this.command = command;
        this.result = result;
    }

    /**
     * The picocli spec of a command: an option per flag, {@code -h}/{@code --help} and {@code -V}/{@code --version},
     * and any number of positional arguments (each command checks its own).
     *
     * @param command the command's name
     * @param flags the flags it accepts
     * @param version the version {@code --version} prints
     * @param positionals whether it takes positional arguments
     * @return the spec
     */
    public static CommandSpec spec(String command, List<Flag> flags, String version, boolean positionals) {
        CommandSpec spec = CommandSpec.create().name(command).version(version);
        spec.parser().abbreviatedOptionsAllowed(false).posixClusteredShortOptionsAllowed(false)
                .expandAtFiles(false);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("print the version").build());
        for (Flag f : flags) {
            OptionSpec.Builder option = OptionSpec.builder("--" + f.name()).description(f.help());
            if (!f.takesValue()) {
                option.arity("0").type(boolean.class);
            } else if (f.repeatable()) {
                option.arity("1").paramLabel(f.valueName()).type(List.class).auxiliaryTypes(String.class);
            } else {
                option.arity("1").paramLabel(f.valueName()).type(String.class);
            }
            spec.addOption(option.build());
        }
        if (positionals) {
            spec.addPositional(PositionalParamSpec.builder().arity("0..*").paramLabel("ARG").type(List.class)
                    .auxiliaryTypes(String.class).build());
        }
        return spec;
    }

    /**
     * Parses arguments against the flags a command declares. {@code --flag value} and {@code --flag=value} both work;
     * {@code --} ends the flags. An option's value is never taken for {@code --help} or another option.
     *
     * @param command the command's name, for messages
     * @param argv the arguments after the command
     * @param flags the flags the command accepts
     * @return the parsed arguments
     * @throws UsageException for an unknown flag, a missing value, or a repeated flag that is not repeatable
     */
    public static Args parse(String command, String[] argv, List<Flag> flags) {
        CommandLine line = new CommandLine(spec(command, flags, "", true));
        try {
            return of(line.parseArgs(argv));
        } catch (CommandLine.ParameterException e) {
            throw usage(e);
        }
    }

    /**
     * Arguments picocli has parsed against a spec from {@link #spec}.
     *
     * @param result what picocli parsed
     * @return the arguments
     */
    public static Args of(ParseResult result) {
        return new Args(result.commandSpec().name(), result);
    }

    /**
     * Says what a picocli parse error means, as a usage error naming the flag and what is allowed.
     *
     * @param e picocli's complaint
     * @return the usage error
     */
    public static UsageException usage(CommandLine.ParameterException e) {
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        String command = spec.name();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            return new UsageException("unknown option '" + name + "' for '" + command + "'; options: "
                    + names(spec));
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return new UsageException("option '" + o.longestName() + "' needs a value: " + o.longestName() + " "
                    + o.paramLabel());
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec opt) {
            return new UsageException("option '" + opt.longestName() + "' may be given only once");
        }
        ArgSpec arg = e.getArgSpec();
        if (arg instanceof OptionSpec o && o.arity().max() == 0) {
            return new UsageException("option '" + o.longestName() + "' takes no value");
        }
        return new UsageException(e.getMessage());
    }

    private static String names(CommandSpec spec) {
        return spec.options().stream().map(OptionSpec::longestName).collect(Collectors.joining(", "));
    }

    /** @return the command's name */
    public String command() {
        return command;
    }

    /** @return whether {@code -h} or {@code --help} was given */
    public boolean helpRequested() {
        return result.isUsageHelpRequested();
    }

    /** @return whether {@code -V} or {@code --version} was given */
    public boolean versionRequested() {
        return result.isVersionHelpRequested();
    }

    /**
     * @param name a flag's name
     * @return its value, if given
     */
    public Optional<String> value(String name) {
        List<String> list = values(name);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /**
     * @param name a repeatable flag's name
     * @return every value given, in order
     */
    public List<String> values(String name) {
        OptionSpec option = result.matchedOption("--" + name);
        if (option == null || option.arity().max() == 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String v : option.stringValues()) {
            values.add(v);
        }
        return values;
    }

    /**
     * @param name a switch's name
     * @return whether it was given
     */
    public boolean has(String name) {
        return result.hasMatchedOption("--" + name);
    }

    /** @return the positional arguments */
    public List<String> positionals() {
        List<String> list = new ArrayList<>();
        for (PositionalParamSpec p : result.commandSpec().positionalParameters()) {
            list.addAll(p.stringValues());
        }
        return list;
    }
}
