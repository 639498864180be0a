package io.dagscope.core.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Parses and formats instants as epoch microseconds.
 *
 * <p>The parser accepts ISO-8601 date-times as the orchestrator writes them: naive (meaning UTC), with {@code Z} or
 * any offset up to 18 hours ({@code +HH}, {@code +HHMM}, {@code +HH:MM}, {@code +HH:MM:SS}), with 0 to 9 fractional
 * digits (digits past the microsecond are truncated), and a {@code T} or a space between date and time. Dates and
 * times are checked: February 30th, hour 24 and second 60 are not instants. Texts with a four-digit year are parsed
 * by hand, without allocation, and their verdict is final; a signed or longer year, or surrounding whitespace,
 * falls back to {@code java.time}. Parsing never throws: an unparseable text gives {@link #INVALID}.
 */
public final class Timestamps {

    /** Returned by the parsers for a text that is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    /** Microseconds in a second. */
    public static final long MICROS_PER_SECOND = 1_000_000L;

    /** Microseconds in a minute. */
    public static final long MICROS_PER_MINUTE = 60_000_000L;

    /** The fast parser's answer for a text it does not handle; never returned to callers. */
    private static final long UNUSUAL_SHAPE = Long.MIN_VALUE + 1;

    /** java.time's limit for an offset: 18 hours. */
    private static final long MAX_OFFSET_SECONDS = 18 * 3600L;

    private static final int[] DAYS_IN_MONTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {
    }

    /**
     * Parses an ISO-8601 date-time.
     *
     * @param text the text; may be null
     * @return epoch microseconds, or {@link #INVALID}
     */
    public static long parseMicros(CharSequence text) {
        if (text == null) {
            return INVALID;
        }
        int len = text.length();
        char[] chars = new char[len];
        for (int i = 0; i < len; i++) {
            chars[i] = text.charAt(i);
        }
        return parseMicros(chars, 0, len);
    }

    /**
     * Parses an ISO-8601 date-time from a slice of a char array (so a JSON parser's buffer can be read in place).
     *
     * @param buf the characters
     * @param off where the text starts
     * @param len its length
     * @return epoch microseconds, or {@link #INVALID}
     */
    public static long parseMicros(char[] buf, int off, int len) {
        if (len <= MAX_FAST_LENGTH) {
            byte[] ascii = new byte[len];
            for (int i = 0; i < len; i++) {
                char c = buf[off + i];
                if (c >= 0x80) {
                    return parseSlow(new String(buf, off, len));
                }
                ascii[i] = (byte) c;
            }
            return parseMicros(ascii, 0, len);
        }
        return parseSlow(new String(buf, off, len));
    }

    /**
     * Parses an ISO-8601 date-time from bytes (a log line's, read in place), ASCII as a timestamp is.
     *
     * @param buf the bytes
     * @param off where the text starts
     * @param len its length
     * @return epoch microseconds, or {@link #INVALID}
     */
    public static long parseMicros(byte[] buf, int off, int len) {
        long fast = parseFast(buf, off, len);
        if (fast != UNUSUAL_SHAPE) {
            return fast;
        }
        return parseSlow(new String(buf, off, len, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Longer texts are no timestamp of the fast shape: straight to java.time. */
    private static final int MAX_FAST_LENGTH = 64;

    /**
     * Parses the shape every writer uses, {@code YYYY-MM-DD[T ]HH:MM[:SS[.f...]][zone]}, without allocating.
     *
     * @return epoch microseconds; {@link #INVALID} for a text of that shape that is not an instant (so a bad date
     *     costs no allocation either); {@link #UNUSUAL_SHAPE} for a text java.time may still read (a signed or
     *     five-digit year, surrounding whitespace)
     */
    private static long parseFast(byte[] b, int off, int len) {
        if (len == 0) {
            return INVALID;
        }
        byte first = b[off];
        byte last = b[off + len - 1];
        if (first == '+' || first == '-' || first < 0 || last < 0 || isSpace(first) || isSpace(last)) {
            return UNUSUAL_SHAPE;
        }
        if (len < 16) {
            return INVALID;
        }
        long minuteSeconds = minuteSeconds(b, off);
        return minuteSeconds == INVALID ? INVALID : withinMinute(b, off, len, minuteSeconds);
    }

    /**
     * The epoch seconds of the minute {@code YYYY-MM-DD[T ]HH:MM} names in the 16 bytes at {@code off}.
     *
     * @return the seconds, or {@link #INVALID} if those bytes are not a valid date and time of that shape
     */
    static long minuteSeconds(byte[] b, int off) {
        int year = digits4(b, off);
        if (year < 0 || b[off + 4] != '-') {
            return INVALID;
        }
        int month = digits2(b, off + 5);
        if (month < 1 || month > 12 || b[off + 7] != '-') {
            return INVALID;
        }
        int day = digits2(b, off + 8);
        if (day < 1 || day > DAYS_IN_MONTH[month] || (month == 2 && day == 29 && !isLeap(year))) {
            return INVALID;
        }
        byte sep = b[off + 10];
        if (sep != 'T' && sep != 't' && sep != ' ') {
            return INVALID;
        }
        int hour = digits2(b, off + 11);
        if (hour < 0 || hour > 23 || b[off + 13] != ':') {
            return INVALID;
        }
        int minute = digits2(b, off + 14);
        if (minute < 0 || minute > 59) {
            return INVALID;
        }
        return daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L;
    }

    /**
     * The rest of the fast shape after {@code YYYY-MM-DD[T ]HH:MM}: {@code [:SS[.f...]][zone]}, added to the
     * minute's epoch seconds.
     */
    static long withinMinute(byte[] b, int off, int len, long minuteSeconds) {
        int pos = off + 16;
        int end = off + len;
        int second = 0;
        long fraction = 0;
        if (pos < end && b[pos] == ':') {
            if (pos + 3 > end) {
                return INVALID;
            }
            second = digits2(b, pos + 1);
            if (second < 0 || second > 59) {
                return INVALID;
            }
            pos += 3;
            if (pos < end && (b[pos] == '.' || b[pos] == ',')) {
                pos++;
                int start = pos;
                long scale = 100_000;
                while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                    if (pos - start < 6) {
                        fraction += (b[pos] - '0') * scale;
                        scale /= 10;
                    }
                    pos++;
                }
                int n = pos - start;
                // ISO-8601 wants a digit after the decimal sign (java.time would take "13:55:00." as 13:55:00)
                if (n == 0 || n > 9) {
                    return INVALID;
                }
            }
        }
        long offsetSeconds = 0;
        if (pos < end) {
            byte z = b[pos];
            if ((z == 'Z' || z == 'z') && pos + 1 == end) {
                pos++;
            } else if (z == '+' || z == '-') {
                offsetSeconds = offsetSeconds(b, pos + 1, end);
                if (offsetSeconds == INVALID) {
                    return INVALID;
                }
                if (z == '-') {
                    offsetSeconds = -offsetSeconds;
                }
            } else {
                return INVALID;
            }
        }
        long seconds = minuteSeconds + second - offsetSeconds;
        return seconds * MICROS_PER_SECOND + fraction;
    }

    /** An offset's magnitude from {@code HH}, {@code HHMM}, {@code HH:MM} or {@code HH:MM:SS}, at most 18 hours. */
    private static long offsetSeconds(byte[] b, int pos, int end) {
        int rest = end - pos;
        boolean colons = rest >= 5 && b[pos + 2] == ':' && (rest == 5 || b[pos + 5] == ':');
        if (!(rest == 2 || rest == 4 || (colons && (rest == 5 || rest == 8)))) {
            return INVALID;
        }
        int oh = digits2(b, pos);
        int om = rest == 2 ? 0 : digits2(b, colons ? pos + 3 : pos + 2);
        int os = rest == 8 ? digits2(b, pos + 6) : 0;
        if (oh < 0 || om < 0 || om > 59 || os < 0 || os > 59) {
            return INVALID;
        }
        long total = oh * 3600L + om * 60L + os;
        return total > MAX_OFFSET_SECONDS ? INVALID : total;
    }

    private static long parseSlow(String text) {
        String s = text.strip();
        try {
            return toMicros(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            // not an offset date-time; a naive one is UTC
        } catch (ArithmeticException e) {
            return INVALID;
        }
        try {
            return toMicros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException | ArithmeticException e) {
            // Instant.parse is not tried: all it adds is 24:00 and leap seconds, which are not instants here
            return INVALID;
        }
    }

    /** Whitespace as {@link Character#isWhitespace} sees it, for the ASCII bytes the fast path reads. */
    static boolean isSpace(byte c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }

    private static int digits2(byte[] b, int i) {
        int d1 = b[i] - '0';
        int d2 = b[i + 1] - '0';
        if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return -1;
        }
        return d1 * 10 + d2;
    }

    private static int digits4(byte[] b, int i) {
        int hi = digits2(b, i);
        int lo = digits2(b, i + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    private static boolean isLeap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    /**
     * Converts an instant to epoch microseconds, truncating below the microsecond.
     *
     * @param instant the instant
     * @return epoch microseconds
     */
    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
                instant.getNano() / 1000);
    }

    /**
     * Converts epoch microseconds to an instant.
     *
     * @param micros epoch microseconds
     * @return the instant
     */
    public static Instant toInstant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /**
     * Formats epoch microseconds as ISO-8601 UTC with {@code Z}, as {@link Instant#toString()} does.
     *
     * @param micros epoch microseconds
     * @return e.g. {@code 2025-10-21T18:00:00Z} or {@code 2025-10-21T18:00:00.123456Z}
     */
    public static String format(long micros) {
        return toInstant(micros).toString();
    }

    /**
     * The minute an instant falls in.
     *
     * @param micros epoch microseconds
     * @return minutes since the epoch, rounded down
     */
    public static long minuteOf(long micros) {
        return Math.floorDiv(micros, MICROS_PER_MINUTE);
    }

    /**
     * Seconds between two instants.
     *
     * @param fromMicros the earlier instant
     * @param toMicros the later instant
     * @return {@code to - from} in seconds
     */
    public static double secondsBetween(long fromMicros, long toMicros) {
        return (toMicros - fromMicros) / (double) MICROS_PER_SECOND;
    }
}
