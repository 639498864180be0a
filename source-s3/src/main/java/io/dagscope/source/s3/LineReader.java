package io.dagscope.source.s3;

import io.dagscope.source.jsonl.decode.Newlines;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines, reading into one reused buffer. A line is handed over in place, without its
 * {@code \n}, together with the stream offset just past it, so a reader can resume after the last line it took.
 * A line longer than the limit is never buffered whole: the bytes past the limit are dropped as they stream by and
 * the line is reported as too long once its end is reached. The end of the stream ends a last line that has no
 * {@code \n} (an object is complete once it exists). Not thread-safe.
 */
final class LineReader {

    /** Receives the lines of a stream. */
    interface Handler {
        /**
         * @param buf the buffer, valid during the call only
         * @param off where the line starts
         * @param len its length, without its {@code \n}
         * @param end the stream offset just past the line (and its {@code \n})
         * @return whether to go on reading
         */
        boolean line(byte[] buf, int off, int len, long end);

        /**
         * A line longer than the limit.
         *
         * @param end the stream offset just past it
         * @return whether to go on reading
         */
        boolean tooLong(long end);
    }

    /** The initial buffer: grown up to the line limit when a line needs it. */
    static final int INITIAL_BUFFER_BYTES = 1 << 16;

    /** The largest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int maxLineBytes;
    private byte[] buf;
    /** Where the stream of the last read failed inside a line already too long, or -1. */
    private long failedInLongLineAt = -1;

    /**
     * @param maxLineBytes the line limit in bytes, without the line ending
     */
    LineReader(int maxLineBytes) {
        this.maxLineBytes = Math.min(maxLineBytes, MAX_ARRAY - 2);
        this.buf = new byte[(int) Math.min(INITIAL_BUFFER_BYTES, this.maxLineBytes + 2L)];
    }

    /**
     * Reads lines until the stream ends or the handler stops.
     *
     * @param in the stream
     * @param offset the stream offset of its first byte
     * @param handler receives the lines
     * @return true if the stream was read to its end, false if the handler stopped first
     * @throws IOException from the stream
     */
    boolean read(InputStream in, long offset, Handler handler) throws IOException {
        failedInLongLineAt = -1;
        long base = offset; // stream offset of buf[0]
        int start = 0; // start of the current line in buf
        int scan = 0; // where the search for '\n' resumes
        int limit = 0; // end of the bytes read
        boolean tooLong = false;
        while (true) {
            int nl = Newlines.indexOf(buf, scan, limit);
            if (nl >= 0) {
                long end = base + nl + 1;
                boolean go = tooLong ? handler.tooLong(end) : handler.line(buf, start, nl - start, end);
                tooLong = false;
                start = nl + 1;
                scan = start;
                if (!go) {
                    return false;
                }
                continue;
            }
            scan = limit;
            if (!tooLong && limit - start > maxLineBytes + 1) {
                // + 1: a line of exactly the limit may still be followed by its '\r'
                tooLong = true;
            }
            if (tooLong) {
                base += limit;
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
            int n;
            try {
                n = in.read(buf, limit, buf.length - limit);
            } catch (IOException e) {
                failedInLongLineAt = tooLong ? base + limit : -1;
                throw e;
            }
            if (n < 0) {
                break;
            }
            limit += n;
        }
        if (tooLong) {
            handler.tooLong(base + limit);
        } else if (limit > start) {
            handler.line(buf, start, limit - start, base + limit);
        }
        return true;
    }

    /**
     * Whether the stream of the last {@link #read} failed inside a line already longer than the limit, which that
     * read had not reported yet (a long line is reported when its end arrives, so that a read resumed from the last
     * line taken does not report it twice).
     *
     * @return the stream offset where it failed, or -1
     */
    long failedInLongLineAt() {
        return failedInLongLineAt;
    }

    private void grow() {
        // only a line within the limit gets here, so the buffer never exceeds limit + 2
        int capacity = (int) Math.min((long) buf.length * 2, maxLineBytes + 2L);
        byte[] bigger = new byte[capacity];
        System.arraycopy(buf, 0, bigger, 0, buf.length);
        buf = bigger;
    }
}
