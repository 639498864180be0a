package io.dagscope.source.jsonl;

import io.dagscope.source.lines.DecodedBatch;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.source.lines.Newlines;
import io.dagscope.source.lines.StreamPosition;
import io.dagscope.spi.TimestampLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a long stretch of a plain file on several threads, and hands its lines over in file order.
 *
 * <p>The stretch is cut into segments of about {@link Settings#segmentBytes()}; a line belongs to the segment its
 * first byte lies in, so a segment runs from the first line start at or after its nominal start to the first line
 * start at or after the next segment's (both ends found by the same rule, so neighbours agree without talking).
 * Each segment is split into lines ({@link LineSplitter}, so over-long lines are streamed past, never held) and
 * decoded ({@link LineDecoding}) into a {@link DecodedBatch} by a worker thread with its own splitter and decoder;
 * the calling thread takes the segments back in file order and delivers them. At most {@code threads + 1} segments
 * are in flight, so memory stays bounded however long the file.
 *
 * <p>What reaches the sink is exactly what one thread reading the file would deliver: the same events in the same
 * order, the same counts, and the same position after each event (a test compares the two line by line). Folding
 * stays on one thread and in file order, since a run's state depends on the order of its events.
 */
final class SegmentedRead implements AutoCloseable {

    /**
     * When a file is read on several threads.
     *
     * @param threads decoding threads; 1 reads every file on the polling thread
     * @param segmentBytes the nominal size of a segment
     * @param minBytes the unread bytes a file needs before it is read on several threads
     */
    record Settings(int threads, int segmentBytes, long minBytes) {

        /** A segment: large enough that its hand-over costs nothing per line, small enough to keep memory low. */
        static final int DEFAULT_SEGMENT_BYTES = 4 << 20;

        /** Below this, one thread reads faster than several start. */
        static final long DEFAULT_MIN_BYTES = 16L << 20;

        Settings {
            if (threads < 1 || segmentBytes < 1 || minBytes < 0) {
                throw new IllegalArgumentException("threads and segment size must be positive");
            }
        }

        /** One thread: every file read on the polling thread. */
        static final Settings ONE_THREAD = new Settings(1, DEFAULT_SEGMENT_BYTES, DEFAULT_MIN_BYTES);

        /** @return the defaults, with this many threads */
        static Settings threads(int threads) {
            return new Settings(threads, DEFAULT_SEGMENT_BYTES, DEFAULT_MIN_BYTES);
        }
    }

    /**
     * What one segment gave: its lines, decoded, in file order, each with the offset past it, so that delivering it
     * counts and moves the position exactly as reading it line by line would, even if the sink throws half-way.
     */
    static final class Segment {
        final DecodedBatch lines = new DecodedBatch();
        /** Where reading stood after the segment; only meaningful when {@link #consumed}. */
        final StreamPosition end = new StreamPosition();
        /** Whether the segment held any bytes (an empty one lies inside a line begun in an earlier segment). */
        boolean consumed;
        long bytesRead;
    }

    /** Receives the segments, in file order. */
    interface SegmentHandler {
        void segment(Segment segment);
    }

    private final Settings settings;
    private final int maxLineBytes;
    private final TimestampLimits timestamps;
    private final BlockingQueue<Worker> idle;
    private ExecutorService pool;
    private volatile boolean closed;

    SegmentedRead(Settings settings, int maxLineBytes, TimestampLimits timestamps) {
        this.settings = settings;
        this.maxLineBytes = maxLineBytes;
        this.timestamps = timestamps;
        this.idle = new ArrayBlockingQueue<>(settings.threads());
    }

    /** @return whether a file with this many unread bytes is read on several threads */
    boolean worthIt(long unreadBytes) {
        return settings.threads() > 1 && unreadBytes >= settings.minBytes() && !closed;
    }

    /**
     * Reads {@code [position.offset, end)} of the file and hands its segments over in order, on this thread.
     *
     * @param channel the file, read with positional reads only (its own position is left alone)
     * @param end where to stop: the file's size when it was examined
     * @param position where the log stands, at a line start (not inside an over-long line); left alone: the handler
     *     moves it as it delivers
     * @param endEndsTheLastLine as for {@link LineSplitter#split}
     * @param handler receives the segments
     * @throws IOException from the file; the segments before the failure have been handed over
     */
    void read(FileChannel channel, long end, StreamPosition position, boolean endEndsTheLastLine,
            SegmentHandler handler) throws IOException {
        if (position.insideLongLine()) {
            throw new IllegalArgumentException("a segmented read starts at a line start");
        }
        ExecutorService workers = pool();
        long from = position.offset();
        long segment = settings.segmentBytes();
        long count = (end - from + segment - 1) / segment;
        Deque<Future<Segment>> inFlight = new ArrayDeque<>();
        long next = 0;
        try {
            while (next < count || !inFlight.isEmpty()) {
                while (next < count && inFlight.size() <= settings.threads()) {
                    long a = from + next * segment;
                    long b = Math.min(end, a + segment);
                    inFlight.add(workers.submit(() -> decode(channel, from, a, b, end, endEndsTheLastLine)));
                    next++;
                }
                handler.segment(await(inFlight.removeFirst()));
            }
        } finally {
            for (Future<Segment> f : inFlight) {
                f.cancel(false); // not interrupted: an interrupted read would close the channel under the others
            }
        }
    }

    private static Segment await(Future<Segment> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while reading");
            io.initCause(e);
            throw io;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Splits and decodes one segment, on a worker thread. */
    private Segment decode(FileChannel channel, long from, long a, long b, long end, boolean endEndsTheLastLine)
            throws IOException {
        Worker w = idle.poll();
        if (w == null) {
            w = new Worker(maxLineBytes, timestamps);
        }
        try {
            Segment s = new Segment();
            long p = w.lineStartAtOrAfter(channel, from, a, end, s);
            long q = w.lineStartAtOrAfter(channel, from, b, end, s);
            if (p < q) {
                s.consumed = true;
                s.end.moveTo(p);
                RangeStream in = new RangeStream(channel, p, q);
                w.split(in, s, endEndsTheLastLine);
                s.bytesRead += in.read;
            }
            return s;
        } finally {
            idle.offer(w);
        }
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(settings.threads(), r -> {
                Thread t = new Thread(r, "dagscope-decode");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** A worker's own splitter and decoder (neither is thread-safe), reused from segment to segment. */
    private static final class Worker {
        private final LineDecoding decoding;
        private final LineSplitter splitter;
        private final ByteBuffer scan = ByteBuffer.allocate(1 << 14);

        Worker(int maxLineBytes, TimestampLimits timestamps) {
            this.decoding = new LineDecoding(maxLineBytes, timestamps);
            this.splitter = new LineSplitter(maxLineBytes, LineSplitter.DEFAULT_CHUNK_BYTES,
                    LineSplitter.LongLines.AT_ONCE);
        }

        /**
         * The first line start at or after {@code x}: {@code from} for anything up to it, else the byte after the
         * first {@code \n} at or after {@code x - 1}, else {@code end}.
         */
        long lineStartAtOrAfter(FileChannel channel, long from, long x, long end, Segment s) throws IOException {
            if (x <= from) {
                return from;
            }
            long pos = x - 1;
            while (pos < end) {
                scan.clear();
                scan.limit((int) Math.min(scan.capacity(), end - pos));
                int n = channel.read(scan, pos);
                if (n <= 0) {
                    return end; // shorter than when it was examined: nothing more starts
                }
                s.bytesRead += n;
                int nl = Newlines.indexOf(scan.array(), 0, n);
                if (nl >= 0) {
                    return pos + nl + 1;
                }
                pos += n;
            }
            return end;
        }

        void split(InputStream in, Segment s, boolean endEndsTheLastLine) throws IOException {
            splitter.split(in, s.end, endEndsTheLastLine, decoding.into(s.lines));
        }
    }

    /** {@code [from, to)} of a file, by positional reads. */
    private static final class RangeStream extends BulkInputStream {
        private final FileChannel channel;
        private long pos;
        private final long to;
        long read;

        RangeStream(FileChannel channel, long from, long to) {
            this.channel = channel;
            this.pos = from;
            this.to = to;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= to) {
                return -1;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while reading");
            }
            int n;
            try {
                n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (n < 0) {
                return -1; // shorter than when it was examined
            }
            pos += n;
            read += n;
            return n;
        }
    }
}
