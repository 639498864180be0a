package io.dagscope.server.http;

import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The server's log: one line per event on standard error, with the time, and every secret masked. It never receives a
 * token, a query's text or its variables; callers are named by their token's name.
 */
public final class ServerLog {

    private final PrintStream out;
    private final Redactor redactor;
    private final Clock clock;

    /**
     * @param out where lines go (standard error)
     * @param redactor masks secrets
     * @param clock stamps lines
     */
    public ServerLog(PrintStream out, Redactor redactor, Clock clock) {
        this.out = out;
        this.redactor = redactor;
        this.clock = clock;
    }

    /**
     * Logs a line.
     *
     * @param message the line
     */
    public void info(String message) {
        out.println(clock.instant().truncatedTo(ChronoUnit.MILLIS) + " dagscope: " + redactor.redact(message));
    }

    /**
     * Logs a failure: its message and class, not its stack trace (which could quote data).
     *
     * @param message what failed
     * @param error why
     */
    public void error(String message, Throwable error) {
        info(message + ": " + error.getClass().getSimpleName() + (error.getMessage() == null ? ""
                : ": " + error.getMessage()));
    }
}
