package io.dagscope.core.event;

import io.dagscope.core.time.Timestamps;

/**
 * The ranges every number of an event must lie in: the event records refuse values outside them, and a decoder
 * skips a line that carries one (docs/events.md, "Numbers and timestamps"). They are wide enough for everything the
 * real orchestrator writes, and narrow enough that no sum, mean or duration the engine computes from events can
 * overflow, whatever an embedding program builds.
 */
public final class EventBounds {

    /** The earliest instant an event may have: 2000-01-01T00:00:00Z (the orchestrator was written in 2025). */
    public static final long EARLIEST_MICROS = 946_684_800_000_000L;

    /** The latest instant an event may have: 9999-12-31T23:59:59.999999Z, the last of four-digit years. */
    public static final long LATEST_MICROS = 253_402_300_799_999_999L;

    /** The largest count or attempt number: {@code task_count}, {@code attempt}, {@code tasks_succeeded/failed}. */
    public static final int MAX_COUNT = 1_000_000;

    /** The longest {@code duration_seconds}: 366 days. */
    public static final double MAX_DURATION_SECONDS = 366 * 86_400.0;

    /**
     * The most negative {@code duration_seconds}: one day. The runner measures durations on the wall clock, which
     * can step back, so a small negative duration is what a real runner may write.
     */
    public static final double MIN_DURATION_SECONDS = -86_400.0;

    private EventBounds() {
    }

    /**
     * @param micros epoch microseconds
     * @return whether an event may have this instant
     */
    public static boolean isTimestamp(long micros) {
        return micros >= EARLIEST_MICROS && micros <= LATEST_MICROS;
    }

    /**
     * @param count a count or attempt number
     * @return whether it is from 0 to {@link #MAX_COUNT}
     */
    public static boolean isCount(double count) {
        return count >= 0 && count <= MAX_COUNT;
    }

    /**
     * @param seconds a duration
     * @return whether it is from {@link #MIN_DURATION_SECONDS} to {@link #MAX_DURATION_SECONDS} (so not NaN)
     */
    public static boolean isDuration(double seconds) {
        return seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS;
    }

    static void requireTimestamp(long micros) {
        if (!isTimestamp(micros)) {
            throw new IllegalArgumentException("an event's timestamp must be from " + Timestamps.format(EARLIEST_MICROS)
                    + " to " + Timestamps.format(LATEST_MICROS) + ", not " + describe(micros));
        }
    }

    /**
     * @param minuteEpoch minutes since the epoch
     * @return whether an event may name this minute (the minute of an instant it may have)
     */
    public static boolean isMinute(long minuteEpoch) {
        return minuteEpoch >= EARLIEST_MICROS / Timestamps.MICROS_PER_MINUTE
                && minuteEpoch <= LATEST_MICROS / Timestamps.MICROS_PER_MINUTE;
    }

    static void requireMinute(Long minuteEpoch) {
        if (minuteEpoch != null && !isMinute(minuteEpoch)) {
            throw new IllegalArgumentException("minute must be from " + Timestamps.format(EARLIEST_MICROS) + " to "
                    + Timestamps.format(LATEST_MICROS) + ", not minute " + minuteEpoch + " since the epoch");
        }
    }

    static void requireCount(Integer count, String field) {
        if (count != null && !isCount(count)) {
            throw new IllegalArgumentException(field + " must be from 0 to " + MAX_COUNT + ", not " + count);
        }
    }

    static void requireDuration(Double seconds) {
        if (seconds != null && !isDuration(seconds)) {
            throw new IllegalArgumentException("duration_seconds must be from " + MIN_DURATION_SECONDS + " to "
                    + MAX_DURATION_SECONDS + ", not " + seconds);
        }
    }

    private static String describe(long micros) {
        return micros == Timestamps.INVALID ? "an invalid timestamp" : micros + " microseconds since the epoch";
    }
}
