package io.dagscope.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one log: every logger (ours, a library's, {@code java.util.logging}, {@code System.Logger}) writes
 * one format, at the level chosen, with secrets masked in the line and its stack trace.
 */
@SuppressWarnings("try") // a route is held open by try-with-resources and restored at its end, never read
class LogOutputTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-10-22T14:00:01Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private LogOutput.Restore route(LogLevel level) {
        return LogOutput.route(new PrintStream(bytes, true, StandardCharsets.UTF_8), level,
                text -> text.replace(SECRET, "***"), CLOCK);
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ourLinesKeepTheirFormatAndOthersSayTheirLevelAndLogger() {
        try (LogOutput.Restore r = route(LogLevel.INFO)) {
            LoggerFactory.getLogger("io.dagscope.server.cli.ServeCommand").info("read {} events", 3);
            LoggerFactory.getLogger("io.dagscope.server.http.HttpServer").warn("listening on 0.0.0.0");
            LoggerFactory.getLogger("org.eclipse.jetty.server.Server").warn("a library's warning");
        }
        assertEquals(String.join(System.lineSeparator(),
                "2025-10-22T14:00:01.000Z dagscope: read 3 events",
                "2025-10-22T14:00:01.000Z dagscope: WARN listening on 0.0.0.0",
                "2025-10-22T14:00:01.000Z dagscope: WARN org.eclipse.jetty.server.Server: a library's warning", ""),
                written(), "the time has its milliseconds even when they are 0");
    }

    @Test
    void aFailureIsSummedUpOnItsLineAndItsStackTraceFollowsMasked() {
        try (LogOutput.Restore r = route(LogLevel.INFO)) {
            LoggerFactory.getLogger("io.dagscope.x").error("the thread dagscope-follow stopped",
                    new IllegalStateException("a bug near " + SECRET, new RuntimeException("cause: " + SECRET)));
        }
        String[] lines = written().split("\\R");
        assertEquals("2025-10-22T14:00:01.000Z dagscope: ERROR the thread dagscope-follow stopped: "
                + "IllegalStateException: a bug near ***", lines[0]);
        assertTrue(lines[1].startsWith("\tat io.dagscope.server.logging.LogOutputTest."), lines[1]);
        assertTrue(written().contains("Caused by: java.lang.RuntimeException: cause: ***"), written());
        assertFalse(written().contains(SECRET), written());
        assertFalse(written().contains("wJalrXUtnFEMI"), written());
    }

    @Test
    void aLineBreakInAMessageCannotStartALineThatLooksLikeAnother() {
        try (LogOutput.Restore r = route(LogLevel.INFO)) {
            LoggerFactory.getLogger("io.dagscope.x").info("source a is unhealthy: bad\n2025-10-22T14:00:02.000Z "
                    + "dagscope: authentication off\r\nmore");
        }
        assertEquals("2025-10-22T14:00:01.000Z dagscope: source a is unhealthy: bad\\n2025-10-22T14:00:02.000Z "
                + "dagscope: authentication off\\r\\nmore" + System.lineSeparator(), written());
    }

    @Test
    void theLevelDecidesOurLinesAndLibrariesWriteWarningsAndErrorsOnly() {
        Logger ours = LoggerFactory.getLogger("io.dagscope.server.http.GraphQlService");
        Logger library = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
        for (LogLevel level : LogLevel.values()) {
            bytes.reset();
            try (LogOutput.Restore r = route(level)) {
                for (Logger logger : List.of(ours, library)) {
                    logger.error("{} error", logger.getName());
                    logger.warn("{} warn", logger.getName());
                    logger.info("{} info", logger.getName());
                    logger.debug("{} debug", logger.getName());
                    logger.trace("{} trace", logger.getName());
                }
                LoggerFactory.getLogger("notprivacysafe.graphql.execution.ExecutionStrategy").error("query text");
                assertEquals(level.compareTo(LogLevel.DEBUG) >= 0, ours.isDebugEnabled(), level.toString());
                assertFalse(library.isInfoEnabled(), level.toString());
            }
            String text = written();
            assertTrue(text.contains(ours.getName() + " error") && text.contains(library.getName() + " error"), text);
            assertEquals(level != LogLevel.ERROR, text.contains(ours.getName() + " warn"), level + ": " + text);
            assertEquals(level != LogLevel.ERROR, text.contains(library.getName() + " warn"), level + ": " + text);
            assertEquals(level == LogLevel.INFO || level == LogLevel.DEBUG, text.contains(ours.getName() + " info"),
                    level + ": " + text);
            assertEquals(level == LogLevel.DEBUG, text.contains(ours.getName() + " debug"), level + ": " + text);
            for (String never : List.of(library.getName() + " info", library.getName() + " debug", " trace",
                    "query text")) {
                assertFalse(text.contains(never), level + ": " + never + " in " + text);
            }
        }
    }

    @Test
    void javaUtilLoggingAndTheJdksSystemLoggerGoThroughTheSameOutput() {
        try (LogOutput.Restore r = route(LogLevel.INFO)) {
            java.util.logging.Logger.getLogger("com.example.jul").warning("jul quotes " + SECRET);
            java.util.logging.Logger.getLogger("com.example.jul").log(java.util.logging.Level.SEVERE, "jul failed",
                    new IllegalStateException("thrown with " + SECRET));
            System.getLogger("com.example.platform").log(System.Logger.Level.WARNING, "platform quotes " + SECRET);
        }
        String text = written();
        assertTrue(text.contains(" dagscope: WARN com.example.jul: jul quotes ***"), text);
        assertTrue(text.contains(" dagscope: ERROR com.example.jul: jul failed: IllegalStateException: thrown with ***"),
                text);
        assertTrue(text.contains(" dagscope: WARN com.example.platform: platform quotes ***"), text);
        assertFalse(text.contains(SECRET), text);
    }

    @Test
    void restoringPutsBackThePreviousRoute() {
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        try (LogOutput.Restore o = LogOutput.route(new PrintStream(outer, true, StandardCharsets.UTF_8), LogLevel.INFO,
                UnaryOperator.identity())) {
            try (LogOutput.Restore r = route(LogLevel.INFO)) {
                LoggerFactory.getLogger("io.dagscope.x").info("inner");
            }
            LoggerFactory.getLogger("io.dagscope.x").info("outer");
        }
        assertTrue(written().contains("inner") && !written().contains("outer"), written());
        String text = outer.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("outer") && !text.contains("inner"), text);
    }

    @Test
    void secretShapesAreMaskedWhoeverWritesThem() {
        List<String[]> cases = List.of(
                new String[] {"Authorization: Bearer tok-3f9a0c77e1b24d6b", "Authorization: Bearer ***"},
                new String[] {"{\"Authorization\": \"Bearer tok-3f9a.0c77\"}", "{\"Authorization\": \"Bearer ***\"}"},
                new String[] {"authorization: Basic dXNlcjpwYXNzd29yZA==", "authorization: ***"},
                new String[] {"Authorization=AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc",
                    "Authorization=***"},
                new String[] {"GET https://user:hunter22@example.com/x", "GET https://user:***@example.com/x"},
                new String[] {"s3://bucket/?secret_key=abc/def+g&region=eu", "s3://bucket/?secret_key=***&region=eu"},
                new String[] {"x?X-Amz-Signature=0a1b2c&X-Amz-Security-Token=FQo",
                    "x?X-Amz-Signature=***&X-Amz-Security-Token=***"},
                new String[] {"password=pa55, next", "password=***, next"},
                new String[] {"{\"token\": \"t\\\"ok\", \"x\": 1}", "{\"token\": \"***\", \"x\": 1}"},
                new String[] {"{\"secret_key\":\"abc\"}", "{\"secret_key\":\"***\"}"});
        for (String[] c : cases) {
            assertEquals(c[1], SecretShapes.mask(c[0]), c[0]);
        }
        for (String plain : List.of("authentication on: 2 token(s)", "POST /graphql 200 3.1 ms operation=q caller=ops",
                "snapshot snapshot-20251022T140000Z.dsnap written", "source events is healthy again",
                "refused a connection without a valid token")) {
            assertEquals(plain, SecretShapes.mask(plain));
        }
    }

    @Test
    void aLevelIsOneOfItsNamesInAnyCase() {
        assertEquals(LogLevel.WARN, LogLevel.parse(" Warn "));
        assertEquals("error, warn, info, debug", LogLevel.choices());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("loud"));
        assertEquals("must be one of error, warn, info, debug; got 'loud'", bad.getMessage());
    }
}
