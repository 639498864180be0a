package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.spi.SourceFactories;
import java.io.InputStream;
import java.io.PrintStream;
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
}
