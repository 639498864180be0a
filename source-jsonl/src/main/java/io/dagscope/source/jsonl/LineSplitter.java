package io.dagscope.source.jsonl;

import io.dagscope.source.jsonl.decode.Newlines;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines, reading in large chunks into one reused buffer. A line is handed over in place
 * (buffer, offset, length), without its {@code \n}. A line longer than the limit is never buffered whole: it is
 * reported once as too long and the rest of it, up to its newline, is dropped as it streams by. Not thread-safe.
 */
final class LineSplitter {

    /** Receives the lines of a stream. */
    interface LineHandler {
        /**
         * @param buf the buffer, valid during the call only
         * @param off where the line starts
         * @param len its length, without its {@code \n}
         */
        void line(byte[] buf, int off, int len);

        /** A line longer than the limit; called once per such line. */
        void tooLong();
    }

    /** The read size: large enough that a read costs little per line. */
    static final int DEFAULT_CHUNK_BYTES = 1 << 20;

    /** The largest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int maxLineBytes;
    private byte[] buf;

    /**
     * @param maxLineBytes the line limit, without the line ending; no line longer than an array can hold is read
     * @param chunkBytes the initial buffer size; it grows up to the limit when a line needs it
     */
    LineSplitter(int maxLineBytes, int chunkBytes) {
        this.maxLineBytes = Math.min(maxLineBytes, MAX_ARRAY - 2);
        this.buf = new byte[Math.max(16, chunkBytes)];
    }

    /**
     * Reads the stream to its end, handing over every complete line. The position advances line by line (before
     * each line is handed over, so a handler that throws does not get that line again), so it is right even when
     * the stream fails half-way.
     *
     * @param in the stream, positioned at {@code position.offset}
     * @param position where the stream stands; advanced as lines are consumed
     * @param endEndsTheLastLine whether the end of the stream completes a last line without {@code \n} (a file read
     *     once, a finished gzip); when false that line is held back and the position stays at its start
     * @param handler receives the lines
     * @throws IOException from the stream
     */
    void split(InputStream in, StreamPosition position, boolean endEndsTheLastLine, LineHandler handler)
            throws IOException {
        long base = position.offset; // stream offset of buf[0]
        int start = 0; // start of the current line in buf
        int scan = 0; // where the search for '\n' resumes
        int limit = 0; // end of the bytes read
        while (true) {
            int nl = Newlines.indexOf(buf, scan, limit);
            if (nl >= 0) {
                boolean skip = position.insideLongLine;
                position.insideLongLine = false;
                position.offset = base + nl + 1;
                if (!skip) {
                    handler.line(buf, start, nl - start);
                }
                start = nl + 1;
                scan = start;
                continue;
            }
            scan = limit;
            if (!position.insideLongLine && limit - start > maxLineBytes + 1) {
                // + 1: a line of exactly the limit may still be followed by its '\r'
                position.insideLongLine = true;
                handler.tooLong();
            }
            if (position.insideLongLine) {
                base += limit;
                position.offset = base;
                start = 0;
                scan = 0;
                limit = 0;
            } else if (limit == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    base += start;
                    limit -= start;
                    scan = limit;
                    start = 0;
                } else {
                    grow();
                }
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
        }
        if (endEndsTheLastLine) {
            if (position.insideLongLine) {
                position.insideLongLine = false;
                position.offset = base + limit;
            } else if (limit > start) {
                position.offset = base + limit;
                handler.line(buf, start, limit - start);
            }
        }
    }

    private void grow() {
        // only a line within the limit gets here, so the buffer never exceeds limit + 2
        int capacity = (int) Math.min((long) buf.length * 2, maxLineBytes + 2L);
        byte[] bigger = new byte[capacity];
        System.arraycopy(buf, 0, bigger, 0, buf.length);
        buf = bigger;
    }
}
