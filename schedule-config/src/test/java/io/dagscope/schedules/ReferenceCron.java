package io.dagscope.schedules;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately naive cron evaluator for tests: no bitsets, no shortcuts, java.time for the calendar. Each field
 * is kept as a list of (low, high, step) elements and checked one by one. Valid expressions only.
 */
final class ReferenceCron {

    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * sun", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private record Element(int low, int high, int step) {
        boolean allows(int value) {
            return value >= low && value <= high && (value - low) % step == 0;
        }
    }

    private final WeekdayNumbering numbering;
    private final List<List<Element>> fields = new ArrayList<>();
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    ReferenceCron(String expression, WeekdayNumbering numbering) {
        this.numbering = numbering;
        String text = expression.strip();
        text = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        String[] parts = text.split("\\s+");
        int[] mins = {0, 0, 1, 1, 0};
        int[] maxs = {59, 23, 31, 12, numbering == WeekdayNumbering.UNIX ? 7 : 6};
        for (int i = 0; i < 5; i++) {
            List<Element> elements = new ArrayList<>();
            for (String element : parts[i].split(",")) {
                String[] baseAndStep = element.split("/");
                // a step longer than any range selects the first value only, however many digits it has
                int step = baseAndStep.length > 1
                        ? new java.math.BigInteger(baseAndStep[1]).min(java.math.BigInteger.valueOf(100)).intValueExact()
                        : 1;
                String base = baseAndStep[0];
                if (base.equals("*")) {
                    elements.add(new Element(mins[i], maxs[i], step));
                } else if (base.contains("-")) {
                    String[] ends = base.split("-");
                    elements.add(new Element(value(i, ends[0]), value(i, ends[1]), step));
                } else {
                    int value = value(i, base);
                    elements.add(new Element(value, baseAndStep.length > 1 ? maxs[i] : value, step));
                }
            }
            fields.add(elements);
        }
        dayOfMonthStar = parts[2].startsWith("*");
        dayOfWeekStar = parts[4].startsWith("*");
    }

    private int value(int field, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (field == 3 && MONTHS.contains(lower)) {
            return MONTHS.indexOf(lower) + 1;
        }
        if (field == 4 && DAYS.contains(lower)) {
            int sundayBased = DAYS.indexOf(lower);
            return numbering == WeekdayNumbering.UNIX ? sundayBased : (sundayBased + 6) % 7;
        }
        return Integer.parseInt(text);
    }

    private boolean field(int index, int value) {
        for (Element element : fields.get(index)) {
            if (element.allows(value)) {
                return true;
            }
        }
        return false;
    }

    boolean matches(long epochMinute) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochMinute * 60, 0, ZoneOffset.UTC);
        if (!field(0, t.getMinute()) || !field(1, t.getHour()) || !field(3, t.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = field(2, t.getDayOfMonth());
        boolean dayOfWeek;
        if (numbering == WeekdayNumbering.UNIX) {
            int sundayBased = t.getDayOfWeek().getValue() % 7;
            dayOfWeek = field(4, sundayBased) || (sundayBased == 0 && field(4, 7));
        } else {
            dayOfWeek = field(4, t.getDayOfWeek().getValue() - 1); // Python's weekday(): Monday = 0
        }
        return dayOfMonthStar || dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    /** Scans minute by minute; {@code Long.MAX_VALUE} when nothing matches within {@code limitMinutes}. */
    long scanNextAfter(long epochMinute, long limitMinutes) {
        for (long m = epochMinute + 1; m <= epochMinute + limitMinutes; m++) {
            if (matches(m)) {
                return m;
            }
        }
        return Long.MAX_VALUE;
    }
}
