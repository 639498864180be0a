package io.dagscope.core.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes an engine's state ({@code docs/snapshots.md}, "The engine's state"): variable-length integers, doubles by
 * their bits, and strings, of which the vocabulary (task ids, tenants, errors, checkpoints) is written once and then
 * by number, so that a million runs of the same tasks cost their names once.
 */
final class StateOutput {

    /** Strings numbered at most: past it, strings are written in full every time. */
    static final int MAX_NUMBERED_STRINGS = 1 << 20;

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int size;
    private final Map<String, Integer> numbered = new HashMap<>();

    StateOutput(OutputStream out) {
        this.out = out;
    }

    void u8(int value) throws IOException {
        if (size == buffer.length) {
            drain();
        }
        buffer[size++] = (byte) value;
    }

    void bool(boolean value) throws IOException {
        u8(value ? 1 : 0);
    }

    /** A non-negative value in 7-bit groups, low first. */
    void unsigned(long value) throws IOException {
        if (size + 10 > buffer.length) {
            drain();
        }
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
    }

    /** Any value, small magnitudes in few bytes (zig-zag). */
    void signed(long value) throws IOException {
        unsigned((value << 1) ^ (value >> 63));
    }

    /** A double, exactly: its eight bytes. */
    void f64(double value) throws IOException {
        long bits = Double.doubleToRawLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            u8((int) (bits >>> shift));
        }
    }

    /** Bytes, preceded by their count. */
    void bytes(byte[] bytes, int offset, int length) throws IOException {
        unsigned(length);
        if (length > buffer.length - size) {
            drain();
            if (length > buffer.length) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** A string of the vocabulary, or null: 0 for null, 1 and the text for one not written yet, else 2 + its number. */
    void string(String value) throws IOException {
        if (value == null) {
            unsigned(0);
            return;
        }
        Integer n = numbered.get(value);
        if (n != null) {
            unsigned(2L + n);
            return;
        }
        unsigned(1);
        text(value);
        if (numbered.size() < MAX_NUMBERED_STRINGS) {
            numbered.put(value, numbered.size());
        }
    }

    /** A string that rarely repeats (a run id), or null: its UTF-8 length plus one (0 for null), then its bytes. */
    void text(String value) throws IOException {
        if (value == null) {
            unsigned(0);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        unsigned(utf8.length + 1L);
        if (utf8.length > buffer.length - size) {
            drain();
            if (utf8.length > buffer.length) {
                out.write(utf8);
                return;
            }
        }
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
    }

    /** Writes out what is buffered (not the underlying stream's buffer). */
    void drain() throws IOException {
        out.write(buffer, 0, size);
        size = 0;
    }
}
