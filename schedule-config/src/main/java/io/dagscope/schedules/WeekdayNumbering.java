package io.dagscope.schedules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the numbers of a cron expression's day-of-week field are read. Day names ({@code sun..sat}) mean the same
 * day in both numberings.
 */
public enum WeekdayNumbering {

    /** Unix cron: Sunday = 0, Monday = 1, ..., Saturday = 6, and 7 = Sunday again. The default. */
    UNIX(7, "Sunday = 0 or 7"),

    /**
     * The orchestrator's own cron matcher, which compares the field with Python's {@code datetime.weekday()}:
     * Monday = 0, ..., Sunday = 6. In this numbering 7 is out of range.
     */
    SCHEDULER(6, "Monday = 0, the scheduler's numbering");

    private final int maxNumber;
    private final String explanation;

    WeekdayNumbering(int maxNumber, String explanation) {
        this.maxNumber = maxNumber;
        this.explanation = explanation;
    }

    /**
     * Finds a numbering by its name, ignoring case ({@code "unix"}, {@code "scheduler"}).
     *
     * @param name the name, e.g. from a configuration key
     * @return the numbering
     * @throws IllegalArgumentException naming the available values, when the name is unknown
     */
    public static WeekdayNumbering fromName(String name) {
        for (WeekdayNumbering numbering : values()) {
            if (numbering.name().equalsIgnoreCase(name.trim())) {
                return numbering;
            }
        }
        throw new IllegalArgumentException("unknown weekday numbering \"" + name + "\"; available: "
                + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /** The largest number the day-of-week field accepts. */
    int maxNumber() {
        return maxNumber;
    }

    /** A few words for error messages, e.g. "Sunday = 0 or 7". */
    String explanation() {
        return explanation;
    }

    /**
     * Turns a day-of-week number of this numbering into the canonical one used internally (Sunday = 0 ... Saturday =
     * 6).
     */
    int toSundayBased(int number) {
        return this == UNIX ? number % 7 : (number + 1) % 7;
    }

    /** The number of a Sunday-based day in this numbering (never 7). */
    int fromSundayBased(int sundayBased) {
        return this == UNIX ? sundayBased : (sundayBased + 6) % 7;
    }
}
