package io.dagscope.schedules;

import io.dagscope.core.port.out.CronSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Cron expressions in a few English words, for the dashboard: {@code *}{@code /5 * * * *} is "every 5 minutes",
 * {@code 30 2 * * *} is "every day at 02:30 UTC", {@code 15 * * * 1-5} is "at :15 past every hour, Monday to
 * Friday". Shapes without a plain phrasing get a literal one that still says exactly when the expression fires, such
 * as "at minute 0,30 of hours 9-17 on days 1,15". Times are UTC, as the expressions are.
 */
public final class CronDescriptions {

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    /** Monday first, the order in which people list weekdays. */
    private static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};

    private CronDescriptions() {
    }

    /**
     * Describes an expression read with Unix weekday numbering.
     *
     * @param cron a cron expression, as {@link CronParsers#unix()} accepts it
     * @return a short English description
     * @throws IllegalArgumentException with the parser's message, if the expression is not valid
     */
    public static String describe(String cron) {
        return describe(cron, WeekdayNumbering.UNIX);
    }

    /**
     * Describes an expression whose day-of-week numbers are read in the given numbering. The description names
     * weekdays, so {@code 0 9 * * 0} is "every Sunday at 09:00 UTC" in {@link WeekdayNumbering#UNIX} and "every
     * Monday at 09:00 UTC" in {@link WeekdayNumbering#SCHEDULER}.
     *
     * @param cron a cron expression
     * @param numbering how its day-of-week numbers are read
     * @return a short English description
     * @throws IllegalArgumentException with the parser's message, if the expression is not valid
     */
    public static String describe(String cron, WeekdayNumbering numbering) {
        CronExpression expression = CronExpression.parse(cron, numbering);
        String description = new Shape(expression).describe();
        return expression.nextAfter(0) == CronSchedule.NEVER ? description + ", which never occurs" : description;
    }

    /** The expression's fields as sorted values, and which of them restrict the days on which it fires. */
    private static final class Shape {
        final int[] minutes;
        final int[] hours;
        final int[] daysOfMonth;
        final int[] months;
        /** 0 = Monday ... 6 = Sunday. */
        final int[] weekdays;
        final boolean bothDayFieldsRequired;
        final boolean dayOfMonthRestricts;
        final boolean weekdayRestricts;
        final boolean monthRestricts;
        /** Whether the minute and hour fields were written with a step: "every 15 minutes" is how they think. */
        final boolean minutesStepped;
        final boolean hoursStepped;

        Shape(CronExpression expression) {
            minutesStepped = expression.field(CronField.MINUTE).contains("/");
            hoursStepped = expression.field(CronField.HOUR).contains("/");
            minutes = values(expression.minutes(), 0, 59);
            hours = values(expression.hours(), 0, 23);
            daysOfMonth = values(expression.daysOfMonth(), 1, 31);
            months = values(expression.months(), 1, 12);
            long sundayBased = expression.daysOfWeek();
            long mondayBased = (sundayBased >>> 1) | ((sundayBased & 1) << 6);
            weekdays = values(mondayBased, 0, 6);
            bothDayFieldsRequired = expression.dayOfMonthStar() || expression.dayOfWeekStar();
            boolean allDaysOfMonth = daysOfMonth.length == 31;
            boolean allWeekdays = weekdays.length == 7;
            if (bothDayFieldsRequired) {
                dayOfMonthRestricts = !allDaysOfMonth;
                weekdayRestricts = !allWeekdays;
            } else {
                // Either field may match: if one allows every day, so does the expression.
                dayOfMonthRestricts = !allDaysOfMonth && !allWeekdays;
                weekdayRestricts = dayOfMonthRestricts;
            }
            monthRestricts = months.length < 12;
        }

        boolean restrictsDays() {
            return dayOfMonthRestricts || weekdayRestricts || monthRestricts;
        }

        String describe() {
            boolean allHours = hours.length == 24;
            if (!allHours && minutes.length * hours.length <= 4) {
                return atClockTimes();
            }
            String time = timeWithinDay(allHours);
            if (time == null) {
                return literal();
            }
            String days = days();
            return days.isEmpty() ? time : time + ", " + days;
        }

        /** A few times of day: "every day at 02:30 UTC", "every Monday at 09:00 UTC", "at 09:00 UTC, on ...". */
        private String atClockTimes() {
            List<String> times = new ArrayList<>();
            for (int hour : hours) {
                for (int minute : minutes) {
                    times.add(twoDigits(hour) + ":" + twoDigits(minute));
                }
            }
            String at = "at " + andList(times) + " UTC";
            if (!restrictsDays()) {
                return "every day " + at;
            }
            if (!dayOfMonthRestricts && !weekdayRestricts) {
                return "every day " + at + " " + days();
            }
            boolean oneDayOfMonth = dayOfMonthRestricts && !weekdayRestricts && daysOfMonth.length == 1;
            if (weekdayRestricts && !dayOfMonthRestricts && !monthRestricts && weekdays.length == 1) {
                return "every " + WEEKDAYS[weekdays[0]] + " " + at;
            }
            if (oneDayOfMonth && !monthRestricts) {
                return "on day " + daysOfMonth[0] + " of every month " + at;
            }
            if (oneDayOfMonth && months.length == 1) {
                return "every year on " + MONTHS[months[0] - 1] + " " + daysOfMonth[0] + " " + at;
            }
            return at + ", " + days();
        }

        /** The part of the phrase about minutes and hours, or null when only the literal form says it well. */
        private String timeWithinDay(boolean allHours) {
            boolean allMinutes = minutes.length == 60;
            int minuteStep = minutesStepped ? stepFromZero(minutes, 60) : 0;
            if (allHours) {
                if (allMinutes) {
                    return "every minute";
                }
                if (minuteStep > 1) {
                    return "every " + minuteStep + " minutes";
                }
                if (minutes.length <= 4) {
                    String past = andList(minutesPastTheHour());
                    return restrictsDays() ? "at " + past + " past every hour" : "every hour at " + past;
                }
                return null;
            }
            int hourStep = hoursStepped ? stepFromZero(hours, 24) : 0;
            if (hourStep > 1 && minutes.length == 1) {
                return "every " + hourStep + " hours at :" + twoDigits(minutes[0]);
            }
            if (!isContiguous(hours)) {
                return null;
            }
            int first = hours[0];
            int last = hours[hours.length - 1];
            if (minutes.length == 1) {
                return "every hour from " + twoDigits(first) + ":" + twoDigits(minutes[0]) + " to " + twoDigits(last)
                        + ":" + twoDigits(minutes[0]) + " UTC";
            }
            if (allMinutes || minuteStep > 1) {
                String every = allMinutes ? "every minute" : "every " + minuteStep + " minutes";
                return every + " from " + twoDigits(first) + ":00 to " + twoDigits(last) + ":"
                        + twoDigits(minutes[minutes.length - 1]) + " UTC";
            }
            return null;
        }

        private List<String> minutesPastTheHour() {
            List<String> past = new ArrayList<>();
            for (int minute : minutes) {
                past.add(":" + twoDigits(minute));
            }
            return past;
        }

        /** "Monday to Friday", "on day 1 of the month", "in January", or "" when it fires every day. */
        private String days() {
            String monthsText = monthRestricts ? runs(months, m -> MONTHS[m - 1], " to ", true) : null;
            String dayOfMonthText = daysOfMonth.length == 1 ? "day " + daysOfMonth[0]
                    : "days " + runs(daysOfMonth, Integer::toString, " to ", true);
            String weekdayText = weekdays.length == 1 ? "on " + WEEKDAYS[weekdays[0]] + "s"
                    : weekdays.length >= 3 && isContiguous(weekdays)
                            ? WEEKDAYS[weekdays[0]] + " to " + WEEKDAYS[weekdays[weekdays.length - 1]]
                            : "on " + runs(weekdays, d -> WEEKDAYS[d], " to ", true);
            String inMonths = monthsText == null ? "" : " in " + monthsText;
            if (dayOfMonthRestricts && weekdayRestricts) {
                return bothDayFieldsRequired
                        ? weekdayText + " that fall on " + dayOfMonthText + " of "
                                + (monthsText == null ? "the month" : monthsText)
                        : "on " + dayOfMonthText + " of the month or " + weekdayText
                                + (monthsText == null ? "" : ", in " + monthsText);
            }
            if (dayOfMonthRestricts) {
                return "on " + dayOfMonthText + " of " + (monthsText == null ? "the month" : monthsText);
            }
            if (weekdayRestricts) {
                return weekdayText + inMonths;
            }
            return monthsText == null ? "" : "in " + monthsText;
        }

        /** Says exactly what the fields say: "at minute 0,30 of hours 9-17 on days 1,15". */
        private String literal() {
            StringBuilder text = new StringBuilder();
            if (minutes.length == 60) {
                text.append("every minute");
            } else {
                text.append("at minute ").append(runs(minutes, Integer::toString, "-", false));
            }
            if (hours.length == 24) {
                text.append(minutes.length == 60 ? "" : " of every hour");
            } else {
                text.append(" of hour").append(hours.length == 1 ? " " : "s ")
                        .append(runs(hours, Integer::toString, "-", false));
            }
            String weekdayText = "on " + runs(weekdays, d -> WEEKDAYS[d], "-", false);
            String dayOfMonthText = "on day" + (daysOfMonth.length == 1 ? " " : "s ")
                    + runs(daysOfMonth, Integer::toString, "-", false);
            if (dayOfMonthRestricts && weekdayRestricts) {
                text.append(' ').append(dayOfMonthText).append(bothDayFieldsRequired ? " if " : " or ")
                        .append(weekdayText);
            } else if (dayOfMonthRestricts) {
                text.append(' ').append(dayOfMonthText);
            } else if (weekdayRestricts) {
                text.append(' ').append(weekdayText);
            }
            if (monthRestricts) {
                text.append(" in ").append(runs(months, m -> MONTHS[m - 1], "-", false));
            }
            return text.toString();
        }
    }

    private static int[] values(long bits, int min, int max) {
        int[] values = new int[Long.bitCount(bits >>> min & (-1L >>> (63 - (max - min))))];
        int i = 0;
        for (int value = min; value <= max; value++) {
            if ((bits >>> value & 1) != 0) {
                values[i++] = value;
            }
        }
        return values;
    }

    /** The step {@code s > 1} if the values are exactly 0, s, 2s, ... and s divides the cycle; else 0. */
    private static int stepFromZero(int[] values, int cycle) {
        if (values.length < 2 || values[0] != 0) {
            return 0;
        }
        int step = values[1];
        if (cycle % step != 0 || values.length != cycle / step) {
            return 0;
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] != i * step) {
                return 0;
            }
        }
        return step;
    }

    private static boolean isContiguous(int[] values) {
        return values[values.length - 1] - values[0] == values.length - 1;
    }

    /**
     * Values with runs of three or more shortened to "first{rangeWord}last": "1-5,10" or, in prose, "1 to 5 and
     * 10" (a long prose list is written as a plain one).
     */
    private static String runs(int[] values, IntFunction<String> name, String rangeWord, boolean prose) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < values.length) {
            int end = start;
            while (end + 1 < values.length && values[end + 1] == values[end] + 1) {
                end++;
            }
            if (end - start >= 2) {
                parts.add(name.apply(values[start]) + rangeWord + name.apply(values[end]));
            } else {
                for (int i = start; i <= end; i++) {
                    parts.add(name.apply(values[i]));
                }
            }
            start = end + 1;
        }
        return prose && parts.size() <= 5 ? andList(parts) : String.join(",", parts);
    }

    /** "a", "a and b", "a, b and c". */
    private static String andList(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
