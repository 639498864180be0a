package io.dagscope.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bad stretches, decided per UTC day from the seed alone (so they do not depend on what was generated before):
 * incidents, 20 to 75 minutes in which one category's calls fail often and slowly (an outage, a maintenance window,
 * throttling), and scheduler stalls, a few minutes in which no slot is enqueued.
 */
final class Incidents {

    private static final long MICROS_PER_MINUTE = 60_000_000L;
    private static final long MINUTES_PER_DAY = 1440;
    private static final List<Category> AFFECTED = List.of(Category.CRM, Category.WAREHOUSE, Category.LLM,
            Category.GRAPH, Category.ENRICHMENT, Category.MESSAGING, Category.STORAGE, Category.ERP, Category.SOURCE,
            Category.PAYMENTS);

    /** How much an incident slows the calls it hits. */
    static final double SLOWDOWN = 1.8;

    private record Window(long from, long to, Category category) {
    }

    private record Day(List<Window> incidents, List<Window> stalls) {
    }

    private final long seed;
    private final Map<Long, Day> days = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Day> eldest) {
            return size() > 8;
        }
    };

    Incidents(long seed) {
        this.seed = seed;
    }

    /** @return whether an incident hits this category at this instant */
    boolean affects(Category category, long micros) {
        long minute = Math.floorDiv(micros, MICROS_PER_MINUTE);
        long day = Math.floorDiv(minute, MINUTES_PER_DAY);
        return within(day(day).incidents(), minute, category) || within(day(day - 1).incidents(), minute, category);
    }

    /** @return whether the scheduler is stalled in this minute, so that it enqueues nothing */
    boolean stalled(long epochMinute) {
        long day = Math.floorDiv(epochMinute, MINUTES_PER_DAY);
        return within(day(day).stalls(), epochMinute, null) || within(day(day - 1).stalls(), epochMinute, null);
    }

    private static boolean within(List<Window> windows, long minute, Category category) {
        for (Window w : windows) {
            if (minute >= w.from() && minute < w.to() && (category == null || w.category() == category)) {
                return true;
            }
        }
        return false;
    }

    private Day day(long day) {
        Day d = days.get(day);
        if (d == null) {
            d = plan(day);
            days.put(day, d);
        }
        return d;
    }

    private Day plan(long day) {
        Rng rng = Rng.derived(seed, day);
        long first = day * MINUTES_PER_DAY;
        List<Window> incidents = new ArrayList<>();
        int count = rng.between(1, 3);
        for (int i = 0; i < count; i++) {
            long from = first + rng.nextInt((int) MINUTES_PER_DAY);
            incidents.add(new Window(from, from + rng.between(20, 75), rng.pick(AFFECTED)));
        }
        List<Window> stalls = new ArrayList<>();
        int stallCount = (rng.chance(0.6) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
        for (int i = 0; i < stallCount; i++) {
            long from = first + rng.nextInt((int) MINUTES_PER_DAY);
            stalls.add(new Window(from, from + rng.between(2, 9), null));
        }
        return new Day(incidents, stalls);
    }
}
