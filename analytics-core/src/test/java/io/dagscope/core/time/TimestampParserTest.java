package io.dagscope.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampParserTest {

    private static final String[] SUFFIXES = {"", ":07", ":07.5", ":07.123456", ":07.123456789", ":07.", ":60",
        ":07Z", ":07z", ":07+00:00", ":07-05:30", ":07+0530", ":07+05", ":07+19:00", ":07.1234567890", " ", "x",
        ":07.5+00:00 ", ":0", ":7", ":07.5Zx", "+01:00", "Z", ":07\u00e9"};

    @Test
    void answersExactlyAsTimestampsDoesForLinesThatShareAMinuteOrNot() {
        Random rnd = new Random(3);
        TimestampParser parser = new TimestampParser();
        String[] prefixes = {"2025-10-20T13:55", "2025-10-20T13:56", "2025-10-20 13:55", "2024-02-29T23:59",
            "2023-02-29T23:59", "2025-13-01T00:00", "2025-10-20T24:00", "+2025-10-20T13:5", " 2025-10-20T13:5",
            "2025-10-20t00:00", "1969-12-31T23:59"};
        for (int i = 0; i < 200_000; i++) {
            // runs of lines in one minute, as a log has them, with now and then another minute or a bad line
            String prefix = prefixes[rnd.nextInt(10) < 7 ? 0 : rnd.nextInt(prefixes.length)];
            String text = prefix + SUFFIXES[rnd.nextInt(SUFFIXES.length)];
            byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
            int len = text.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(Timestamps.parseMicros(b, 2, len), parser.parseMicros(b, 2, len), text);
        }
    }
}
