package io.dagscope.source.jsonl;

import java.util.Arrays;

/**
 * The first bytes of a log, which appending never changes. They tell whether a file is still the log a position
 * was recorded for (a file truncated, rewritten in place, or a new file on a reused inode starts differently), and
 * whether a file seen for the first time is a copy of a log already read (copy-truncate rotation, a compressed
 * rotated file): a copy starts with the same bytes. The bytes themselves are kept, not a checksum, so that a copy
 * still being written, shorter than them, can be told from a file that starts differently.
 *
 * <p>A fingerprint covers only bytes already consumed (delivered lines), so it is never shorter than the log's first
 * line unless it has reached {@link #MAX_BYTES}. Immutable.
 */
final class Fingerprint {

    /** The most bytes a fingerprint covers. */
    static final int MAX_BYTES = 1024;

    /** No bytes: recognises nothing. */
    static final Fingerprint NONE = new Fingerprint(new byte[0]);

    /** How a file's first bytes relate to a fingerprint. */
    enum Relation {
        /** The file starts with every byte of the fingerprint. */
        STARTS_WITH_IT,
        /** The file is shorter than the fingerprint and is its start: it may be a copy still being written. */
        SHORTER_PREFIX,
        /** They differ. */
        DIFFERENT
    }

    private final byte[] bytes;

    private Fingerprint(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param first a file's first bytes
     * @param length how many of them to keep, at most {@link #MAX_BYTES}
     * @return their fingerprint
     */
    static Fingerprint of(byte[] first, int length) {
        if (length > MAX_BYTES || length > first.length) {
            throw new IllegalArgumentException("length " + length);
        }
        return new Fingerprint(Arrays.copyOf(first, length));
    }

    /** @return a copy of the bytes it covers */
    byte[] bytes() {
        return bytes.clone();
    }

    /** @return how many bytes it covers */
    int length() {
        return bytes.length;
    }

    /**
     * @param first a file's first bytes, at most {@link #MAX_BYTES} (fewer when the file is shorter)
     * @return how they relate to this fingerprint
     */
    Relation relationTo(byte[] first) {
        int n = Math.min(first.length, bytes.length);
        if (Arrays.mismatch(bytes, 0, n, first, 0, n) >= 0) {
            return Relation.DIFFERENT;
        }
        return first.length >= bytes.length ? Relation.STARTS_WITH_IT : Relation.SHORTER_PREFIX;
    }

    /**
     * Whether it can tell logs apart: it holds a whole line that is not blank (a log's first event, whose timestamp
     * no other log shares), or {@link #MAX_BYTES} of a longer one. The start of a line alone does not: the last line
     * of a copy cut mid-line (<code>{"task_id": "ab</code>) is how many other logs start.
     *
     * @return whether a file that starts with these bytes may be taken for a copy of the log
     */
    boolean recognisesCopies() {
        boolean content = false;
        for (byte b : bytes) {
            if (b == '\n') {
                if (content) {
                    return true;
                }
            } else if (b != '\r' && b != ' ' && b != '\t') {
                content = true;
            }
        }
        return content && bytes.length == MAX_BYTES;
    }
}
