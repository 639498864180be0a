package io.dagscope.source.lines.decode;

/**
 * A small, lossy cache of strings by content, so that millions of lines naming a few dozen DAGs, tasks and tenants
 * share a few dozen strings instead of allocating millions of copies.
 *
 * <p>Direct-mapped: each content hashes to one slot, and a miss replaces what the slot held. A collision therefore
 * costs an allocation, never a wrong answer. Not thread-safe: each decoder owns its caches.
 */
final class StringCache {

    private final String[] slots;
    private final int mask;
    private final int maxLength;

    /**
     * @param slots the number of slots, a power of two
     * @param maxLength longer strings are not cached
     */
    StringCache(int slots, int maxLength) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new String[slots];
        this.mask = slots - 1;
        this.maxLength = maxLength;
    }

    /**
     * A string with the given content, the cached one when there is one.
     *
     * @param buf the characters
     * @param off where they start
     * @param len how many
     * @return a string equal to the characters
     */
    String get(char[] buf, int off, int len) {
        if (len > maxLength) {
            return new String(buf, off, len);
        }
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 16)) & mask;
        String cached = slots[slot];
        if (cached != null && contentEquals(cached, buf, off, len)) {
            return cached;
        }
        String s = new String(buf, off, len);
        slots[slot] = s;
        return s;
    }

    private static boolean contentEquals(String s, char[] buf, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }
}
