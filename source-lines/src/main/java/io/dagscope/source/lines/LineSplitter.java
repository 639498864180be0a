package io.dagscope.source.lines;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines, reading in large chunks into one reused buffer. A line is handed over in place
 * (buffer, offset, length), without its {@code \n}, with the stream offset just past it. A line longer than the limit
 * is never buffered whole: it is reported once as too long and the rest of it, up to its newline, is dropped as it
 * streams by; {@link LongLines} says when it is reported. Not thread-safe: give each reading thread its own.
 */
public final class LineSplitter {

    /** Receives the lines of a stream. */
    public interface LineHandler {
        /**
         * A line within the limit.
         *
         * @param buf the buffer, valid during the call only
         * @param off where the line starts
         * @param len its length, without its {@code \n}
         * @param end the stream offset just past the line (and its {@code \n}); the position has moved there already
         * @return whether to go on reading
         */
        boolean line(byte[] buf, int off, int len, long end);

        /**
         * A line longer than the limit; called once per such line.
         *
         * @param at the stream offset the position stands at: the line's end when {@link LongLines#AT_THEIR_END},
         *     its start when {@link LongLines#AT_ONCE}
         * @return whether to go on reading
         */
        boolean tooLong(long at);
    }

    /** When a line longer than the limit is reported. */
    public enum LongLines {
        /**
         * As soon as its bytes pass the limit. The position then moves into the line as its bytes stream by,
         * {@linkplain StreamPosition#insideLongLine() inside a long line}, so a stream read on later from the position
         * (a growing file) skips the rest of it without reporting it again.
         */
        AT_ONCE,
        /**
         * When its end arrives, with that end: a reader that resumes after the last line it took (an object read
         * again after a failure) then never reports it twice. A stream that fails inside such a line leaves the
         * position inside it, unreported.
         */
        AT_THEIR_END
    }

    /** The read size: large enough that a read costs little per line. */
    public static final int DEFAULT_CHUNK_BYTES = 1 << 20;

    /** The largest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int maxLineBytes;
    private final LongLines longLines;
    private byte[] buf;

    /**
     * @param maxLineBytes the line limit, without the line ending; no line longer than an array can hold is read
     * @param chunkBytes the initial buffer size; it grows up to the limit when a line needs it
     * @param longLines when a line longer than the limit is reported
     */
    public LineSplitter(int maxLineBytes, int chunkBytes, LongLines longLines) {
        this.maxLineBytes = Math.min(maxLineBytes, MAX_ARRAY - 2);
        this.longLines = longLines;
        this.buf = new byte[Math.max(16, chunkBytes)];
    }

    /**
     * Reads the stream to its end, or until the handler stops, handing over every complete line. The position
     * advances line by line (before each line is handed over, so a handler that throws does not get that line
     * again), so it is right even when the stream fails half-way.
     *
     * @param in the stream, positioned at {@code position.offset()}
     * @param position where the stream stands; advanced as lines are consumed
     * @param endEndsTheLastLine whether the end of the stream completes a last line without {@code \n} (a file read
     *     once, a finished gzip, an object); when false that line is held back and the position stays at its start
     * @param handler receives the lines
     * @return true if the stream was read to its end, false if the handler stopped first
     * @throws IOException from the stream
     */
    public boolean split(InputStream in, StreamPosition position, boolean endEndsTheLastLine, LineHandler handler)
            throws IOException {
        long base = position.offset(); // stream offset of buf[0]
        int start = 0; // start of the current line in buf
        int scan = 0; // where the search for '\n' resumes
        int limit = 0; // end of the bytes read
        while (true) {
            int nl = Newlines.indexOf(buf, scan, limit);
            if (nl >= 0) {
                boolean longLine = position.insideLongLine();
                long end = base + nl + 1;
                position.moveTo(end);
                boolean go;
                if (!longLine) {
                    go = handler.line(buf, start, nl - start, end);
                } else {
                    go = longLines == LongLines.AT_ONCE || handler.tooLong(end);
                }
                start = nl + 1;
                scan = start;
                if (!go) {
                    return false;
                }
                continue;
            }
            scan = limit;
            boolean go = true;
            if (!position.insideLongLine() && limit - start > maxLineBytes + 1) {
                // + 1: a line of exactly the limit may still be followed by its '\r'
                position.moveInsideLongLine(base + start);
                if (longLines == LongLines.AT_ONCE) {
                    go = handler.tooLong(base + start);
                }
            }
            if (position.insideLongLine()) {
                base += limit;
                position.moveInsideLongLine(base);
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
            if (!go) {
                return false;
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
        }
        if (endEndsTheLastLine) {
            long end = base + limit;
            if (position.insideLongLine()) {
                position.moveTo(end);
                if (longLines == LongLines.AT_THEIR_END) {
                    handler.tooLong(end);
                }
            } else if (limit > start) {
                position.moveTo(end);
                handler.line(buf, start, limit - start, end);
            }
        }
        return true;
    }

    private void grow() {
        // only a line within the limit gets here, so the buffer never exceeds limit + 2
        int capacity = (int) Math.min((long) buf.length * 2, maxLineBytes + 2L);
        byte[] bigger = new byte[capacity];
        System.arraycopy(buf, 0, bigger, 0, buf.length);
        buf = bigger;
    }
}
