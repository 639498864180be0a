package io.dagscope.schedules;

import io.dagscope.core.port.out.CronSchedule;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed 5-field cron expression with Vixie cron semantics, evaluated in UTC. Each field is a bitset, so
 * {@link #matches(long)} is a handful of bit tests, and {@link #nextAfter(long)} skips whole months, days and hours
 * that cannot match.
 */
final class CronExpression implements CronSchedule {

    /**
     * How far {@link #nextAfter(long)} looks ahead, in days: 28 years. Calendar patterns of day, month and weekday
     * repeat within that (the weekdays of the Gregorian calendar repeat every 28 years between skipped leap years),
     * so a schedule that does not fire within it is impossible in practice, such as February 30th; while a rare but
     * real one, such as February 29th seen from 2096 (next: 2104), is still found.
     */
    static final int HORIZON_DAYS = 28 * 366;

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * sun",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private static final String FIELD_NAMES = "minute hour day-of-month month day-of-week";

    private final String text;
    private final WeekdayNumbering numbering;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    /** Sunday = bit 0, whatever the numbering of the text. */
    private final long daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;
    /** The five fields as written (a macro's expansion for a macro). */
    private final String[] fields;

    private CronExpression(String text, WeekdayNumbering numbering, long[] bits, String[] fields) {
        this.text = text;
        this.fields = fields;
        this.numbering = numbering;
        this.minutes = bits[0];
        this.hours = bits[1];
        this.daysOfMonth = bits[2];
        this.months = bits[3];
        this.daysOfWeek = bits[4];
        this.dayOfMonthStar = fields[2].startsWith("*");
        this.dayOfWeekStar = fields[4].startsWith("*");
    }

    /**
     * Parses an expression: five whitespace-separated fields, or one of the macros ({@code @yearly}, {@code @daily},
     * ...). Macros name their days, so {@code @weekly} is Sunday midnight in every numbering.
     *
     * @throws IllegalArgumentException naming the expression, the field and the bad value
     */
    static CronExpression parse(String expression, WeekdayNumbering numbering) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(numbering, "numbering");
        String trimmed = expression.strip();
        String source = trimmed;
        if (trimmed.startsWith("@")) {
            source = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (source == null) {
                throw invalid(expression, "unknown macro; expected one of @yearly, @annually, @monthly, @weekly, "
                        + "@daily, @midnight, @hourly");
            }
        }
        String[] fields = source.isEmpty() ? new String[0] : source.split("\\s+");
        if (fields.length != 5) {
            throw invalid(expression, "expected 5 fields (" + FIELD_NAMES + ") but found " + fields.length);
        }
        CronField[] kinds = CronField.values();
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) {
            try {
                bits[i] = kinds[i].parse(fields[i], numbering);
            } catch (CronField.CronFieldException e) {
                throw invalid(expression, kinds[i].label() + " field: " + e.getMessage());
            }
        }
        long sundayBased = 0;
        for (int number = 0; number <= numbering.maxNumber(); number++) {
            if ((bits[4] >>> number & 1) != 0) {
                sundayBased |= 1L << numbering.toSundayBased(number);
            }
        }
        bits[4] = sundayBased;
        return new CronExpression(trimmed, numbering, bits, fields);
    }

    private static IllegalArgumentException invalid(String expression, String message) {
        return new IllegalArgumentException("cron \"" + expression + "\": " + message);
    }

    @Override
    public boolean matches(long epochMinute) {
        int minuteOfDay = CivilTime.minuteOfDay(epochMinute);
        if (!has(minutes, minuteOfDay % 60) || !has(hours, minuteOfDay / 60)) {
            return false;
        }
        long day = CivilTime.epochDay(epochMinute);
        int monthAndDay = CivilTime.monthAndDay(day);
        return has(months, monthAndDay >>> 5) && dayMatches(day, monthAndDay);
    }

    @Override
    public long nextAfter(long epochMinute) {
        if (epochMinute >= Long.MAX_VALUE - 1) {
            return NEVER;
        }
        long start = epochMinute + 1;
        long day = CivilTime.epochDay(start);
        int fromMinuteOfDay = CivilTime.minuteOfDay(start);
        // Stop a day short of the last whole day a long can hold, so that day * 1440 + minute cannot overflow.
        long lastDay = Math.min(day + HORIZON_DAYS, Long.MAX_VALUE / CivilTime.MINUTES_PER_DAY - 1);
        while (day <= lastDay) {
            int monthAndDay = CivilTime.monthAndDay(day);
            int dayOfMonth = monthAndDay & 31;
            if (!has(months, monthAndDay >>> 5)) {
                day += CivilTime.lengthOfMonth(day) - dayOfMonth + 1;
                fromMinuteOfDay = 0;
                continue;
            }
            if (dayMatches(day, monthAndDay)) {
                int minuteOfDay = firstTimeFrom(fromMinuteOfDay);
                if (minuteOfDay >= 0) {
                    return day * CivilTime.MINUTES_PER_DAY + minuteOfDay;
                }
            }
            day++;
            fromMinuteOfDay = 0;
        }
        return NEVER;
    }

    /** Vixie cron: when both day fields are restricted, either may match; otherwise both must. */
    private boolean dayMatches(long day, int monthAndDay) {
        boolean dayOfMonth = has(daysOfMonth, monthAndDay & 31);
        boolean dayOfWeek = has(daysOfWeek, CivilTime.dayOfWeek(day));
        return dayOfMonthStar || dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    /** The first matching minute of a day at or after the given minute of the day, or -1. */
    private int firstTimeFrom(int minuteOfDay) {
        int hour = minuteOfDay / 60;
        if (has(hours, hour)) {
            int minute = nextBit(minutes, minuteOfDay % 60);
            if (minute >= 0) {
                return hour * 60 + minute;
            }
        }
        int nextHour = nextBit(hours, hour + 1);
        return nextHour < 0 ? -1 : nextHour * 60 + Long.numberOfTrailingZeros(minutes);
    }

    private static boolean has(long bits, int value) {
        return (bits >>> value & 1) != 0;
    }

    private static int nextBit(long bits, int from) {
        if (from >= 64) {
            return -1;
        }
        long rest = bits & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }

    /** The expression as written (trimmed). */
    String text() {
        return text;
    }

    /** The numbering the day-of-week field was read with. */
    WeekdayNumbering numbering() {
        return numbering;
    }

    /** The text of one field as written. */
    String field(CronField field) {
        return fields[field.ordinal()];
    }

    long minutes() {
        return minutes;
    }

    long hours() {
        return hours;
    }

    long daysOfMonth() {
        return daysOfMonth;
    }

    long months() {
        return months;
    }

    /** Sunday = bit 0 ... Saturday = bit 6. */
    long daysOfWeek() {
        return daysOfWeek;
    }

    /** Whether the day-of-month field starts with {@code *} (Vixie's test for "unrestricted"). */
    boolean dayOfMonthStar() {
        return dayOfMonthStar;
    }

    /** Whether the day-of-week field starts with {@code *}. */
    boolean dayOfWeekStar() {
        return dayOfWeekStar;
    }

    @Override
    public String toString() {
        return text + (numbering == WeekdayNumbering.UNIX ? "" : " (weekdays: " + numbering.explanation() + ")");
    }

    @Override
    public java.util.Optional<String> description() {
        return java.util.Optional.of(CronDescriptions.describe(text, numbering));
    }
}
