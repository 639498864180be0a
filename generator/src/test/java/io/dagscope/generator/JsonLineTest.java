package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lines are byte for byte what Python's json.dumps and datetime.isoformat() write (expected texts from CPython). */
class JsonLineTest {

    private static long micros(String instant) {
        return LogGenerator.micros(Instant.parse(instant));
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.US_ASCII);
    }

    @Test
    void escapesLikeJsonDumpsWithEnsureAscii() {
        String error = "x\n\ty\"\\\u00e9\u00a0\uD83D\uDE00\u007f\u0001\r\b\f/";
        assertEquals("{\"error\": \"x\\n\\ty\\\"\\\\\\u00e9\\u00a0\\ud83d\\ude00\\u007f\\u0001\\r\\b\\f/\"}\n",
                text(new JsonLine().begin().text("error", error).end()));
    }

    @Test
    void separatesKeysAndValuesAsPythonDoesAndKeepsKeyOrder() {
        assertEquals("{\"timestamp\": \"2025-10-04T10:00:01.515049\", \"event\": \"task_ok\", \"attempt\": 2}\n",
                text(new JsonLine().begin().timestamp("timestamp", micros("2025-10-04T10:00:01.515049Z"), false)
                        .text("event", "task_ok").number("attempt", 2).end()));
    }

    @ParameterizedTest
    @CsvSource({
        "2025-10-04T10:00:01.515049Z, false, 2025-10-04T10:00:01.515049",
        "2025-10-04T10:00:01.515049Z, true, 2025-10-04T10:00:01.515049+00:00",
        "1999-12-31T23:59:59Z, true, 1999-12-31T23:59:59+00:00",
        "2024-02-29T00:00:00.000007Z, false, 2024-02-29T00:00:00.000007",
        "2100-03-01T12:30:00.100Z, true, 2100-03-01T12:30:00.100000+00:00"})
    void writesTimestampsAsIsoformatDoes(String instant, boolean aware, String expected) {
        assertEquals("{\"t\": \"" + expected + "\"}\n",
                text(new JsonLine().begin().timestamp("t", micros(instant), aware).end()));
    }

    @ParameterizedTest
    @CsvSource({"17855865, 17.855865", "3000000, 3.0", "500001, 0.500001", "28800000020, 28800.00002", "0, 0.0",
        "100, 0.0001", "1, 1e-06", "15, 1.5e-05", "99, 9.9e-05"})
    void writesSecondsAsReprOfTotalSeconds(long micros, String expected) {
        assertEquals("{\"d\": " + expected + "}\n", text(new JsonLine().begin().seconds("d", micros).end()));
    }

    @Test
    void writesTheSchedulersMinute() {
        assertEquals("{\"minute\": \"2025-10-20 13:55\"}\n",
                text(new JsonLine().begin().minute("minute", micros("2025-10-20T13:55:00Z")).end()));
    }

    @Test
    void aBuilderIsReusedForTheNextLine() {
        JsonLine json = new JsonLine();
        json.begin().text("a", "x".repeat(5000)).end();
        assertEquals("{\"b\": 1}\n", text(json.begin().number("b", 1).end()));
    }
}
