package io.dagscope.source.lines.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte-level twin of {@link StringCache}, for ASCII text read straight out of a line: a small, lossy,
 * direct-mapped cache from content to one shared string. A miss replaces the slot; a collision costs an allocation,
 * never a wrong answer. Not thread-safe: each decoder owns its caches.
 */
final class AsciiCache {

    private final byte[][] keys;
    private final String[] values;
    private final int mask;
    private final int maxLength;

    /**
     * @param slots the number of slots, a power of two
     * @param maxLength longer strings are not cached
     */
    AsciiCache(int slots, int maxLength) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.keys = new byte[slots][];
        this.values = new String[slots];
        this.mask = slots - 1;
        this.maxLength = maxLength;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** A hash of the bytes, eight at a time. */
    static int hash(byte[] b, int off, int end) {
        long h = end - off;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /**
     * A string of the given ASCII bytes, the cached one when there is one.
     *
     * @param b the buffer
     * @param off where the text starts
     * @param end where it ends
     * @return a string equal to the bytes read as ASCII
     */
    String get(byte[] b, int off, int end) {
        int len = end - off;
        if (len > maxLength) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        int slot = hash(b, off, end) & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, off, end)) {
            return values[slot];
        }
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        keys[slot] = Arrays.copyOfRange(b, off, end);
        values[slot] = s;
        return s;
    }
}
