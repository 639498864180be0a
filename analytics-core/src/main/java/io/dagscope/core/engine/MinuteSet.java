package io.dagscope.core.engine;

/** A set of epoch minutes, as one bit per minute in day-sized blocks: a year of minutes costs under 70 KB. */
final class MinuteSet {

    private static final int MINUTES_PER_DAY = 1440;
    private static final int WORDS_PER_DAY = (MINUTES_PER_DAY + 63) / 64;

    private final LongMap<long[]> days = new LongMap<>();

    void add(long minute) {
        long day = Math.floorDiv(minute, MINUTES_PER_DAY);
        int bit = Math.floorMod(minute, MINUTES_PER_DAY);
        long[] words = days.get(day);
        if (words == null) {
            words = new long[WORDS_PER_DAY];
            days.put(day, words);
        }
        words[bit >>> 6] |= 1L << (bit & 63);
    }

    boolean contains(long minute) {
        long[] words = days.get(Math.floorDiv(minute, MINUTES_PER_DAY));
        if (words == null) {
            return false;
        }
        int bit = Math.floorMod(minute, MINUTES_PER_DAY);
        return (words[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
