package io.dagscope.source.jsonl;

import io.dagscope.source.lines.Delivery;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.source.lines.StreamPosition;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a gzip file (one or more members) whole, once it is complete: its first decompressed bytes tell its log (a
 * compressed rotated file is the log it was made from), and its text is read on from where that log was delivered
 * to, so nothing is delivered twice. A file that ends early is being written, or damaged: followed, it is read again
 * once it grows; read once, it is reported.
 */
final class GzipRead {

    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private final boolean follow;
    private final LineDecoding decoding;
    private final LineSplitter splitter;
    private final KnownLogs logs;
    private final FileBytes bytes;

    /**
     * @param follow whether files are followed as they grow
     * @param decoding the polling thread's decoding step
     * @param splitter the polling thread's line splitter
     * @param logs tells which log a file holds
     * @param bytes counts what reading costs
     */
    GzipRead(boolean follow, LineDecoding decoding, LineSplitter splitter, KnownLogs logs, FileBytes bytes) {
        this.follow = follow;
        this.decoding = decoding;
        this.splitter = splitter;
        this.logs = logs;
        this.bytes = bytes;
    }

    /** The start of a gzip file's text, as far as it goes. */
    private record GzipStart(byte[] bytes, boolean ended, boolean truncated) {
    }

    /**
     * Reads what the file's text holds past its log's position.
     *
     * @param c the file
     * @param channel the file, open
     * @param size its size when opened
     * @param delivery counts the lines and delivers the events
     * @return whether an unchanged listing will prove the file unchanged
     * @throws IOException from the file
     */
    boolean examine(FileCursor c, FileChannel channel, long size, Delivery delivery) throws IOException {
        if (size == c.truncatedGzipSize) {
            c.problem = "cannot read " + c.path + ": truncated gzip, not grown since the last poll";
            return true;
        }
        c.lagBytes = 0;
        channel.position(0);
        try {
            InputStream in = new GZIPInputStream(Channels.newInputStream(channel), GZIP_BUFFER_BYTES);
            GzipStart start = start(in);
            if (!logs.tell(c, start.bytes(), false)) {
                if (start.truncated()) {
                    throw new EOFException("truncated");
                }
                c.complete = true; // it holds only bytes already delivered
                return true;
            }
            LogStream s = c.stream;
            try {
                readFrom(s.position, in, start, delivery);
            } finally {
                logs.extendHead(s, start.bytes(), null);
            }
            c.complete = true;
            return true;
        } catch (EOFException e) {
            // cut short: being written (read on once it grows) or damaged
            c.truncatedGzipSize = size;
            if (!follow) {
                c.complete = true;
                c.problem = "cannot read " + c.path + ": truncated gzip";
            }
            return false; // looked at again on the next poll, which reports it if it has not grown
        } catch (ZipException e) {
            c.complete = true;
            c.problem = "cannot read " + c.path + ": corrupt gzip (" + e.getMessage() + ")";
            return true;
        } finally {
            bytes.read(channel.position());
        }
    }

    /** Reads a gzip file's text from a stream position, the first bytes having been read already. */
    private void readFrom(StreamPosition position, InputStream in, GzipStart start, Delivery delivery)
            throws IOException {
        byte[] first = start.bytes();
        long from = position.offset();
        InputStream rest;
        if (from <= first.length) {
            InputStream buffered = new ByteArrayInputStream(first, (int) from, first.length - (int) from);
            rest = start.ended() || start.truncated() ? buffered : new Concatenation(buffered, in);
        } else if (start.ended() || !skipFully(in, from - first.length)) {
            return; // no longer than what was delivered
        } else {
            rest = in;
        }
        splitter.split(rest, position, !start.truncated(), decoding.into(delivery));
        if (start.truncated()) {
            throw new EOFException("truncated");
        }
    }

    private static GzipStart start(InputStream in) throws IOException {
        byte[] b = new byte[Fingerprint.MAX_BYTES];
        int n = 0;
        try {
            while (n < b.length) {
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    return new GzipStart(Arrays.copyOf(b, n), true, false);
                }
                n += r;
            }
        } catch (EOFException e) {
            return new GzipStart(Arrays.copyOf(b, n), false, true);
        }
        return new GzipStart(b, false, false);
    }

    /** @return false if the stream ended cleanly before {@code n} bytes */
    private static boolean skipFully(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return false;
                }
                skipped = 1;
            }
            n -= skipped;
        }
        return true;
    }

    /** One stream, then another; unlike {@link java.io.SequenceInputStream} it closes neither (nor the file). */
    private static final class Concatenation extends BulkInputStream {

        private InputStream current;
        private InputStream next;

        Concatenation(InputStream first, InputStream second) {
            this.current = first;
            this.next = second;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                int n = current.read(b, off, len);
                if (n >= 0 || next == null) {
                    return n;
                }
                current = next;
                next = null;
            }
        }
    }
}
