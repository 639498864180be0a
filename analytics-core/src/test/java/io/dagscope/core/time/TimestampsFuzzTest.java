package io.dagscope.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of the timestamp parsers (docs/fuzzing.md): {@link Timestamps} and the line-by-line
 * {@link TimestampParser} against {@code java.time}, on any text and on every way of writing an instant.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimestampsFuzzTest {

    /**
     * What java.time takes that the parser refuses on purpose (Timestamps' javadoc): a decimal sign with no digit
     * after it, as in {@code 13:55:00.} or {@code 13:55:00.Z}.
     */
    private static final Pattern BARE_DECIMAL_SIGN = Pattern.compile(".*:\\d\\d\\.(?!\\d).*", Pattern.DOTALL);

    /** java.time's answer: the instant in epoch microseconds, empty when it cannot hold it, null when refused. */
    private static OptionalLong javaTime(String text) {
        String s = text.strip();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            try {
                instant = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                return null;
            }
        }
        try {
            return OptionalLong.of(Timestamps.toMicros(instant));
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Any bytes: every entry point gives one answer (bytes, chars, text, and the line-by-line parser whether or not
     * it remembers the text's minute), and where java.time reads the text too, both give the same instant. What
     * java.time reads and the parser refuses is only what the parser's javadoc refuses on purpose, or an instant a
     * long cannot hold in microseconds.
     */
    @FuzzTest
    void agreesWithJavaTimeWhereBothAccept(byte[] bytes) {
        long ours = Timestamps.parseMicros(bytes, 0, bytes.length);

        assertEquals(ours, new TimestampParser().parseMicros(bytes, 0, bytes.length), "a fresh line parser");
        if (bytes.length >= 16) {
            // a parser that read a valid timestamp of the same minute before (if the prefix is one) uses its memory
            TimestampParser warm = new TimestampParser();
            byte[] sameMinute = Arrays.copyOf(Arrays.copyOf(bytes, 16), 19);
            sameMinute[16] = ':';
            sameMinute[17] = '0';
            sameMinute[18] = '0';
            warm.parseMicros(sameMinute, 0, sameMinute.length);
            assertEquals(ours, warm.parseMicros(bytes, 0, bytes.length), "a line parser that read the minute before");
            assertEquals(ours, warm.parseMicros(bytes, 0, bytes.length), "the same text twice");
        }

        String text = utf8OrNull(bytes);
        if (text == null) {
            return;
        }
        assertEquals(ours, Timestamps.parseMicros(text), () -> "as text: " + text);
        char[] framed = ("\"" + text + "\"").toCharArray();
        assertEquals(ours, Timestamps.parseMicros(framed, 1, framed.length - 2), () -> "as chars: " + text);

        OptionalLong java = javaTime(text);
        if (java == null) {
            return; // java.time refuses it; the parser may read more (a space, a comma, +HHMM), checked below
        }
        if (java.isEmpty()) {
            assertEquals(Timestamps.INVALID, ours, () -> "beyond a long of microseconds: " + text);
        } else if (ours != Timestamps.INVALID) {
            assertEquals(java.getAsLong(), ours, () -> "the instant of " + text);
        } else if (!BARE_DECIMAL_SIGN.matcher(text).matches()) {
            fail("java.time reads " + text + " as " + Timestamps.format(java.getAsLong()) + " but the parser refuses it");
        }
    }

    /**
     * Any instant (years far past 9999 and before 0 included), written in any way EVENTS.md allows: {@code T},
     * {@code t} or a space; 0 to 9 fractional digits or no seconds at all; naive, {@code Z}, {@code z}, or an offset
     * as {@code +HH}, {@code +HHMM}, {@code +HH:MM} or {@code +HH:MM:SS}; surrounded by whitespace or not. The parser
     * gives the instant (truncated to the microsecond), or refuses one that a long of microseconds cannot hold.
     */
    @FuzzTest
    void readsEveryWayOfWritingAnInstant(FuzzedDataProvider data) {
        // about +-317,000 years around 1970: the microsecond range (+-292,000 years) and past it
        long epochSecond = data.consumeLong(-10_000_000_000_000L, 10_000_000_000_000L);
        int nanos = data.consumeInt(0, 999_999_999);
        int offsetSeconds = data.consumeInt(-18 * 3600, 18 * 3600);
        int zoneStyle = data.consumeInt(0, 6);
        boolean fourDigitYear;
        OffsetDateTime local;
        switch (zoneStyle) {
            case 0, 1, 2 -> offsetSeconds = 0; // naive, Z, z
            case 3 -> offsetSeconds -= offsetSeconds % 3600; // +HH
            case 4, 5 -> offsetSeconds -= offsetSeconds % 60; // +HHMM, +HH:MM
            default -> { } // +HH:MM:SS
        }
        try {
            local = Instant.ofEpochSecond(epochSecond, nanos).atOffset(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return; // beyond java.time's years
        }
        fourDigitYear = local.getYear() >= 0 && local.getYear() <= 9999;
        int fractionDigits = data.consumeInt(-1, 9); // -1: no seconds
        if (fractionDigits < 0 && (local.getSecond() != 0 || local.getNano() != 0)) {
            fractionDigits = 0;
        }
        String before = data.consumeBoolean() ? " \t".substring(0, data.consumeInt(1, 2)) : "";
        String after = data.consumeBoolean() ? "\t ".substring(0, data.consumeInt(1, 2)) : "";
        // other years and surrounding whitespace are read by java.time, which has no space separator and no +HHMM
        boolean byHand = fourDigitYear && before.isEmpty() && after.isEmpty();
        char separator = "Tt ".charAt(data.consumeInt(0, byHand ? 2 : 1));
        if (!byHand && zoneStyle == 4) {
            zoneStyle = 5;
        }

        StringBuilder text = new StringBuilder(before);
        int year = local.getYear();
        if (fourDigitYear) {
            text.append(String.format("%04d", year));
        } else {
            text.append(year < 0 ? '-' : '+').append(String.format("%04d", Math.abs((long) year)));
        }
        text.append(String.format("-%02d-%02d%c%02d:%02d", local.getMonthValue(), local.getDayOfMonth(), separator,
                local.getHour(), local.getMinute()));
        int writtenNanos = 0;
        if (fractionDigits >= 0) {
            text.append(String.format(":%02d", local.getSecond()));
            if (fractionDigits > 0) {
                String nine = String.format("%09d", local.getNano());
                text.append('.').append(nine, 0, fractionDigits);
                writtenNanos = Integer.parseInt(nine.substring(0, fractionDigits) + "0".repeat(9 - fractionDigits));
            }
        }
        int abs = Math.abs(offsetSeconds);
        String sign = offsetSeconds < 0 ? "-" : "+";
        switch (zoneStyle) {
            case 0 -> { }
            case 1 -> text.append('Z');
            case 2 -> text.append('z');
            case 3 -> text.append(String.format("%s%02d", sign, abs / 3600));
            case 4 -> text.append(String.format("%s%02d%02d", sign, abs / 3600, abs / 60 % 60));
            case 5 -> text.append(String.format("%s%02d:%02d", sign, abs / 3600, abs / 60 % 60));
            default -> text.append(String.format("%s%02d:%02d:%02d", sign, abs / 3600, abs / 60 % 60, abs % 60));
        }
        text.append(after);

        Instant written = local.withNano(writtenNanos).toInstant();
        long expected;
        try {
            expected = Timestamps.toMicros(written);
        } catch (ArithmeticException e) {
            expected = Timestamps.INVALID;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, Timestamps.parseMicros(bytes, 0, bytes.length), text::toString);
        assertEquals(expected, Timestamps.parseMicros(text), text::toString);
        assertEquals(expected, new TimestampParser().parseMicros(bytes, 0, bytes.length), text::toString);
    }
}
