package io.dagscope.server.cli;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.spi.SourceFactories;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a command talks to: its streams, its environment, and the source factories found.
 *
 * @param in standard input
 * @param out standard output: a command's result and nothing else
 * @param err standard error: logs, warnings and progress
 * @param env the environment
 * @param factories the event source factories available
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
        SourceFactories factories) {

    /** The switch of {@code query} and {@code summary} that accepts an answer some source could not contribute to. */
    static final String ALLOW_PARTIAL = "allow-partial";

    /** The exit status of a one-shot command when a source could not be read. */
    static final int EXIT_PARTIAL = 4;

    /**
     * Tells stderr of each source that could not be read, with its reason.
     *
     * @param sources the sources after a read
     * @param err where to say it
     * @return how many could not be read
     */
    static int reportUnreadSources(List<SourceStatus> sources, PrintStream err) {
        int unread = 0;
        for (SourceStatus s : sources) {
            if (!s.healthy()) {
                err.println("dagscope: source " + s.name() + " (" + s.location() + "): "
                        + s.error().orElse("unhealthy"));
                unread++;
            }
        }
        return unread;
    }

    /**
     * @param unread how many sources could not be read
     * @return the line that explains the exit status
     */
    static String partialMessage(int unread) {
        return (unread == 1 ? "1 source" : unread + " sources") + " could not be read, so the answer is partial: exit "
                + "status " + EXIT_PARTIAL + " (--" + ALLOW_PARTIAL + " accepts a partial answer with status 0)";
    }
}
