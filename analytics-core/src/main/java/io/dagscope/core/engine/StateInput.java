package io.dagscope.core.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a {@link StateOutput} wrote. Every length and count is checked against limits before anything is
 * allocated for it, so that damaged input fails with an {@link IOException} saying so, never with an answer or an
 * exhausted heap.
 */
final class StateInput {

    /** The longest string or block read. */
    private static final int MAX_BYTES = 1 << 30;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private final List<String> numbered = new ArrayList<>();

    StateInput(InputStream in) {
        this.in = in;
    }

    int u8() throws IOException {
        if (position == limit) {
            fill();
        }
        return buffer[position++] & 0xFF;
    }

    boolean bool() throws IOException {
        int b = u8();
        if (b > 1) {
            throw corrupt("a flag of " + b);
        }
        return b == 1;
    }

    long unsigned() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            value |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw corrupt("a number longer than 64 bits");
    }

    long signed() throws IOException {
        long v = unsigned();
        return (v >>> 1) ^ -(v & 1);
    }

    /** An int from a signed number, checked to be within [min, max]. */
    int intIn(long min, long max, String what) throws IOException {
        long v = signed();
        if (v < min || v > max) {
            throw corrupt(what + " " + v + " out of range [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    /** A count of things that follow, checked against a limit. */
    int count(long max, String what) throws IOException {
        long v = unsigned();
        if (v > max) {
            throw corrupt(what + ": " + v + " (at most " + max + ")");
        }
        return (int) v;
    }

    double f64() throws IOException {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | u8();
        }
        return Double.longBitsToDouble(bits);
    }

    byte[] bytes() throws IOException {
        int length = count(MAX_BYTES, "a block's length");
        byte[] bytes = new byte[length];
        readFully(bytes, length);
        return bytes;
    }

    String string() throws IOException {
        long code = unsigned();
        if (code == 0) {
            return null;
        }
        if (code == 1) {
            String s = text();
            if (s == null) {
                throw corrupt("a missing string");
            }
            if (numbered.size() < StateOutput.MAX_NUMBERED_STRINGS) {
                numbered.add(s);
            }
            return s;
        }
        long n = code - 2;
        if (n >= numbered.size()) {
            throw corrupt("string number " + n + " of " + numbered.size());
        }
        return numbered.get((int) n);
    }

    String text() throws IOException {
        long length = unsigned() - 1;
        if (length < 0) {
            return null;
        }
        if (length > MAX_BYTES) {
            throw corrupt("a string of " + length + " bytes");
        }
        byte[] utf8 = new byte[(int) length];
        readFully(utf8, utf8.length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private void readFully(byte[] into, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (position == limit) {
                fill();
            }
            int n = Math.min(length - done, limit - position);
            System.arraycopy(buffer, position, into, done, n);
            position += n;
            done += n;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            throw new EOFException("the engine's state ends early");
        }
        position = 0;
        limit = n;
    }

    static IOException corrupt(String what) {
        return new IOException("the engine's state is damaged: " + what);
    }
}
