package io.dagscope.schedules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates valid cron expressions covering every syntax form: lists, ranges, steps, names, 7 = Sunday. A generator
 * made by {@link #readTheSameWayByCronUtils} leaves out the forms that cron-utils reads otherwise than Vixie cron
 * (see {@link CronUtilsComparisonTest}), and only those.
 */
final class RandomCronExpressions {

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
        "nov", "dec"};
    private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

    private final Random random;
    private final WeekdayNumbering numbering;
    private final boolean cronUtilsDialect;

    RandomCronExpressions(long seed, WeekdayNumbering numbering) {
        this(seed, numbering, false);
    }

    private RandomCronExpressions(long seed, WeekdayNumbering numbering, boolean cronUtilsDialect) {
        this.random = new Random(seed);
        this.numbering = numbering;
        this.cronUtilsDialect = cronUtilsDialect;
    }

    /**
     * Expressions that cron-utils reads as Vixie cron does: no step longer than its field's range (cron-utils refuses
     * one), and in Unix numbering no step of 7 or more in the day-of-week field, no {@code 7/n} and no {@code sun}
     * (cron-utils turns every 7 of that field into 0, steps included, and reads {@code sun} as 7 where Vixie cron reads
     * 0). Day fields starting with {@code *} but restricted, such as {@code *}{@code /2}, stay: the comparison picks
     * cron-utils' AND rule for those.
     */
    static RandomCronExpressions readTheSameWayByCronUtils(long seed, WeekdayNumbering numbering) {
        return new RandomCronExpressions(seed, numbering, true);
    }

    String next() {
        return String.join(" ", field(0, 59, null, false), field(0, 23, null, false), dayField(1, 31, null),
                field(1, 12, MONTHS, false), dayField(0, numbering == WeekdayNumbering.UNIX ? 7 : 6, DAYS));
    }

    /** Day fields are unrestricted often, so that both the AND and the OR rule get exercised. */
    private String dayField(int min, int max, String[] names) {
        int roll = random.nextInt(10);
        if (roll < 3) {
            return "*";
        }
        if (roll < 4) {
            return "*/" + step(1 + random.nextInt(max - min + 2), min, max);
        }
        return field(min, max, names, true);
    }

    private String field(int min, int max, String[] names, boolean restricted) {
        int roll = random.nextInt(10);
        if (!restricted && roll < 3) {
            return "*";
        }
        if (!restricted && roll < 5) {
            return "*/" + step(1 + random.nextInt(max - min + 3), min, max);
        }
        int count = 1 + (random.nextInt(3) == 0 ? random.nextInt(3) : 0);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            elements.add(element(min, max, names));
        }
        return String.join(",", elements);
    }

    private String element(int min, int max, String[] names) {
        int a = min + random.nextInt(max - min + 1);
        int b = min + random.nextInt(max - min + 1);
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        int step = step(1 + random.nextInt(Math.max(1, high - low + 2)), min, max);
        switch (random.nextInt(5)) {
            case 0:
                return value(low, min, names) + "-" + value(high, min, names);
            case 1:
                return value(low, min, names) + "-" + value(high, min, names) + "/" + step;
            case 2:
                if (cronUtilsDialect && isUnixDayOfWeek(names) && low == 7) {
                    return value(low, min, names);
                }
                return value(low, min, names) + "/" + step;
            default:
                return value(a, min, names);
        }
    }

    /** A step as drawn, or in cron-utils' dialect at most the field's range (6 for Unix weekdays: 7 would be 0). */
    private int step(int step, int min, int max) {
        if (!cronUtilsDialect) {
            return step;
        }
        return Math.min(step, max == 7 && min == 0 ? 6 : max - min);
    }

    private boolean isUnixDayOfWeek(String[] names) {
        return names == DAYS && numbering == WeekdayNumbering.UNIX;
    }

    private String value(int value, int min, String[] names) {
        if (names == null || random.nextBoolean() || cronUtilsDialect && isUnixDayOfWeek(names) && value == 0) {
            return Integer.toString(value);
        }
        String name;
        if (names == MONTHS) {
            name = names[value - 1];
        } else if (value == 7) {
            return "7"; // only a number can be 7 = Sunday
        } else {
            name = names[numbering == WeekdayNumbering.UNIX ? value : (value + 1) % 7];
        }
        switch (random.nextInt(3)) {
            case 0:
                return name.toUpperCase(Locale.ROOT);
            case 1:
                return Character.toUpperCase(name.charAt(0)) + name.substring(1);
            default:
                return name;
        }
    }
}
