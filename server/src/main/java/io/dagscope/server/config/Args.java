package io.dagscope.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Parsed command-line arguments: flags as declared, and positional arguments. */
public final class Args {

    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses arguments against the flags a command declares. {@code --flag value} and {@code --flag=value} both work;
     * {@code --} ends the flags.
     *
     * @param command the command's name, for messages
     * @param argv the arguments after the command
     * @param flags the flags the command accepts
     * @return the parsed arguments
     * @throws UsageException for an unknown flag, a missing value, or a repeated flag that is not repeatable
     */
    public static Args parse(String command, String[] argv, List<Flag> flags) {
        Map<String, Flag> byName = flags.stream().collect(Collectors.toMap(Flag::name, f -> f));
        Args args = new Args(command);
        boolean flagsDone = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (flagsDone || !a.startsWith("--") || a.equals("-")) {
                if (!flagsDone && a.startsWith("-") && !a.equals("-") && a.length() > 1 && !a.startsWith("--")) {
                    throw new UsageException("unknown option '" + a + "' for '" + command + "'; options: "
                            + names(flags));
                }
                args.positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                flagsDone = true;
                continue;
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag flag = byName.get(name);
            if (flag == null) {
                throw new UsageException("unknown option '--" + name + "' for '" + command + "'; options: "
                        + names(flags));
            }
            String value;
            if (flag.takesValue()) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < argv.length) {
                    value = argv[++i];
                } else {
                    throw new UsageException("option '--" + name + "' needs a value: --" + name + " "
                            + flag.valueName());
                }
            } else {
                if (inline != null) {
                    throw new UsageException("option '--" + name + "' takes no value");
                }
                value = "true";
            }
            List<String> list = args.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !flag.repeatable()) {
                throw new UsageException("option '--" + name + "' may be given only once");
            }
            list.add(value);
        }
        return args;
    }

    private static String names(List<Flag> flags) {
        return flags.stream().map(f -> "--" + f.name()).collect(Collectors.joining(", "));
    }

    /** @return the command's name */
    public String command() {
        return command;
    }

    /**
     * @param name a flag's name
     * @return its value, if given
     */
    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /**
     * @param name a repeatable flag's name
     * @return every value given, in order
     */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * @param name a switch's name
     * @return whether it was given
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** @return the positional arguments */
    public List<String> positionals() {
        return positionals;
    }
}
