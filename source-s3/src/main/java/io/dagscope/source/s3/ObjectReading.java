package io.dagscope.source.s3;

import io.dagscope.source.lines.LineSplitter;
import io.dagscope.source.lines.StreamPosition;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an object's lines from an offset: one GET, streamed. At offset 0 the object is taken in whatever version is
 * there and its first two bytes tell plain text from gzip; past 0 the GET asks for the version read before (a
 * rewritten object is refused as {@link StoreException.Kind#CHANGED}), as a ranged request for plain text, or whole
 * for gzip, skipping the text already read.
 */
final class ObjectReading {

    private static final int BUFFER_BYTES = 1 << 16;

    /**
     * Where to read an object from.
     *
     * @param key its key
     * @param version the version read before (asked for again when {@code offset > 0})
     * @param kind its kind, if known
     * @param offset the text offset to start at
     */
    record Plan(String key, ObjectVersion version, ObjectCursor.Kind kind, long offset) {
    }

    /** Receives what the object turned out to be, then its lines. */
    interface Lines extends LineSplitter.LineHandler {
        /**
         * The GET succeeded.
         *
         * @param kind the object's kind
         * @param version the version being read
         */
        void opened(ObjectCursor.Kind kind, ObjectVersion version);
    }

    /** The initial buffer of a line splitter: grown up to the line limit when a line needs it. */
    static final int INITIAL_BUFFER_BYTES = 1 << 16;

    private ObjectReading() {
    }

    /**
     * A line splitter for {@link #read}, for one thread: it reports a long line at its end, so that an object read
     * on from the last line taken never counts one twice.
     *
     * @param maxLineBytes the line limit
     * @return the splitter
     */
    static LineSplitter splitter(int maxLineBytes) {
        return new LineSplitter(maxLineBytes, (int) Math.min(INITIAL_BUFFER_BYTES, maxLineBytes + 2L),
                LineSplitter.LongLines.AT_THEIR_END);
    }

    /**
     * Reads the object's lines from the plan's offset until its end or until the handler stops.
     *
     * @param store the store
     * @param plan where to read from
     * @param splitter the line splitter to use, one of {@link #splitter(int)}
     * @param lines receives the object's kind and version, then its lines
     * @return true if the object was read to its end, false if the handler stopped first
     * @throws StoreException if the GET fails: missing, changed, or the store unavailable
     * @throws StoreReadException if the body fails on its way: read on later from the last line taken
     * @throws CorruptObjectException if the content cannot be decompressed
     */
    static boolean read(ObjectStore store, Plan plan, LineSplitter splitter, Lines lines)
            throws StoreException, StoreReadException, CorruptObjectException {
        boolean resume = plan.offset() > 0;
        boolean ranged = resume && plan.kind() == ObjectCursor.Kind.PLAIN;
        if (ranged && plan.version().size() >= 0 && plan.offset() >= plan.version().size()) {
            lines.opened(plan.kind(), plan.version());
            return true;
        }
        ObjectStore.Fetched fetched = store.get(plan.key(), ranged ? plan.offset() : 0,
                resume ? plan.version() : null);
        if (resume && !plan.version().sameAs(fetched.version())) {
            closeQuietly(fetched.body());
            // a store that ignores If-Match still tells which version it sent
            throw new StoreException(StoreException.Kind.CHANGED, plan.key() + " was rewritten while it was read",
                    null);
        }
        StreamPosition position = new StreamPosition(plan.offset());
        boolean splitting = false;
        try (InputStream body = fetched.body()) {
            BufferedInputStream in = new BufferedInputStream(body, BUFFER_BYTES);
            ObjectCursor.Kind kind = plan.kind();
            if (kind == ObjectCursor.Kind.UNKNOWN) {
                in.mark(2);
                int b0 = in.read();
                int b1 = in.read();
                in.reset();
                kind = b0 == 0x1f && b1 == 0x8b ? ObjectCursor.Kind.GZIP : ObjectCursor.Kind.PLAIN;
            }
            lines.opened(kind, fetched.version());
            InputStream text = in;
            if (kind == ObjectCursor.Kind.GZIP) {
                text = new GZIPInputStream(in, BUFFER_BYTES);
                skipFully(text, plan.offset());
            }
            splitting = true;
            return splitter.split(text, position, true, lines);
        } catch (StoreReadException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            // the body arrived whole (a short one is a StoreReadException), so the gzip itself is bad; it is not read
            // again, so a line it showed to be too long is counted now, as the JSONL source counts it
            long longLineEnd = splitting && position.insideLongLine() ? position.offset() : -1;
            if (longLineEnd >= 0) {
                lines.tooLong(longLineEnd);
            }
            throw new CorruptObjectException(plan.key() + " is not a readable gzip (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new StoreReadException("reading " + plan.key() + " failed (" + e.getMessage() + ")", e);
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("shorter than the text already read from it");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // dropped either way
        }
    }
}
