package io.dagscope.generator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one log line the way the orchestrator's Python writes it: {@code json.dumps} with its default separators
 * ({@code ", "} and {@code ": "}) and {@code ensure_ascii} (every character outside printable ASCII as a lowercase
 * {@code \}{@code uXXXX} escape), timestamps from {@code datetime.isoformat()}, and seconds as Python's {@code repr} of
 * a {@code timedelta.total_seconds()}. Keys come in the order they are added. Reused for every line: not
 * thread-safe.
 */
final class JsonLine {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private byte[] buf = new byte[1024];
    private int len;
    private boolean first;

    /** The last second whose {@code YYYY-MM-DDTHH:MM:SS} was rendered, and those 19 bytes. */
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cachedText = new byte[19];

    JsonLine begin() {
        len = 0;
        first = true;
        put((byte) '{');
        return this;
    }

    /** @return the line with its closing brace and {@code \n} */
    byte[] end() {
        put((byte) '}');
        put((byte) '\n');
        return Arrays.copyOf(buf, len);
    }

    JsonLine text(String key, String value) {
        key(key);
        quoted(value);
        return this;
    }

    JsonLine number(String key, long value) {
        key(key);
        ascii(Long.toString(value));
        return this;
    }

    /**
     * A duration as Python's {@code repr(timedelta(microseconds=micros).total_seconds())}: {@code 17.855865},
     * {@code 3.0}, {@code 1.5e-05}.
     */
    JsonLine seconds(String key, long micros) {
        key(key);
        if (micros < 0) {
            put((byte) '-');
            micros = -micros;
        }
        if (micros > 0 && micros < 100) {
            // under 1e-4 Python's repr switches to scientific notation: 1.5e-05
            String digits = Long.toString(micros);
            String mantissa = digits.replaceAll("0+$", "");
            ascii(mantissa.substring(0, 1));
            if (mantissa.length() > 1) {
                put((byte) '.');
                ascii(mantissa.substring(1));
            }
            ascii("e-0" + (6 - (digits.length() - 1)));
            return this;
        }
        ascii(Long.toString(micros / MICROS_PER_SECOND));
        put((byte) '.');
        int fraction = (int) (micros % MICROS_PER_SECOND);
        if (fraction == 0) {
            put((byte) '0');
        } else {
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            padded(fraction, digits);
        }
        return this;
    }

    /**
     * A timestamp as {@code datetime.isoformat()} writes it: {@code 2025-10-04T10:00:01.515049}, then {@code +00:00}
     * for an aware (UTC) datetime; the fraction is left out when the microsecond is 0, as Python does.
     */
    JsonLine timestamp(String key, long micros, boolean withOffset) {
        key(key);
        put((byte) '"');
        dateTime(micros);
        int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
        if (fraction != 0) {
            put((byte) '.');
            padded(fraction, 6);
        }
        if (withOffset) {
            ascii("+00:00");
        }
        put((byte) '"');
        return this;
    }

    /** The scheduler's {@code minute} field: {@code "YYYY-MM-DD HH:MM"}. */
    JsonLine minute(String key, long micros) {
        key(key);
        put((byte) '"');
        dateTime(micros);
        len -= 3;
        buf[len - 6] = ' ';
        put((byte) '"');
        return this;
    }

    private void dateTime(long micros) {
        long second = Math.floorDiv(micros, MICROS_PER_SECOND);
        if (second != cachedSecond) {
            render(second);
            cachedSecond = second;
        }
        ensure(19);
        System.arraycopy(cachedText, 0, buf, len, 19);
        len += 19;
    }

    /** Civil date and time of an epoch second (Howard Hinnant's days-to-civil), for years 0000-9999. */
    private void render(long epochSecond) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        byte[] t = cachedText;
        digits(t, 0, year, 4);
        t[4] = '-';
        digits(t, 5, month, 2);
        t[7] = '-';
        digits(t, 8, day, 2);
        t[10] = 'T';
        digits(t, 11, secondOfDay / 3600, 2);
        t[13] = ':';
        digits(t, 14, secondOfDay / 60 % 60, 2);
        t[16] = ':';
        digits(t, 17, secondOfDay % 60, 2);
    }

    private static void digits(byte[] out, int at, int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private void padded(int value, int count) {
        ensure(count);
        digits(buf, len, value, count);
        len += count;
    }

    private void key(String key) {
        if (!first) {
            put((byte) ',');
            put((byte) ' ');
        }
        first = false;
        put((byte) '"');
        ascii(key);
        put((byte) '"');
        put((byte) ':');
        put((byte) ' ');
    }

    private void quoted(String value) {
        ensure(value.length() + 2);
        put((byte) '"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                put((byte) c);
                continue;
            }
            switch (c) {
                case '"' -> escape('"');
                case '\\' -> escape('\\');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                case '\t' -> escape('t');
                case '\b' -> escape('b');
                case '\f' -> escape('f');
                default -> {
                    ensure(6);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = HEX[(c >> 12) & 0xF];
                    buf[len++] = HEX[(c >> 8) & 0xF];
                    buf[len++] = HEX[(c >> 4) & 0xF];
                    buf[len++] = HEX[c & 0xF];
                }
            }
        }
        put((byte) '"');
    }

    private void escape(char c) {
        put((byte) '\\');
        put((byte) c);
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            ensure(1);
        }
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
