package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import java.util.List;

/** A subcommand of the {@code dagscope} command line. */
public interface Command {

    /** @return the name the user types */
    String name();

    /** @return one line for the command list */
    String summary();

    /** @return the arguments after the flags, for the usage line (e.g. {@code QUERY}) */
    default String positionalUsage() {
        return "";
    }

    /** @return a paragraph of help shown under the usage line */
    default String details() {
        return "";
    }

    /** @return the flags it accepts */
    List<Flag> flags();

    /**
     * Runs the command.
     *
     * @param args the parsed arguments
     * @param io streams, environment and factories
     * @return the exit code: 0 success, 1 failure, 2 bad usage
     * @throws UsageException for a bad flag or value (exit code 2)
     */
    int run(Args args, Io io) throws Exception;

    /** @return the full help text */
    default String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: dagscope ").append(name()).append(" [options]");
        if (!positionalUsage().isEmpty()) {
            sb.append(' ').append(positionalUsage());
        }
        sb.append("\n\n").append(summary()).append('\n');
        if (!details().isEmpty()) {
            sb.append('\n').append(details()).append('\n');
        }
        sb.append("\noptions:\n");
        for (Flag f : flags()) {
            String left = "  --" + f.name() + (f.takesValue() ? " " + f.valueName() : "");
            sb.append(left);
            sb.append(left.length() < 30 ? " ".repeat(30 - left.length()) : "\n" + " ".repeat(30));
            sb.append(f.help()).append('\n');
        }
        sb.append("  -h, --help                  show this help\n");
        sb.append("  -V, --version               print the version\n");
        return sb.toString();
    }
}
