package io.dagscope.source.lines.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast path for flat lines against Jackson: every line, whichever reads it, gives the same outcome, the same
 * event (field by field) and the same skip reason. Real lines from every sample log, and hundreds of thousands of
 * mutated ones that poke at every rule the fast path must either follow exactly or leave to Jackson.
 */
class FastPathEquivalenceTest {

    private final JsonlLineDecoder fast = new JsonlLineDecoder(1 << 20, true);
    private final JsonlLineDecoder jackson = new JsonlLineDecoder(1 << 20, false);

    private static List<byte[]> sampleLines() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "fixtures", "samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private void assertSame(byte[] line) {
        LineOutcome a = fast.decode(line);
        LineOutcome b = jackson.decode(line);
        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals(b, a, text);
        switch (a) {
            case EVENT -> {
                assertEquals(jackson.event(), fast.event(), text);
                assertEquals(jackson.timestampMicros(), fast.timestampMicros(), text);
            }
            case IGNORED -> assertEquals(jackson.eventName(), fast.eventName(), text);
            case SKIPPED -> assertEquals(jackson.skipReason(), fast.skipReason(), text);
            default -> { }
        }
    }

    @Test
    void everySampleLineDecodesTheSameEitherWay() throws IOException {
        List<byte[]> lines = sampleLines();
        assertTrue(lines.size() > 20_000, "the samples are there");
        int flat = 0;
        FlatLine probe = new FlatLine();
        for (byte[] line : lines) {
            assertSame(line);
            if (probe.parse(line, 0, line.length)) {
                flat++;
            }
        }
        assertTrue(flat > lines.size() * 0.9, "most real lines take the fast path: " + flat + " of " + lines.size());
    }

    private static final String[] REPLACEMENTS = {"null", "true", "false", "0", "-0", "01", "1.0", "2.5", "1e3",
        "-7", "2147483647", "2147483648", "-2147483649", "12345678901", "3.000", "0.1", "1.", ".5", "-", "\"\"",
        "\"2\"", "\"2.0\"", "\" 3 \"", "\"x\\\"y\"", "\"\\u00e9\"", "\"é\"", "{}", "[]", "{\"a\": 1}", "[1, 2]",
        "NaN", "Infinity", "\"2025-10-20T13:55:00+00:00\"", "\"2025-10-20 13:55\"", "\"2025-13-20T13:55:00\"",
        "123456789012345678901234567890", "1.7976931348623157", "0.000001", "99999999999999999.5",
        // the edges of the ranges numbers and timestamps must lie in (EventBounds), and far beyond them
        "1000000", "1000001", "-1", "\"1000001\"", "1e6", "1.000001e6", "31622400", "31622400.000001", "-86400",
        "-86400.000001", "1.7976931348623157e308", "-1.7976931348623157e308", "\"1e308\"", "1e400", "-1e400",
        "4.9e-324", "9223372036854775807", "-9223372036854775808", "\"1970-01-01T00:00:00Z\"",
        "\"1999-12-31T23:59:59.999999Z\"", "\"2000-01-01T00:00:00Z\"", "\"2000-01-01 00:00\"", "\"1999-12-31 23:59\"",
        "\"9999-12-31T23:59:59.999999Z\"", "\"9999-12-31 23:59\"", "\"+10000-01-01T00:00:00Z\"",
        "\"-0001-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00+00:00\""};

    private static final String[] KEYS = {"timestamp", "event", "dag_name", "dag_run_id", "tenant", "task_id",
        "task_count", "attempt", "error", "tasks_succeeded", "tasks_failed", "duration_seconds", "checkpoint_id",
        "approved_by", "schedule_id", "dag_path", "minute", "status", "unknown_field", ""};

    @Test
    void mutatedLinesDecodeTheSameEitherWay() throws IOException {
        List<byte[]> lines = sampleLines();
        Random rnd = new Random(11);
        for (int n = 0; n < 200_000; n++) {
            String line = new String(lines.get(rnd.nextInt(lines.size())), StandardCharsets.UTF_8);
            String mutated = switch (rnd.nextInt(9)) {
                case 0 -> {
                    // replace one value
                    int colon = line.indexOf(": ", rnd.nextInt(Math.max(1, line.length() - 3)));
                    if (colon < 0) {
                        yield line;
                    }
                    int end = line.indexOf(", \"", colon);
                    end = end < 0 ? line.lastIndexOf('}') : end;
                    yield end <= colon ? line : line.substring(0, colon + 2)
                            + REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)] + line.substring(end);
                }
                case 1 -> line.replaceFirst("\\{", "{\"" + KEYS[rnd.nextInt(KEYS.length)] + "\": "
                        + REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)] + ", ");
                case 2 -> line.substring(0, rnd.nextInt(line.length() + 1));
                case 3 -> {
                    int at = rnd.nextInt(line.length() + 1);
                    String[] junk = {" ", "\t", "\r", ",", ":", "\"", "}", "{", "x", "\\", "\u0001", "é", "\f"};
                    yield line.substring(0, at) + junk[rnd.nextInt(junk.length)] + line.substring(at);
                }
                case 4 -> line + (rnd.nextBoolean() ? " " : " x");
                case 5 -> line.replace(", ", rnd.nextBoolean() ? "," : " , ");
                case 6 -> line.replace("\"", rnd.nextBoolean() ? "'" : "\"");
                case 7 -> "  " + line.replace(": ", " :\t");
                default -> {
                    // a field twice: the last one wins
                    int close = line.lastIndexOf('}');
                    yield close < 0 ? line : line.substring(0, close) + ", \"" + KEYS[rnd.nextInt(KEYS.length)]
                            + "\": " + REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)] + "}";
                }
            };
            assertSame(mutated.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void decimalsAreReadAsTheNearestDouble() {
        Random rnd = new Random(5);
        for (int n = 0; n < 200_000; n++) {
            String s = switch (rnd.nextInt(4)) {
                case 0 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(12)));
                case 1 -> String.format("%.6f", rnd.nextDouble() * 1000);
                case 2 -> Long.toString(rnd.nextLong() >> rnd.nextInt(60));
                default -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(100000) + "." + rnd.nextInt(1000000);
            };
            if (s.contains("E")) {
                continue;
            }
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertEquals(Double.parseDouble(s), Decimals.parse(b, 0, b.length), s);
        }
    }
}
