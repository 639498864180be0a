package io.dagscope.schedules;

/**
 * Calendar arithmetic on minutes since the epoch (UTC, proleptic Gregorian), without allocation and for every
 * {@code long}. Uses Howard Hinnant's days-to-civil algorithm.
 */
final class CivilTime {

    static final int MINUTES_PER_DAY = 1440;

    private CivilTime() {
    }

    /** The day (since 1970-01-01) that contains a minute. */
    static long epochDay(long epochMinute) {
        return Math.floorDiv(epochMinute, MINUTES_PER_DAY);
    }

    /** The minute of the day, 0-1439. */
    static int minuteOfDay(long epochMinute) {
        return Math.floorMod(epochMinute, MINUTES_PER_DAY);
    }

    /** Day of week, Sunday = 0 ... Saturday = 6 (1970-01-01 was a Thursday). */
    static int dayOfWeek(long epochDay) {
        return Math.floorMod(epochDay + 4, 7);
    }

    /**
     * Month and day of month of an epoch day, packed as {@code month * 32 + dayOfMonth} (month 1-12, day 1-31).
     */
    static int monthAndDay(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        return month * 32 + day;
    }

    /** Number of days in the month that contains an epoch day. */
    static int lengthOfMonth(long epochDay) {
        int packed = monthAndDay(epochDay);
        int month = packed >>> 5;
        if (month != 2) {
            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }
        // February: the month has 29 days if the day after its 28th is still February.
        long feb28 = epochDay - (packed & 31) + 28;
        return (monthAndDay(feb28 + 1) >>> 5) == 2 ? 29 : 28;
    }
}
