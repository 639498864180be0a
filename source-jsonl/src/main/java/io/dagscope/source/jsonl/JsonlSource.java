package io.dagscope.source.jsonl;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.decode.JsonlLineDecoder;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the orchestrator's logs from local files: one path, or a glob of rotated files, plain or gzip.
 *
 * <p>Every poll lists the target, reads the files oldest first ({@link LogFileOrder}) from where the last poll left
 * each of them ({@link FileCursor}), and decodes their lines with {@link JsonlLineDecoder}. Files are opened for
 * reading only, per poll, and never written, locked, moved or deleted.
 *
 * <ul>
 *   <li>Read once ({@code follow = false}): each file is read to its end, last line included even without a
 *       newline; a file that appears later is read when it appears.</li>
 *   <li>Followed: a plain file is read on from its position on every poll; a last line without a newline is held
 *       back until its newline arrives (the writer may be mid-line). A gzip file is read whole, once it is
 *       complete. A renamed file keeps its position (found by its file key); a file that shrank below its position
 *       or whose first bytes changed is read again from its start.</li>
 * </ul>
 *
 * <p>Failures never leave {@link #poll(EventSink)}: a target that matches nothing, or a file that cannot be read,
 * makes the source unhealthy with a message saying so, and it is healthy again once the next poll reads cleanly.
 */
final class JsonlSource implements EventSource {

    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private final String name;
    private final FileTarget target;
    private final boolean follow;
    private final SourceStatistics statistics;
    private final JsonlLineDecoder decoder;
    private final LineSplitter splitter;
    private List<FileCursor> cursors = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param name the source's name
     * @param target what to read
     * @param follow whether to follow growing files
     * @param maxLineBytes the line limit
     * @param chunkBytes how much to read at a time
     */
    JsonlSource(String name, FileTarget target, boolean follow, int maxLineBytes, int chunkBytes) {
        this.name = name;
        this.target = target;
        this.follow = follow;
        this.statistics = new SourceStatistics(name, JsonlSourceFactory.NAME, target.toString());
        this.decoder = new JsonlLineDecoder(maxLineBytes);
        this.splitter = new LineSplitter(maxLineBytes, chunkBytes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long poll(EventSink sink) {
        if (closed) {
            return 0;
        }
        FileTarget.Listing listing;
        try {
            listing = target.list();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            statistics.unhealthy("cannot list " + target + ": " + describe(e));
            return 0;
        }
        if (listing.problem() != null) {
            cursors = new ArrayList<>();
            statistics.unhealthy(listing.problem());
            statistics.lag(follow ? 0 : -1, -1);
            return 0;
        }
        reconcile(listing.files());
        Delivery delivery = new Delivery(sink);
        List<String> problems = new ArrayList<>(0);
        for (FileCursor cursor : cursors) {
            if (cursor.complete) {
                continue;
            }
            try {
                read(cursor, delivery);
            } catch (NoSuchFileException e) {
                // gone since it was listed (rotated away): the next listing says where it went
            } catch (IOException | UncheckedIOException | SecurityException e) {
                problems.add("cannot read " + cursor.path + ": " + describe(e));
            }
        }
        long lag = 0;
        for (FileCursor cursor : cursors) {
            if (cursor.failure != null) {
                problems.add(cursor.failure);
            }
            lag += cursor.lagBytes;
        }
        if (problems.isEmpty()) {
            statistics.healthy();
        } else {
            statistics.unhealthy(String.join("; ", problems));
        }
        statistics.lag(follow ? lag : -1, -1);
        return delivery.delivered;
    }

    /**
     * Matches the listed files with what earlier polls knew: by file key first, so a renamed file keeps its
     * position, else by path. Files no longer listed are forgotten; a file listed twice (hard links) is read once.
     */
    private void reconcile(List<MatchedFile> files) {
        Map<Object, FileCursor> byKey = new HashMap<>();
        Map<Path, FileCursor> byPath = new HashMap<>();
        for (FileCursor c : cursors) {
            if (c.fileKey != null) {
                byKey.put(c.fileKey, c);
            }
            byPath.put(c.path, c);
        }
        Set<Object> keysSeen = new HashSet<>();
        Set<FileCursor> taken = new HashSet<>();
        List<FileCursor> next = new ArrayList<>(files.size());
        for (MatchedFile f : files) {
            Object key = f.fileKey();
            if (key != null && !keysSeen.add(key)) {
                continue;
            }
            FileCursor c = key != null ? byKey.get(key) : byPath.get(f.path());
            if (c == null || !taken.add(c)) {
                c = new FileCursor(f.path(), key);
                taken.add(c);
            }
            c.path = f.path();
            next.add(c);
        }
        cursors = next;
    }

    private void read(FileCursor c, Delivery delivery) throws IOException {
        try (FileChannel channel = FileChannel.open(c.path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (c.fingerprint != null && ((c.kind == FileCursor.Kind.PLAIN && size < c.position.offset)
                    || !c.fingerprint.matches(channel))) {
                // not the bytes the position was taken on: truncated, rewritten, or a reused inode
                c.restart();
            }
            if (c.kind == FileCursor.Kind.UNKNOWN) {
                if (size < 2 && follow) {
                    c.lagBytes = size; // too short to tell gzip from text, and too short to hold a line
                    return;
                }
                c.kind = isGzip(channel) ? FileCursor.Kind.GZIP : FileCursor.Kind.PLAIN;
            }
            if (c.fingerprint == null || c.fingerprint.canGrowTo(size)) {
                c.fingerprint = Fingerprint.of(channel);
            }
            if (c.kind == FileCursor.Kind.GZIP) {
                if (size == c.truncatedGzipSize) {
                    throw new EOFException("truncated gzip, not grown since the last poll");
                }
                readGzip(c, channel, size, delivery);
            } else {
                readPlain(c, channel, delivery);
            }
        }
    }

    private void readPlain(FileCursor c, FileChannel channel, Delivery delivery) throws IOException {
        channel.position(c.position.offset);
        try {
            splitter.split(Channels.newInputStream(channel), c.position, !follow, delivery);
        } finally {
            c.lagBytes = follow ? Math.max(0, channel.size() - c.position.offset) : 0;
        }
        c.complete = !follow;
    }

    private void readGzip(FileCursor c, FileChannel channel, long size, Delivery delivery) throws IOException {
        channel.position(0);
        c.lagBytes = 0;
        try {
            InputStream in = new GZIPInputStream(Channels.newInputStream(channel), GZIP_BUFFER_BYTES);
            skipFully(in, c.position.offset);
            splitter.split(in, c.position, true, delivery);
            c.complete = true;
        } catch (EOFException e) {
            // cut short: being written (read on from the position once it grows) or damaged
            c.truncatedGzipSize = size;
            if (!follow) {
                c.complete = true;
                c.failure = "cannot read " + c.path + ": truncated gzip";
            }
        } catch (ZipException e) {
            c.complete = true;
            c.failure = "cannot read " + c.path + ": corrupt gzip (" + e.getMessage() + ")";
        }
    }

    private static boolean isGzip(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0) {
            // positional reads: the channel's own position is left alone
        }
        return magic.position() == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b;
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("shorter than its recorded position");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    @Override
    public SourceStatus status() {
        return statistics.snapshot();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Decodes each line, counts it, and hands events to the sink. */
    private final class Delivery implements LineSplitter.LineHandler {

        private final EventSink sink;
        private long delivered;

        Delivery(EventSink sink) {
            this.sink = sink;
        }

        @Override
        public void line(byte[] buf, int off, int len) {
            switch (decoder.decode(buf, off, len)) {
                case EVENT -> {
                    statistics.eventRead(decoder.timestampMicros());
                    sink.accept(decoder.event());
                    delivered++;
                }
                case IGNORED -> statistics.eventIgnored(decoder.timestampMicros());
                case SKIPPED -> statistics.lineSkipped(decoder.skipReason());
                case BLANK -> {
                    // passed over, uncounted
                }
                default -> throw new IllegalStateException();
            }
        }

        @Override
        public void tooLong() {
            statistics.lineSkipped(SkipReason.TOO_LONG);
        }
    }
}
