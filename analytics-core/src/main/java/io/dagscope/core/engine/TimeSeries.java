package io.dagscope.core.engine;

import io.dagscope.core.time.TimeWindow;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Partial aggregates of one series by minute, rolled up by hour and by day, plus an all-time total. A window of
 * whole minutes is answered exactly from at most ~118 minute cells, ~46 hour cells and the days between.
 */
final class TimeSeries<C> {

    private static final long MINUTES_PER_HOUR = 60;
    private static final long MINUTES_PER_DAY = 1440;

    private final Supplier<C> factory;
    private final C allTime;
    private final LongMap<C> minutes = new LongMap<>();
    private final LongMap<C> hours = new LongMap<>();
    private final LongMap<C> days = new LongMap<>();

    TimeSeries(Supplier<C> factory) {
        this.factory = factory;
        this.allTime = factory.get();
    }

    /** Applies an update to every level that covers the minute. */
    void update(long minute, Consumer<C> update) {
        update.accept(allTime);
        update.accept(cell(minutes, minute));
        update.accept(cell(hours, Math.floorDiv(minute, MINUTES_PER_HOUR)));
        update.accept(cell(days, Math.floorDiv(minute, MINUTES_PER_DAY)));
    }

    /** The cell of each level that covers the minute, created when missing: all time, minute, hour, day. */
    void cellsAt(long minute, Object[] into) {
        into[0] = allTime;
        into[1] = cell(minutes, minute);
        into[2] = cell(hours, Math.floorDiv(minute, MINUTES_PER_HOUR));
        into[3] = cell(days, Math.floorDiv(minute, MINUTES_PER_DAY));
    }

    private C cell(LongMap<C> level, long key) {
        C c = level.get(key);
        if (c == null) {
            c = factory.get();
            level.put(key, c);
        }
        return c;
    }

    C allTime() {
        return allTime;
    }

    /** Visits the fewest cells that exactly cover the window. */
    void forEachIn(TimeWindow window, Consumer<C> visitor) {
        long cur = window.startMinute();
        long end = window.endMinute();
        while (cur < end) {
            C c;
            if (Math.floorMod(cur, MINUTES_PER_DAY) == 0 && cur + MINUTES_PER_DAY <= end) {
                c = days.get(Math.floorDiv(cur, MINUTES_PER_DAY));
                cur += MINUTES_PER_DAY;
            } else if (Math.floorMod(cur, MINUTES_PER_HOUR) == 0 && cur + MINUTES_PER_HOUR <= end) {
                c = hours.get(Math.floorDiv(cur, MINUTES_PER_HOUR));
                cur += MINUTES_PER_HOUR;
            } else {
                c = minutes.get(cur);
                cur += 1;
            }
            if (c != null) {
                visitor.accept(c);
            }
        }
    }

    /** @return the number of cells kept, over every level */
    int cells() {
        return minutes.size() + hours.size() + days.size() + 1;
    }
}
