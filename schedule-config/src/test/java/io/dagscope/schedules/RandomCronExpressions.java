package io.dagscope.schedules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Generates valid cron expressions covering every syntax form: lists, ranges, steps, names, 7 = Sunday. */
final class RandomCronExpressions {

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
        "nov", "dec"};
    private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

    private final Random random;
    private final WeekdayNumbering numbering;

    RandomCronExpressions(long seed, WeekdayNumbering numbering) {
        this.random = new Random(seed);
        this.numbering = numbering;
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
            return "*/" + (1 + random.nextInt(max - min + 2));
        }
        return field(min, max, names, true);
    }

    private String field(int min, int max, String[] names, boolean restricted) {
        int roll = random.nextInt(10);
        if (!restricted && roll < 3) {
            return "*";
        }
        if (!restricted && roll < 5) {
            return "*/" + (1 + random.nextInt(max - min + 3));
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
        int step = 1 + random.nextInt(Math.max(1, high - low + 2));
        switch (random.nextInt(5)) {
            case 0:
                return value(low, min, names) + "-" + value(high, min, names);
            case 1:
                return value(low, min, names) + "-" + value(high, min, names) + "/" + step;
            case 2:
                return value(low, min, names) + "/" + step;
            default:
                return value(a, min, names);
        }
    }

    private String value(int value, int min, String[] names) {
        if (names == null || random.nextBoolean()) {
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
