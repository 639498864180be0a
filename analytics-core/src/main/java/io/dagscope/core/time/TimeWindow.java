package io.dagscope.core.time;

import java.time.Instant;

/**
 * A half-open window {@code [start, end)} of whole minutes, as METRICS.md defines it: the end is rounded down to the
 * minute, and so is {@code end - hours}.
 *
 * @param startMinute the first minute in the window, in minutes since the epoch
 * @param endMinute the first minute after the window, in minutes since the epoch
 */
public record TimeWindow(long startMinute, long endMinute) {

    /** The longest window accepted, in hours (about 100 years): longer ones are a mistake, not a question. */
    public static final double MAX_HOURS = 876_000;

    /**
     * Checks the window.
     *
     * @param startMinute the first minute in the window, in minutes since the epoch
     * @param endMinute the first minute after the window, in minutes since the epoch
     * @throws IllegalArgumentException if {@code endMinute} is before {@code startMinute}
     */
    public TimeWindow {
        if (endMinute < startMinute) {
            throw new IllegalArgumentException("a window cannot end before it starts");
        }
    }

    /**
     * The window of the given length ending at the given instant.
     *
     * @param endMicros the exclusive end, epoch microseconds; rounded down to the minute
     * @param hours the length in hours; must be positive and finite
     * @return the window
     * @throws IllegalArgumentException if {@code hours} is not a positive number of at most {@link #MAX_HOURS}
     */
    public static TimeWindow ending(long endMicros, double hours) {
        if (!(hours > 0) || Double.isInfinite(hours) || hours > MAX_HOURS) {
            throw new IllegalArgumentException(
                    "window hours must be a positive number of at most " + (long) MAX_HOURS + ", got " + hours);
        }
        long end = Timestamps.minuteOf(endMicros);
        long lengthMicros = Math.round(hours * 3600.0 * Timestamps.MICROS_PER_SECOND);
        long start = Timestamps.minuteOf(end * Timestamps.MICROS_PER_MINUTE - lengthMicros);
        return new TimeWindow(start, end);
    }

    /** @return the inclusive start, epoch microseconds */
    public long startMicros() {
        return startMinute * Timestamps.MICROS_PER_MINUTE;
    }

    /** @return the exclusive end, epoch microseconds */
    public long endMicros() {
        return endMinute * Timestamps.MICROS_PER_MINUTE;
    }

    /** @return the inclusive start */
    public Instant start() {
        return Timestamps.toInstant(startMicros());
    }

    /** @return the exclusive end */
    public Instant end() {
        return Timestamps.toInstant(endMicros());
    }

    /**
     * Whether an instant lies in the window.
     *
     * @param micros epoch microseconds
     * @return {@code start <= micros < end}
     */
    public boolean contains(long micros) {
        return micros >= startMicros() && micros < endMicros();
    }

    /** @return the window's length in minutes */
    public long minutes() {
        return endMinute - startMinute;
    }
}
