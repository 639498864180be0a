package io.dagscope.server.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.slf4j.event.Level;

/**
 * Where every log line of the process goes, at which level, with which secrets masked. Lines look like
 * <pre>
 * 2025-10-22T14:00:01.002Z dagscope: read 16857 events from 2 source(s); following
 * 2025-10-22T14:00:09.310Z dagscope: ERROR reading the sources failed: IllegalStateException: ...
 * 	at ...
 * 2025-10-22T14:00:09.412Z dagscope: WARN org.eclipse.jetty.server.Server: ...
 * </pre>
 * the time in UTC to the millisecond; the level unless it is {@code INFO}; the logger's name unless it is dagscope's
 * own; the message on one line (line breaks written as {@code \n}); a failure's class and message, then its stack
 * trace. The whole text, trace included, passes through the configured redaction and then {@link SecretShapes}.
 *
 * <p>SLF4J's binding is one per process, so this is too: the state is static, set by the composition root
 * ({@code serve}) and by tests, each of which restores what it replaced.
 */
public final class LogOutput {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    private static final String OURS = "io.dagscope.";
    /** graphql-java's name for loggers whose lines may quote queries and variables. */
    private static final String NOT_PRIVACY_SAFE = "notprivacysafe.";

    /**
     * Where lines go and how.
     *
     * @param out the stream, or null for the process's standard error as it is when a line is written
     * @param level the most detailed lines written
     * @param redact masks the configured secrets' values
     * @param clock stamps lines
     */
    private record Route(PrintStream out, LogLevel level, UnaryOperator<String> redact, Clock clock) {
        PrintStream stream() {
            return out == null ? System.err : out;
        }
    }

    private static final AtomicReference<Route> CURRENT = new AtomicReference<>(new Route(null, LogLevel.DEFAULT,
            UnaryOperator.identity(), Clock.systemUTC()));

    private LogOutput() {
    }

    /** Puts back the route that a {@link #route} call replaced. */
    public interface Restore extends AutoCloseable {
        /** Restores the previous route, unless another has replaced this one since. */
        @Override
        void close();
    }

    /**
     * Sends every line from now on to {@code out}, at {@code level}, with {@code redact} applied; and makes sure
     * {@code java.util.logging} (and so the JDK's {@code System.Logger}) goes through SLF4J.
     *
     * @param out the stream (standard error, or a test's)
     * @param level the most detailed lines of dagscope's own to write
     * @param redact masks the values of the configured secrets (e.g. the server's {@code Redactor})
     * @return puts back what was there before
     */
    public static Restore route(PrintStream out, LogLevel level, UnaryOperator<String> redact) {
        return route(out, level, redact, Clock.systemUTC());
    }

    /**
     * As {@link #route(PrintStream, LogLevel, UnaryOperator)}, with the clock that stamps lines.
     *
     * @param out the stream
     * @param level the most detailed lines of dagscope's own to write
     * @param redact masks the values of the configured secrets
     * @param clock stamps lines
     * @return puts back what was there before
     */
    public static Restore route(PrintStream out, LogLevel level, UnaryOperator<String> redact, Clock clock) {
        Route route = new Route(Objects.requireNonNull(out, "out"), Objects.requireNonNull(level, "level"),
                Objects.requireNonNull(redact, "redact"), Objects.requireNonNull(clock, "clock"));
        bridgeJavaUtilLogging();
        Route previous = CURRENT.getAndSet(route);
        return () -> CURRENT.compareAndSet(route, previous);
    }

    /**
     * Sends {@code java.util.logging}'s records, and so those of the JDK's {@code System.Logger}, to SLF4J instead of
     * its own console handler, which would write them past the redaction. Safe to call more than once.
     */
    public static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * @param logger the logger's name
     * @param level the line's level
     * @return whether a line of that logger at that level is written now
     */
    static boolean writes(String logger, Level level) {
        return !logger.startsWith(NOT_PRIVACY_SAFE) && CURRENT.get().level().writes(level, logger.startsWith(OURS));
    }

    /**
     * Writes a line, if its level is written.
     *
     * @param logger the logger's name
     * @param level the line's level
     * @param message the message, its arguments in place
     * @param failure what failed, or null
     */
    static void write(String logger, Level level, String message, Throwable failure) {
        if (!writes(logger, level)) {
            return;
        }
        Route route = CURRENT.get();
        String text = format(TIME.format(route.clock().instant()), logger, level, message, failure);
        route.stream().println(SecretShapes.mask(route.redact().apply(text)));
    }

    /**
     * @param time when, as written
     * @param logger the logger's name
     * @param level the line's level
     * @param message the message
     * @param failure what failed, or null
     * @return the line, with the failure's stack trace after it
     */
    static String format(String time, String logger, Level level, String message, Throwable failure) {
        StringBuilder line = new StringBuilder(time).append(" dagscope: ");
        if (level != Level.INFO) {
            line.append(level).append(' ');
        }
        if (!logger.startsWith(OURS)) {
            line.append(logger).append(": ");
        }
        line.append(oneLine(String.valueOf(message)));
        if (failure != null) {
            line.append(": ").append(failure.getClass().getSimpleName());
            if (failure.getMessage() != null) {
                line.append(": ").append(oneLine(failure.getMessage()));
            }
            String trace = trace(failure);
            if (!trace.isEmpty()) {
                line.append(System.lineSeparator()).append(trace);
            }
        }
        return line.toString();
    }

    /** A message on one line: a line break in it cannot start a line that looks like another event. */
    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** The stack trace without its first line (the failure's class and message, already on the line). */
    private static String trace(Throwable failure) {
        StringWriter out = new StringWriter();
        try (PrintWriter writer = new PrintWriter(out)) {
            failure.printStackTrace(writer);
        }
        String all = out.toString();
        String header = failure.toString();
        String rest = all.startsWith(header) ? all.substring(header.length()) : all;
        return rest.strip().isEmpty() ? "" : rest.replaceFirst("^\\R", "").stripTrailing();
    }
}
