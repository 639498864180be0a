package io.dagscope.source.lines.decode;

/**
 * A fast tokenizer for the shape nearly every orchestrator line has: one flat JSON object on one line, ASCII, whose
 * values are strings without escapes, plain numbers or {@code null}. It finds each key and the bytes of its value
 * and nothing more; it gives up (returns false) at the first thing outside that shape — an escape, a non-ASCII
 * byte, a nested value, an exponent, {@code true}/{@code false}, anything malformed — and the decoder then reads
 * the line with Jackson, which decides every such case. So it can only be faster, never different; a differential
 * test holds it to that.
 */
final class FlatLine {

    /** Kinds of value the tokenizer accepts. */
    static final byte STRING = 1;
    static final byte INTEGER = 2;
    static final byte DECIMAL = 3;
    static final byte NULL = 4;

    private static final int MAX_FIELDS = 64;
    /** Longer number literals are left to Jackson, which limits their length. */
    private static final int MAX_NUMBER_LENGTH = 40;

    /** Where each field's key and value lie in the line: the value's bytes exclude a string's quotes. */
    final int[] keyStart = new int[MAX_FIELDS];
    final int[] keyEnd = new int[MAX_FIELDS];
    final int[] valueStart = new int[MAX_FIELDS];
    final int[] valueEnd = new int[MAX_FIELDS];
    final byte[] kind = new byte[MAX_FIELDS];
    int fields;

    /**
     * Tokenizes a line.
     *
     * @param b the buffer
     * @param off where the line starts
     * @param end where it ends
     * @return whether the line has the flat shape; when false, nothing here is meaningful
     */
    boolean parse(byte[] b, int off, int end) {
        fields = 0;
        int i = skipSpace(b, off, end);
        if (i >= end || b[i] != '{') {
            return false;
        }
        i = skipSpace(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return skipSpace(b, i + 1, end) == end;
        }
        while (true) {
            if (i >= end || b[i] != '"' || fields == MAX_FIELDS) {
                return false;
            }
            int ks = i + 1;
            int ke = stringEnd(b, ks, end);
            if (ke < 0) {
                return false;
            }
            i = skipSpace(b, ke + 1, end);
            if (i >= end || b[i] != ':') {
                return false;
            }
            i = skipSpace(b, i + 1, end);
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            int vs;
            int ve;
            byte k;
            if (c == '"') {
                vs = i + 1;
                ve = stringEnd(b, vs, end);
                if (ve < 0) {
                    return false;
                }
                i = ve + 1;
                k = STRING;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                vs = i;
                int j = i;
                if (b[j] == '-') {
                    j++;
                }
                int digits = j;
                while (j < end && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                if (j == digits || (b[digits] == '0' && j - digits > 1)) {
                    return false;
                }
                k = INTEGER;
                if (j < end && b[j] == '.') {
                    int fraction = ++j;
                    while (j < end && b[j] >= '0' && b[j] <= '9') {
                        j++;
                    }
                    if (j == fraction) {
                        return false;
                    }
                    k = DECIMAL;
                }
                if ((j < end && (b[j] == 'e' || b[j] == 'E')) || j - i > MAX_NUMBER_LENGTH) {
                    return false;
                }
                ve = j;
                i = j;
            } else if (c == 'n' && i + 4 <= end && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
                vs = i;
                ve = i + 4;
                i = ve;
                k = NULL;
            } else {
                return false;
            }
            keyStart[fields] = ks;
            keyEnd[fields] = ke;
            valueStart[fields] = vs;
            valueEnd[fields] = ve;
            kind[fields] = k;
            fields++;
            i = skipSpace(b, i, end);
            if (i >= end) {
                return false;
            }
            if (b[i] == ',') {
                i = skipSpace(b, i + 1, end);
                continue;
            }
            if (b[i] == '}') {
                return skipSpace(b, i + 1, end) == end;
            }
            return false;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    /**
     * The index of the closing quote of a string without escapes, control characters or non-ASCII; else -1. Reads
     * eight bytes at a time: a byte is flagged when it is a quote, a backslash, below 0x20 or above 0x7F, and the
     * lowest flagged byte of a word is always a true one.
     */
    private static int stringEnd(byte[] b, int i, int end) {
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONGS.get(b, i);
            long q = v ^ QUOTES;
            long s = v ^ BACKSLASHES;
            long flagged = ((q - ONES) & ~q) | ((s - ONES) & ~s) | ((v - SPACES) & ~v) | v;
            flagged &= HIGH_BITS;
            if (flagged != 0) {
                int at = i + (Long.numberOfTrailingZeros(flagged) >>> 3);
                return b[at] == '"' ? at : -1;
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] b, int i, int end) {
        if (i < end && b[i] > ' ') {
            return i;
        }
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }
}
