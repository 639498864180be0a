package io.dagscope.core.time;

import java.util.Arrays;

/**
 * A timestamp parser for a stream of lines: it remembers the last valid date-hour-minute prefix
 * ({@code YYYY-MM-DD[T ]HH:MM}, 16 bytes) and its epoch seconds, so that the lines of one minute, which share it,
 * parse only their seconds, fraction and offset. Its answers are exactly {@link Timestamps#parseMicros(byte[], int,
 * int)}'s. Not thread-safe: one per reading thread.
 */
public final class TimestampParser {

    private static final int PREFIX = 16;

    private final byte[] prefix = new byte[PREFIX];
    private boolean cached;
    private long minuteSeconds;

    /**
     * Parses an ISO-8601 date-time from bytes.
     *
     * @param b the bytes
     * @param off where the text starts
     * @param len its length
     * @return epoch microseconds, or {@link Timestamps#INVALID}
     */
    public long parseMicros(byte[] b, int off, int len) {
        if (len >= PREFIX) {
            byte last = b[off + len - 1];
            if (cached && last >= 0 && !Timestamps.isSpace(last)
                    && Arrays.equals(prefix, 0, PREFIX, b, off, off + PREFIX)) {
                return Timestamps.withinMinute(b, off, len, minuteSeconds);
            }
            long micros = Timestamps.parseMicros(b, off, len);
            if (micros != Timestamps.INVALID && b[off] >= '0' && b[off] <= '9') {
                long seconds = Timestamps.minuteSeconds(b, off);
                if (seconds != Timestamps.INVALID) {
                    System.arraycopy(b, off, prefix, 0, PREFIX);
                    minuteSeconds = seconds;
                    cached = true;
                }
            }
            return micros;
        }
        return Timestamps.parseMicros(b, off, len);
    }
}
