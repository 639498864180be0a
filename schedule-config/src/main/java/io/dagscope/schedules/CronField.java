package io.dagscope.schedules;

import java.util.List;
import java.util.Locale;

/** The five fields of a cron expression, with their ranges and names, and the parsing of one field's text. */
enum CronField {
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH("month", 1, 12,
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    DAY_OF_WEEK("day-of-week", 0, 7, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat"));

    private final String label;
    private final int min;
    private final int max;
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    /** The field's name in messages, e.g. "day-of-month". */
    String label() {
        return label;
    }

    /**
     * Parses one field into a bitset of the values it allows, in the field's own numbering (bit {@code v} set when
     * value {@code v} matches; day-of-week values are those of {@code numbering}).
     *
     * @throws CronFieldException saying what is wrong, without the expression or the field's name
     */
    long parse(String text, WeekdayNumbering numbering) {
        int maxValue = this == DAY_OF_WEEK ? numbering.maxNumber() : max;
        long bits = 0;
        for (String element : text.split(",", -1)) {
            if (element.isEmpty()) {
                throw new CronFieldException("empty element in list \"" + text + "\"");
            }
            bits |= parseElement(element, maxValue, numbering);
        }
        return bits;
    }

    private long parseElement(String element, int maxValue, WeekdayNumbering numbering) {
        int slash = element.indexOf('/');
        String base = slash < 0 ? element : element.substring(0, slash);
        int step = slash < 0 ? 1 : parseStep(element.substring(slash + 1), element);
        int low;
        int high;
        if (base.equals("*")) {
            low = min;
            high = maxValue;
        } else if (base.indexOf('-') > 0) {
            int dash = base.indexOf('-');
            low = parseValue(base.substring(0, dash), element, maxValue, numbering);
            high = parseValue(base.substring(dash + 1), element, maxValue, numbering);
            if (low > high) {
                String hint = this == DAY_OF_WEEK && numbering == WeekdayNumbering.UNIX && high == 0
                        ? "; Sunday is also 7, so write " + low + "-7" : "";
                throw new CronFieldException("range \"" + base + "\" goes backwards (" + low + " > " + high + ")"
                        + hint);
            }
        } else {
            low = parseValue(base, element, maxValue, numbering);
            high = slash < 0 ? low : maxValue;
        }
        long bits = 0;
        for (int value = low; value <= high; value += step) {
            bits |= 1L << value;
        }
        return bits;
    }

    private static int parseStep(String text, String element) {
        if (text.isEmpty() || !text.chars().allMatch(CronField::isAsciiDigit)) {
            throw new CronFieldException("step \"" + text + "\" is not a number (in \"" + element + "\")");
        }
        // A step longer than any range selects only the first value; clamping keeps the int from overflowing.
        int step = Math.min(number(text), 10_000);
        if (step < 1) {
            throw new CronFieldException("step must be at least 1 (in \"" + element + "\")");
        }
        return step;
    }

    private int parseValue(String text, String element, int maxValue, WeekdayNumbering numbering) {
        if (text.isEmpty()) {
            throw new CronFieldException("missing value in \"" + element + "\"");
        }
        int value;
        if (text.chars().allMatch(CronField::isAsciiDigit)) {
            value = number(text);
            if (value < min || value > maxValue) {
                String explanation = this == DAY_OF_WEEK ? " (" + numbering.explanation() + ")" : "";
                throw new CronFieldException(text + " is out of range " + min + "-" + maxValue + explanation);
            }
            return value;
        }
        int index = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (index < 0) {
            String expected = names.isEmpty() ? "a number"
                    : "a number or a " + (this == MONTH ? "month" : "day") + " name (" + names.get(0) + "-"
                            + names.get(names.size() - 1) + ")";
            throw new CronFieldException("\"" + text + "\" is not " + expected);
        }
        return this == MONTH ? index + 1 : numbering.fromSundayBased(index);
    }

    /** The value of ASCII digits, leading zeros and all; {@code Integer.MAX_VALUE} for a larger one. */
    private static int number(String digits) {
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        return digits.length() - first > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits.substring(first));
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** A problem in one field's text; {@link CronExpression} adds the expression and the field's name. */
    static final class CronFieldException extends RuntimeException {
        CronFieldException(String message) {
            super(message, null, false, false);
        }
    }
}
