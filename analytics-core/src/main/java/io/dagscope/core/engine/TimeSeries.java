package io.dagscope.core.engine;

import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.time.TimeWindow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Partial aggregates of one series by minute, rolled up by hour and by day, plus an all-time total. A window of
 * whole minutes is answered exactly from at most ~118 minute cells, ~46 hour cells and the days between.
 *
 * <p><b>Sealed days.</b> The minute, hour and day cells of a day before the {@link Sealing#before sealing horizon}
 * are kept {@link #sealBefore sealed}: written with {@link CellCodec} into one block per day in the engine's
 * {@link HistoryStore} (a few bytes a cell instead of a few hundred for live objects; off the heap with a file
 * store), so that the heap holds 8 bytes a day of history per series. A window's sum reads sealed cells straight
 * from their bytes into the sum (exactly: the codec writes every counter and every sketch bucket); writing to a
 * sealed day first unseals the whole day into live cells again, until the next sealing pass. A day is either wholly
 * live or wholly sealed. The all-time cell is always live.
 *
 * <p>Block layout of a sealed day: 25 big-endian {@code int} offsets (-1 for none): the 24 hours' sections, then the
 * day cell. At an hour's offset: the hour's cell (preceded by a presence byte), the number of its minute cells, and
 * each minute cell preceded by its minute of the hour.
 */
final class TimeSeries<C> {

    private static final long MINUTES_PER_HOUR = 60;
    private static final long MINUTES_PER_DAY = 1440;
    private static final int HOURS_PER_DAY = 24;
    /** The header slot of the day cell's offset. */
    private static final int DAY_SLOT = HOURS_PER_DAY;

    /**
     * What every series of an engine shares about sealing: the horizon (days before it may be sealed) and whether
     * writes reached behind it since the last pass.
     */
    static final class Sealing {

        /** Days before this one may be sealed; only ever moves forward. */
        long before = Long.MIN_VALUE;
        /** Writes to days behind the horizon since the last pass (they may have unsealed or created live cells). */
        long lateWrites;
        final Bytes.Writer writer = new Bytes.Writer();
        /** Where sealed days go. */
        final HistoryStore store;

        Sealing(HistoryStore store) {
            this.store = store;
        }
    }

    private final Supplier<C> factory;
    private final CellCodec<C> codec;
    private final Sealing sealing;
    private C allTime;
    private final LongMap<C> minutes = new LongMap<>();
    private final LongMap<C> hours = new LongMap<>();
    private final LongMap<C> days = new LongMap<>();
    /** Sealed days' blocks by day number. */
    private final DayHandles sealed = new DayHandles();
    /** Minute, hour and day cells inside the sealed blocks. */
    private int sealedCells;
    /** The sealed blocks' bytes. */
    private long sealedBytes;
    /** The oldest day with live minute, hour or day cells (Long.MAX_VALUE when none), so that a pass can skip. */
    private long oldestLiveDay = Long.MAX_VALUE;

    TimeSeries(Supplier<C> factory, CellCodec<C> codec, Sealing sealing) {
        this.factory = factory;
        this.codec = codec;
        this.sealing = sealing;
        this.allTime = factory.get();
    }

    /** Applies an update to every level that covers the minute. */
    void update(long minute, Consumer<C> update) {
        long day = liveDay(minute);
        update.accept(allTime);
        update.accept(cell(minutes, minute, day));
        update.accept(cell(hours, Math.floorDiv(minute, MINUTES_PER_HOUR), day));
        update.accept(cell(days, day, day));
    }

    /** The cell of each level that covers the minute, created when missing: all time, minute, hour, day. */
    void cellsAt(long minute, Object[] into) {
        long day = liveDay(minute);
        into[0] = allTime;
        into[1] = cell(minutes, minute, day);
        into[2] = cell(hours, Math.floorDiv(minute, MINUTES_PER_HOUR), day);
        into[3] = cell(days, day, day);
    }

    /** The minute's day, unsealed first when it was sealed. */
    private long liveDay(long minute) {
        long day = Math.floorDiv(minute, MINUTES_PER_DAY);
        if (day < sealing.before) {
            sealing.lateWrites++;
            if (sealed.count() > 0) {
                long handle = sealed.get(day);
                if (handle != 0) {
                    unseal(day, handle);
                }
            }
        }
        return day;
    }

    private C cell(LongMap<C> level, long key, long day) {
        C c = level.get(key);
        if (c == null) {
            c = factory.get();
            level.put(key, c);
            if (day < oldestLiveDay) {
                oldestLiveDay = day;
            }
        }
        return c;
    }

    C allTime() {
        return allTime;
    }

    /** Whether the series adds nothing to any figure: every contribution it had was taken back (moved away). */
    boolean isEmpty() {
        return codec.isEmpty(allTime);
    }

    /** Adds to {@code target} the fewest cells that exactly cover the window (sealed ones straight from their bytes). */
    void sumIn(TimeWindow window, C target) {
        long cur = window.startMinute();
        long end = window.endMinute();
        while (cur < end) {
            if (Math.floorMod(cur, MINUTES_PER_DAY) == 0 && cur + MINUTES_PER_DAY <= end) {
                long day = Math.floorDiv(cur, MINUTES_PER_DAY);
                C c = days.get(day);
                if (c != null) {
                    codec.merge(c, target);
                } else {
                    Bytes.Reader in = sealedSection(day, DAY_SLOT);
                    if (in != null) {
                        codec.addEncoded(in, target);
                    }
                }
                cur += MINUTES_PER_DAY;
            } else if (Math.floorMod(cur, MINUTES_PER_HOUR) == 0 && cur + MINUTES_PER_HOUR <= end) {
                sumHour(Math.floorDiv(cur, MINUTES_PER_HOUR), target);
                cur += MINUTES_PER_HOUR;
            } else {
                long stop = Math.min(end, (Math.floorDiv(cur, MINUTES_PER_HOUR) + 1) * MINUTES_PER_HOUR);
                sumMinutes(cur, stop, target);
                cur = stop;
            }
        }
    }

    private void sumHour(long hour, C target) {
        C c = hours.get(hour);
        if (c != null) {
            codec.merge(c, target);
            return;
        }
        Bytes.Reader in = sealedHour(hour);
        if (in != null && in.u8() == 1) {
            codec.addEncoded(in, target);
        }
    }

    /** Adds the minute cells in [from, to), which lie in one hour. */
    private void sumMinutes(long from, long to, C target) {
        long hour = Math.floorDiv(from, MINUTES_PER_HOUR);
        Bytes.Reader in = sealedHour(hour);
        if (in == null) {
            for (long m = from; m < to; m++) {
                C c = minutes.get(m);
                if (c != null) {
                    codec.merge(c, target);
                }
            }
            return;
        }
        if (in.u8() == 1) {
            codec.skip(in);
        }
        long first = from - hour * MINUTES_PER_HOUR;
        long last = to - hour * MINUTES_PER_HOUR;
        long count = in.unsigned();
        for (long i = 0; i < count; i++) {
            int minuteOfHour = in.u8();
            if (minuteOfHour >= last) {
                return;
            }
            if (minuteOfHour >= first) {
                codec.addEncoded(in, target);
            } else {
                codec.skip(in);
            }
        }
    }

    /** A reader at the hour's section of its sealed day, or null when the day is not sealed or the hour empty. */
    private Bytes.Reader sealedHour(long hour) {
        long day = Math.floorDiv(hour, HOURS_PER_DAY);
        return sealedSection(day, (int) (hour - day * HOURS_PER_DAY));
    }

    /** A reader at a section of a sealed day's block (an hour, or {@link #DAY_SLOT}), or null when there is none. */
    private Bytes.Reader sealedSection(long day, int slot) {
        if (sealed.count() == 0) {
            return null;
        }
        long handle = sealed.get(day);
        if (handle == 0) {
            return null;
        }
        ByteBuffer block = sealing.store.get(handle);
        int offset = Bytes.Reader.int32At(block, 4 * slot);
        return offset < 0 ? null : new Bytes.Reader(block, offset);
    }

    /**
     * Seals every live day before {@code beforeDay}: its minute and hour cells move into one compact block each.
     * Cells that add nothing (emptied by a move to another tenant) are not kept.
     */
    void sealBefore(long beforeDay) {
        if (oldestLiveDay >= beforeDay) {
            return;
        }
        long[] minuteKeys = keysBefore(minutes, beforeDay * MINUTES_PER_DAY);
        long[] hourKeys = keysBefore(hours, beforeDay * HOURS_PER_DAY);
        long[] dayKeys = keysBefore(days, beforeDay);
        Bytes.Writer out = sealing.writer;
        // one hour's non-empty minute cells, counted before they are written
        long[] keptMinutes = new long[(int) MINUTES_PER_HOUR];
        Object[] keptCells = new Object[(int) MINUTES_PER_HOUR];
        int m = 0;
        int h = 0;
        int d = 0;
        while (m < minuteKeys.length || h < hourKeys.length || d < dayKeys.length) {
            long day = Math.min(Math.min(
                    m < minuteKeys.length ? Math.floorDiv(minuteKeys[m], MINUTES_PER_DAY) : Long.MAX_VALUE,
                    h < hourKeys.length ? Math.floorDiv(hourKeys[h], HOURS_PER_DAY) : Long.MAX_VALUE),
                    d < dayKeys.length ? dayKeys[d] : Long.MAX_VALUE);
            // the day's cells leave the live maps only once its block is stored: a store that fails loses nothing
            int firstMinute = m;
            int firstHour = h;
            int firstDay = d;
            out.reset();
            for (int i = 0; i <= DAY_SLOT; i++) {
                out.reserveInt32();
            }
            int cells = 0;
            for (int i = 0; i < HOURS_PER_DAY; i++) {
                long hour = day * HOURS_PER_DAY + i;
                int sectionStart = out.size();
                boolean any = false;
                C hourCell = null;
                if (h < hourKeys.length && hourKeys[h] == hour) {
                    hourCell = hours.get(hour);
                    h++;
                }
                if (hourCell != null && !codec.isEmpty(hourCell)) {
                    out.u8(1);
                    codec.write(hourCell, out);
                    cells++;
                    any = true;
                } else {
                    out.u8(0);
                }
                long hourEnd = (hour + 1) * MINUTES_PER_HOUR;
                int kept = 0;
                for (; m < minuteKeys.length && minuteKeys[m] < hourEnd; m++) {
                    C c = minutes.get(minuteKeys[m]);
                    if (!codec.isEmpty(c)) {
                        keptMinutes[kept] = minuteKeys[m];
                        keptCells[kept++] = c;
                    }
                }
                out.unsigned(kept);
                for (int j = 0; j < kept; j++) {
                    out.u8((int) (keptMinutes[j] - hour * MINUTES_PER_HOUR));
                    @SuppressWarnings("unchecked")
                    C c = (C) keptCells[j];
                    codec.write(c, out);
                    keptCells[j] = null;
                }
                cells += kept;
                any |= kept > 0;
                out.int32At(4 * i, any ? sectionStart : -1);
            }
            C dayCell = null;
            if (d < dayKeys.length && dayKeys[d] == day) {
                dayCell = days.get(day);
                d++;
            }
            if (dayCell != null && !codec.isEmpty(dayCell)) {
                out.int32At(4 * DAY_SLOT, out.size());
                codec.write(dayCell, out);
                cells++;
            } else {
                out.int32At(4 * DAY_SLOT, -1);
            }
            if (cells > 0) {
                sealed.put(day, sealing.store.put(out.array(), out.size()));
                sealedBytes += out.size();
                sealedCells += cells;
            }
            for (int i = firstMinute; i < m; i++) {
                minutes.remove(minuteKeys[i]);
            }
            for (int i = firstHour; i < h; i++) {
                hours.remove(hourKeys[i]);
            }
            for (int i = firstDay; i < d; i++) {
                days.remove(dayKeys[i]);
            }
        }
        oldestLiveDay = Math.min(Math.min(oldestLiveDay(minutes, MINUTES_PER_DAY), oldestLiveDay(hours, HOURS_PER_DAY)),
                oldestLiveDay(days, 1));
    }

    private void unseal(long day, long handle) {
        sealed.remove(day);
        ByteBuffer block = sealing.store.get(handle);
        int dayOffset = Bytes.Reader.int32At(block, 4 * DAY_SLOT);
        if (dayOffset >= 0) {
            days.put(day, codec.read(new Bytes.Reader(block, dayOffset)));
            sealedCells--;
        }
        for (int i = 0; i < HOURS_PER_DAY; i++) {
            int offset = Bytes.Reader.int32At(block, 4 * i);
            if (offset < 0) {
                continue;
            }
            long hour = day * HOURS_PER_DAY + i;
            Bytes.Reader in = new Bytes.Reader(block, offset);
            if (in.u8() == 1) {
                hours.put(hour, codec.read(in));
                sealedCells--;
            }
            long count = in.unsigned();
            for (long j = 0; j < count; j++) {
                long minute = hour * MINUTES_PER_HOUR + in.u8();
                minutes.put(minute, codec.read(in));
                sealedCells--;
            }
        }
        sealedBytes -= block.limit();
        sealing.store.release(handle);
        if (day < oldestLiveDay) {
            oldestLiveDay = day;
        }
    }

    /**
     * Adds another series' cells to this one's (the same series of an engine being merged in): its all-time cell and
     * every live cell, and each of its sealed days, copied whole into this engine's store when this series has
     * nothing of that day, else added cell by cell to the day's live cells (this day unsealed first). Days so made
     * live are sealed again by the next sealing pass.
     */
    void mergeFrom(TimeSeries<C> other) {
        codec.merge(other.allTime, allTime);
        java.util.Set<Long> liveDays = new java.util.HashSet<>();
        minutes.forEachKey(m -> liveDays.add(Math.floorDiv(m, MINUTES_PER_DAY)));
        hours.forEachKey(h -> liveDays.add(Math.floorDiv(h, (long) HOURS_PER_DAY)));
        days.forEachKey(liveDays::add);
        other.sealed.forEach((day, handle) -> {
            ByteBuffer block = other.sealing.store.get(handle);
            long mine = sealed.get(day);
            if (mine == 0 && !liveDays.contains(day)) {
                byte[] bytes = new byte[block.limit()];
                block.get(0, bytes);
                sealed.put(day, sealing.store.put(bytes, bytes.length));
                sealedBytes += bytes.length;
                sealedCells += cellsIn(block);
                return;
            }
            if (mine != 0) {
                unseal(day, mine);
            }
            addBlock(day, block);
            liveDays.add(day);
        });
        other.minutes.forEach((minute, c) -> codec.merge(c, cell(minutes, minute, unsealed(Math.floorDiv(minute,
                MINUTES_PER_DAY)))));
        other.hours.forEach((hour, c) -> codec.merge(c, cell(hours, hour, unsealed(Math.floorDiv(hour,
                (long) HOURS_PER_DAY)))));
        other.days.forEach((day, c) -> codec.merge(c, cell(days, day, unsealed(day))));
    }

    /** Unseals a day if it is sealed; returns it. */
    private long unsealed(long day) {
        long handle = sealed.count() == 0 ? 0 : sealed.get(day);
        if (handle != 0) {
            unseal(day, handle);
        }
        return day;
    }

    /** Adds the cells of a sealed day's block (another series') to this series' live cells of that day. */
    private void addBlock(long day, ByteBuffer block) {
        int dayOffset = Bytes.Reader.int32At(block, 4 * DAY_SLOT);
        if (dayOffset >= 0) {
            codec.addEncoded(new Bytes.Reader(block, dayOffset), cell(days, day, day));
        }
        for (int i = 0; i < HOURS_PER_DAY; i++) {
            int offset = Bytes.Reader.int32At(block, 4 * i);
            if (offset < 0) {
                continue;
            }
            long hour = day * HOURS_PER_DAY + i;
            Bytes.Reader in = new Bytes.Reader(block, offset);
            if (in.u8() == 1) {
                codec.addEncoded(in, cell(hours, hour, day));
            }
            long count = in.unsigned();
            for (long j = 0; j < count; j++) {
                long minute = hour * MINUTES_PER_HOUR + in.u8();
                codec.addEncoded(in, cell(minutes, minute, day));
            }
        }
    }

    /** @return the minute, hour and day cells a sealed day's block holds */
    private int cellsIn(ByteBuffer block) {
        int cells = Bytes.Reader.int32At(block, 4 * DAY_SLOT) >= 0 ? 1 : 0;
        for (int i = 0; i < HOURS_PER_DAY; i++) {
            int offset = Bytes.Reader.int32At(block, 4 * i);
            if (offset < 0) {
                continue;
            }
            Bytes.Reader in = new Bytes.Reader(block, offset);
            if (in.u8() == 1) {
                codec.skip(in);
                cells++;
            }
            long count = in.unsigned();
            for (long j = 0; j < count; j++) {
                in.u8();
                codec.skip(in);
                cells++;
            }
        }
        return cells;
    }

    /**
     * Writes the series, for a snapshot: its all-time cell, its live minute, hour and day cells (each level as one
     * block of key and cell, as the codec writes cells), the number of cells its sealed days hold, and its sealed
     * days' blocks as they are.
     */
    void write(StateOutput out, Bytes.Writer scratch) throws IOException {
        scratch.reset();
        codec.write(allTime, scratch);
        out.bytes(scratch.array(), 0, scratch.size());
        for (LongMap<C> level : List.of(minutes, hours, days)) {
            scratch.reset();
            scratch.unsigned(level.size());
            level.forEach((key, cell) -> {
                scratch.signed(key);
                codec.write(cell, scratch);
            });
            out.bytes(scratch.array(), 0, scratch.size());
        }
        out.unsigned(sealedCells);
        out.unsigned(sealed.count());
        IOException[] failed = {null};
        sealed.forEach((day, handle) -> {
            if (failed[0] == null) {
                try {
                    ByteBuffer block = sealing.store.get(handle);
                    byte[] bytes = new byte[block.limit()];
                    block.get(0, bytes);
                    out.signed(day);
                    out.bytes(bytes, 0, bytes.length);
                } catch (IOException e) {
                    failed[0] = e;
                }
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** Reads into this empty series what {@link #write} wrote; its sealed days go to this engine's store. */
    void read(StateInput in) throws IOException {
        allTime = codec.read(new Bytes.Reader(in.bytes(), 0));
        List<LongMap<C>> levels = List.of(minutes, hours, days);
        long[] perDay = {MINUTES_PER_DAY, HOURS_PER_DAY, 1};
        for (int l = 0; l < levels.size(); l++) {
            byte[] block = in.bytes();
            Bytes.Reader cells = new Bytes.Reader(block, 0);
            long n = cells.unsigned();
            if (n > block.length) {
                throw StateInput.corrupt(n + " cells in " + block.length + " bytes");
            }
            for (long i = 0; i < n; i++) {
                long key = cells.signed();
                levels.get(l).put(key, codec.read(cells));
                oldestLiveDay = Math.min(oldestLiveDay, Math.floorDiv(key, perDay[l]));
            }
        }
        int cells = in.count(Integer.MAX_VALUE, "sealed cells");
        int days = in.count(Integer.MAX_VALUE, "sealed days");
        for (int i = 0; i < days; i++) {
            long day = in.signed();
            byte[] bytes = in.bytes();
            if (bytes.length < 4 * (DAY_SLOT + 1)) {
                throw StateInput.corrupt("a sealed day of " + bytes.length + " bytes");
            }
            if (sealed.get(day) != 0) {
                throw StateInput.corrupt("day " + day + " sealed twice");
            }
            sealed.put(day, sealing.store.put(bytes, bytes.length));
            sealedBytes += bytes.length;
        }
        sealedCells = cells; // as the writer counted them: decoding every block to count them again costs a restart
    }

    private static <C> long[] keysBefore(LongMap<C> level, long beforeKey) {
        long[] keys = new long[16];
        int[] size = {0};
        long[][] holder = {keys};
        level.forEachKey(key -> {
            if (key < beforeKey) {
                if (size[0] == holder[0].length) {
                    holder[0] = Arrays.copyOf(holder[0], size[0] * 2);
                }
                holder[0][size[0]++] = key;
            }
        });
        long[] result = Arrays.copyOf(holder[0], size[0]);
        Arrays.sort(result);
        return result;
    }

    private static <C> long oldestLiveDay(LongMap<C> level, long perDay) {
        long[] oldest = {Long.MAX_VALUE};
        level.forEachKey(key -> oldest[0] = Math.min(oldest[0], Math.floorDiv(key, perDay)));
        return oldest[0];
    }

    /** @return the number of cells kept, over every level, live or sealed */
    int cells() {
        return minutes.size() + hours.size() + days.size() + sealedCells + 1;
    }

    /** @return the minute, hour and day cells kept sealed */
    int sealedCells() {
        return sealedCells;
    }

    /** @return the bytes of the sealed blocks (their contents, without array headers) */
    long sealedBytes() {
        return sealedBytes;
    }
}
