package io.dagscope.source.jsonl;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.decode.JsonlLineDecoder;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;
import io.dagscope.spi.TimestampLimits;
import java.io.ByteArrayInputStream;
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
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the orchestrator's logs from local files: one path, or a glob of rotated files, plain or gzip.
 *
 * <p>Every poll lists the target and reads the files oldest first ({@link LogFileOrder}). Files are opened for
 * reading only, per poll, and never written, locked, moved or deleted. A file whose size and modification time have
 * not changed since it was last read (and whose modification time was old enough then to show any later write) is
 * not opened at all.
 *
 * <ul>
 *   <li>Read once ({@code follow = false}): each file is read to its end, last line included even without a
 *       newline; a file that appears later is read when it appears.</li>
 *   <li>Followed: a plain file is read on from its position, so a poll costs the bytes appended since the last one
 *       (plus its first kilobyte, to check it is still the same log); a last line without a newline is held back
 *       until its newline arrives. A gzip file is read whole, once it is complete.</li>
 * </ul>
 *
 * <p>Each file belongs to a {@link LogStream}, known by its first bytes ({@link Fingerprint}), which keeps how far
 * the log has been delivered. So: a renamed file keeps its position (it is found by its file key); a file that
 * shrank below its position, or whose first bytes changed, starts again at 0 as a new log; a file seen for the first
 * time that starts with the bytes of a log already read (a copy-truncate copy, a compressed rotated file) is that
 * log, read on from where the log was delivered to, so nothing is delivered twice. {@code docs/sources/jsonl.md}
 * states the guarantees.
 *
 * <p>A long unread stretch of a plain file (a first read of a large log) may be decoded on several threads
 * ({@link SegmentedRead}); what is delivered, counted and remembered is the same as with one.
 *
 * <p>Failures never leave {@link #poll(EventSink)}: a target that matches nothing, or a file that cannot be read,
 * makes the source unhealthy with a message saying so, and it is healthy again once the next poll reads cleanly.
 */
final class JsonlSource implements EventSource {

    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    /** Lines counted before the counts are made visible, so a long first read shows progress. */
    private static final int LINES_PER_MERGE = 1 << 16;

    /** Logs no listed file holds any more, remembered so that a copy or a compressed file is still recognised. */
    static final int UNLISTED_STREAMS_KEPT = 128;

    /**
     * How old a file's modification time must be for an unchanged size and time to prove the file unchanged: more
     * than the coarsest timestamp granularity of common file systems (2 s on FAT), so that any later write changes
     * the time.
     */
    static final long SETTLED_AFTER_MILLIS = 2_500;

    private final String name;
    private final FileTarget target;
    private final boolean follow;
    private final SourceStatistics statistics;
    private final JsonlLineDecoder decoder;
    private final LineSplitter splitter;
    private final SegmentedRead segmented;
    // file times are the system's wall-clock times, whatever clock the host reports with
    private final Clock fileClock = Clock.systemUTC();
    private List<FileCursor> cursors = new ArrayList<>();
    private List<LogStream> streams = new ArrayList<>();
    private long polls;
    /** The files a resumed position knew, matched with the first listing after it; null otherwise. */
    private List<RecordedFile> recorded;
    private long bytesRead;
    private long filesOpened;
    private volatile boolean closed;

    /**
     * @param name the source's name
     * @param target what to read
     * @param follow whether to follow growing files
     * @param maxLineBytes the line limit
     * @param chunkBytes how much to read at a time
     */
    JsonlSource(String name, FileTarget target, boolean follow, int maxLineBytes, int chunkBytes) {
        this(name, target, follow, maxLineBytes, chunkBytes, SegmentedRead.Settings.ONE_THREAD);
    }

    /**
     * @param name the source's name
     * @param target what to read
     * @param follow whether to follow growing files
     * @param maxLineBytes the line limit
     * @param chunkBytes how much to read at a time
     * @param threads how many threads decode a long stretch of a plain file
     */
    JsonlSource(String name, FileTarget target, boolean follow, int maxLineBytes, int chunkBytes,
            SegmentedRead.Settings threads) {
        this(name, target, follow, maxLineBytes, chunkBytes, threads, TimestampLimits.of(Clock.systemUTC()));
    }

    /**
     * @param name the source's name
     * @param target what to read
     * @param follow whether to follow growing files
     * @param maxLineBytes the line limit
     * @param chunkBytes how much to read at a time
     * @param threads how many threads decode a long stretch of a plain file
     * @param timestamps which timestamps to believe
     */
    JsonlSource(String name, FileTarget target, boolean follow, int maxLineBytes, int chunkBytes,
            SegmentedRead.Settings threads, TimestampLimits timestamps) {
        this.name = name;
        this.target = target;
        this.follow = follow;
        this.statistics = new SourceStatistics(name, JsonlSourceFactory.NAME, target.toString());
        this.decoder = new JsonlLineDecoder(maxLineBytes, timestamps);
        this.splitter = new LineSplitter(maxLineBytes, chunkBytes);
        this.segmented = new SegmentedRead(threads, maxLineBytes, timestamps);
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
        polls++;
        long listedAt = fileClock.millis();
        FileTarget.Listing listing;
        try {
            listing = target.list();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            statistics.unhealthy("cannot list " + target + ": " + describe(e));
            return 0;
        }
        if (listing.problem() != null) {
            cursors = new ArrayList<>();
            forgetUnlistedStreams();
            statistics.unhealthy(listing.problem());
            statistics.lag(follow ? 0 : -1, -1);
            return 0;
        }
        List<MatchedFile> files = reconcile(listing.files());
        Delivery delivery = new Delivery(sink);
        try {
            for (int i = 0; i < cursors.size(); i++) {
                FileCursor cursor = cursors.get(i);
                MatchedFile file = files.get(i);
                if ((cursor.complete && !follow) || cursor.unchangedSince(file)) {
                    continue;
                }
                try {
                    examine(cursor, file, listedAt, delivery);
                } catch (NoSuchFileException e) {
                    // gone since it was listed (rotated away): the next listing says where it went
                } catch (IOException | UncheckedIOException | SecurityException e) {
                    cursor.problem = "cannot read " + cursor.path + ": " + describe(e);
                }
            }
        } finally {
            statistics.merge(delivery.tally);
        }
        List<String> problems = new ArrayList<>(0);
        long lag = 0;
        for (FileCursor cursor : cursors) {
            if (cursor.problem != null) {
                problems.add(cursor.problem);
            }
            lag += cursor.lagBytes;
        }
        if (problems.isEmpty()) {
            statistics.healthy();
        } else {
            statistics.unhealthy(String.join("; ", problems));
        }
        statistics.lag(follow ? lag : -1, -1);
        forgetUnlistedStreams();
        return delivery.delivered;
    }

    /**
     * Matches the listed files with what earlier polls knew: by file key first, so a renamed file keeps its
     * position, else by path. Files no longer listed are forgotten (their logs are remembered a while, see
     * {@link #forgetUnlistedStreams()}); a file listed twice (hard links) is read once.
     *
     * @return the listed files in the order of the new cursors
     */
    private List<MatchedFile> reconcile(List<MatchedFile> files) {
        if (recorded != null) {
            cursors = recordedCursors(files);
            recorded = null;
        }
        Map<Object, FileCursor> byKey = new HashMap<>();
        Map<Path, FileCursor> byPath = new HashMap<>();
        for (FileCursor c : cursors) {
            if (c.fileKey != null) {
                byKey.put(c.fileKey, c);
            }
            byPath.put(c.path, c);
        }
        Set<Object> keysSeen = new HashSet<>();
        Set<FileCursor> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FileCursor> next = new ArrayList<>(files.size());
        List<MatchedFile> listed = new ArrayList<>(files.size());
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
            if (c.stream != null) {
                c.stream.lastListed = polls;
            }
            next.add(c);
            listed.add(f);
        }
        cursors = next;
        return listed;
    }

    /**
     * Keeps every log a listed file holds, and the most recently listed of the others (the newest first), up to
     * {@value #UNLISTED_STREAMS_KEPT}: a log whose file was deleted after being compressed is still recognised in
     * its compressed copy.
     */
    private void forgetUnlistedStreams() {
        Set<LogStream> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FileCursor c : cursors) {
            if (c.stream != null) {
                kept.add(c.stream);
            }
        }
        List<LogStream> unlisted = new ArrayList<>();
        for (int i = streams.size() - 1; i >= 0; i--) {
            LogStream s = streams.get(i);
            if (!kept.contains(s) && s.recognisesCopies()) {
                unlisted.add(s); // the newest first, so that of logs last listed together the newest are kept
            }
        }
        unlisted.sort(Comparator.comparingLong((LogStream s) -> s.lastListed).reversed());
        kept.addAll(unlisted.subList(0, Math.min(UNLISTED_STREAMS_KEPT, unlisted.size())));
        streams.removeIf(s -> !kept.contains(s)); // in the order they were first seen
    }

    private void examine(FileCursor c, MatchedFile f, long listedAt, Delivery delivery) throws IOException {
        c.unsettle();
        c.problem = null;
        filesOpened++;
        boolean settled;
        try (FileChannel channel = FileChannel.open(c.path, StandardOpenOption.READ)) {
            long size = channel.size();
            boolean wasGzip = c.kind == FileCursor.Kind.GZIP;
            if (c.kind != FileCursor.Kind.UNKNOWN && (size < 2 ? wasGzip : isGzip(channel) != wasGzip)) {
                // no longer a file of its kind: rewritten, or another file on a reused inode
                c.detach();
            }
            if (c.kind == FileCursor.Kind.UNKNOWN) {
                if (size < 2 && follow) {
                    c.lagBytes = size; // too short to tell gzip from text, and too short to hold a line
                    c.examined(f, f.lastModified().toMillis() < listedAt - SETTLED_AFTER_MILLIS);
                    return;
                }
                c.kind = isGzip(channel) ? FileCursor.Kind.GZIP : FileCursor.Kind.PLAIN;
            }
            settled = c.kind == FileCursor.Kind.GZIP
                    ? examineGzip(c, channel, size, delivery)
                    : examinePlain(c, channel, size, delivery);
        }
        c.examined(f, settled && f.lastModified().toMillis() < listedAt - SETTLED_AFTER_MILLIS);
    }

    /** @return whether an unchanged listing will prove the file unchanged */
    private boolean examinePlain(FileCursor c, FileChannel channel, long size, Delivery delivery)
            throws IOException {
        byte[] first = firstBytes(channel, size);
        if (!tellLog(c, first, size < c.covered)) {
            // so far only the start of a log already delivered: a copy still being written, or too short to tell
            c.lagBytes = follow ? size : 0;
            c.complete = !follow;
            return true;
        }
        LogStream s = c.stream;
        long from = s.position.offset;
        if (size > from && !s.position.insideLongLine && segmented.worthIt(size - from)) {
            // a long stretch (a first read of a large log): decoded on several threads, delivered in order
            segmented.read(channel, size, s.position, !follow, segment -> delivery.segment(segment, s.position));
            c.covered = s.position.offset;
        } else if (size > from) {
            channel.position(from);
            try {
                splitter.split(Channels.newInputStream(channel), s.position, !follow, delivery);
            } finally {
                bytesRead += channel.position() - from;
            }
            c.covered = s.position.offset;
        } else {
            c.covered = size; // a copy that holds no more than what was delivered
        }
        c.lagBytes = follow ? Math.max(0, channel.size() - s.position.offset) : 0;
        c.complete = !follow;
        extendHead(s, first, channel);
        return true;
    }

    /** The start of a gzip file's text, as far as it goes. */
    private record GzipStart(byte[] bytes, boolean ended, boolean truncated) {
    }

    /** @return whether an unchanged listing will prove the file unchanged */
    private boolean examineGzip(FileCursor c, FileChannel channel, long size, Delivery delivery) throws IOException {
        if (size == c.truncatedGzipSize) {
            c.problem = "cannot read " + c.path + ": truncated gzip, not grown since the last poll";
            return true;
        }
        c.lagBytes = 0;
        channel.position(0);
        try {
            InputStream in = new GZIPInputStream(Channels.newInputStream(channel), GZIP_BUFFER_BYTES);
            GzipStart start = gzipStart(in);
            if (!tellLog(c, start.bytes(), false)) {
                if (start.truncated()) {
                    throw new EOFException("truncated");
                }
                c.complete = true; // it holds only bytes already delivered
                return true;
            }
            LogStream s = c.stream;
            try {
                readGzipFrom(s.position, in, start, delivery);
            } finally {
                extendHead(s, start.bytes(), null);
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
            bytesRead += channel.position();
        }
    }

    /** Reads a gzip file's text from a stream position, the first bytes having been read already. */
    private void readGzipFrom(StreamPosition position, InputStream in, GzipStart start, Delivery delivery)
            throws IOException {
        byte[] first = start.bytes();
        long from = position.offset;
        InputStream rest;
        if (from <= first.length) {
            InputStream buffered = new ByteArrayInputStream(first, (int) from, first.length - (int) from);
            rest = start.ended() || start.truncated() ? buffered : new Concatenation(buffered, in);
        } else if (start.ended() || !skipFully(in, from - first.length)) {
            return; // no longer than what was delivered
        } else {
            rest = in;
        }
        splitter.split(rest, position, !start.truncated(), delivery);
        if (start.truncated()) {
            throw new EOFException("truncated");
        }
    }

    private static GzipStart gzipStart(InputStream in) throws IOException {
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

    /** A known log a file's first bytes are a copy of, if any, and whether they may yet turn out to be. */
    private record Recognition(LogStream copied, boolean maybeCopy) {
    }

    /**
     * Settles which log a file holds, by its first bytes. A file that no longer starts with its log's first bytes, or
     * that shrank ({@code shrank}), leaves it. A file seen for the first time, or after it left its log, holds a
     * known log if it starts with that log's bytes (the one delivered furthest, if several), else a new log, unless
     * its bytes so far are only the start of a known log (a copy still being written). A file whose log could not
     * yet be told apart from others (nothing but blank lines or the start of a line delivered) holds the log of a
     * copy of it read since, if any.
     *
     * @param c the file
     * @param first its first bytes, up to {@link Fingerprint#MAX_BYTES}
     * @param shrank whether it is shorter than the bytes of it already delivered
     * @return whether the file now holds a log; false while that cannot be told
     */
    private boolean tellLog(FileCursor c, byte[] first, boolean shrank) {
        if (c.stream != null && (shrank || c.stream.head.relationTo(first) != Fingerprint.Relation.STARTS_WITH_IT)) {
            // truncated (copy-truncate rotation), rewritten in place, or another file on a reused inode
            FileCursor.Kind kind = c.kind;
            c.detach();
            c.kind = kind;
        }
        if (c.stream != null) {
            if (!c.stream.recognisesCopies()) {
                LogStream copied = recognise(first).copied();
                if (copied != null && copied.position.offset >= c.stream.position.offset) {
                    join(c, copied); // a copy of it, read first, delivered it already
                }
            }
            return true;
        }
        if (first.length == 0) {
            return false;
        }
        Recognition r = recognise(first);
        if (r.copied() != null) {
            join(c, r.copied());
        } else if (r.maybeCopy()) {
            return false;
        } else {
            LogStream fresh = new LogStream();
            streams.add(fresh);
            join(c, fresh);
        }
        return true;
    }

    private Recognition recognise(byte[] first) {
        LogStream copied = null;
        boolean maybeCopy = false;
        for (LogStream s : streams) {
            if (!s.recognisesCopies()) {
                continue;
            }
            switch (s.head.relationTo(first)) {
                case STARTS_WITH_IT -> {
                    if (copied == null || s.position.offset > copied.position.offset) {
                        copied = s;
                    }
                }
                case SHORTER_PREFIX -> maybeCopy = true;
                case DIFFERENT -> {
                    // another log
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Recognition(copied, maybeCopy);
    }

    private void join(FileCursor c, LogStream s) {
        c.stream = s;
        c.covered = 0;
        s.lastListed = polls;
    }

    /** Lets the log's fingerprint cover what has been delivered of its first {@link Fingerprint#MAX_BYTES}. */
    private void extendHead(LogStream s, byte[] first, FileChannel channel) throws IOException {
        int wanted = (int) Math.min(Fingerprint.MAX_BYTES, s.position.offset);
        if (s.head.length() >= wanted) {
            return;
        }
        byte[] bytes = first.length >= wanted || channel == null ? first : firstBytes(channel, wanted);
        if (bytes.length >= wanted) {
            s.head = Fingerprint.of(bytes, wanted);
        }
    }

    private byte[] firstBytes(FileChannel channel, long size) throws IOException {
        int n = (int) Math.min(Fingerprint.MAX_BYTES, size);
        ByteBuffer bytes = ByteBuffer.allocate(n);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // positional reads: the channel's own position is left alone
        }
        bytesRead += bytes.position();
        return bytes.hasRemaining() ? Arrays.copyOf(bytes.array(), bytes.position()) : bytes.array();
    }

    private boolean isGzip(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0) {
            // positional reads: the channel's own position is left alone
        }
        bytesRead += magic.position();
        return magic.position() == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b;
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

    /** The version of the position {@link #position()} writes and {@link #resume} reads. */
    static final int POSITION_VERSION = 1;

    /** A file as a position records it: what a {@link FileCursor} knows between polls. */
    private record RecordedFile(String path, String fileKey, FileCursor.Kind kind, int stream, long covered,
            boolean complete, long lagBytes, long truncatedGzipSize, long seenSize, FileTime seenModified,
            boolean settled) {

        static RecordedFile of(FileCursor c, int stream) {
            return new RecordedFile(c.path.toString(), c.fileKey == null ? null : c.fileKey.toString(), c.kind, stream,
                    c.covered, c.complete, c.lagBytes, c.truncatedGzipSize, c.seenSize(), c.seenModified(),
                    c.settled());
        }

        FileCursor toCursor(Path path, Object fileKey, List<LogStream> streams) {
            FileCursor c = new FileCursor(path, fileKey);
            c.kind = kind;
            c.stream = stream < 0 ? null : streams.get(stream);
            c.covered = covered;
            c.complete = complete;
            c.lagBytes = lagBytes;
            c.truncatedGzipSize = truncatedGzipSize;
            c.restoreExamination(seenSize, seenModified, settled);
            return c;
        }
    }

    /**
     * Where the source is ({@code docs/sources/jsonl.md}, "Positions"): its counts, every log it knows (its first
     * bytes, as far as they were delivered, and how far it was delivered) and every file (its path, identity, the log
     * it holds, its size and modification time when last examined). Resumed, the source goes on as if it had never
     * stopped: a file is known again by its identity (else its path), a log by its first bytes, so a file rotated,
     * compressed, truncated or rewritten meanwhile is judged exactly as when it is followed live.
     */
    @Override
    public byte[] position() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(POSITION_VERSION);
            out.writeUTF(target.toString());
            statistics.writeCounts(out);
            out.writeLong(polls);
            out.writeInt(streams.size());
            Map<LogStream, Integer> index = new IdentityHashMap<>();
            for (LogStream stream : streams) {
                index.put(stream, index.size());
                byte[] head = stream.head.bytes();
                out.writeInt(head.length);
                out.write(head);
                out.writeLong(stream.position.offset);
                out.writeBoolean(stream.position.insideLongLine);
                out.writeLong(stream.lastListed);
            }
            List<RecordedFile> files = recorded;
            if (files == null) {
                files = new ArrayList<>();
                for (FileCursor c : cursors) {
                    Integer stream = c.stream == null ? Integer.valueOf(-1) : index.get(c.stream);
                    if (stream == null) {
                        throw new IllegalStateException("a file holds a log the source does not know");
                    }
                    files.add(RecordedFile.of(c, stream));
                }
            }
            out.writeInt(files.size());
            for (RecordedFile f : files) {
                out.writeUTF(f.path());
                out.writeBoolean(f.fileKey() != null);
                if (f.fileKey() != null) {
                    out.writeUTF(f.fileKey());
                }
                out.writeByte(f.kind().ordinal());
                out.writeInt(f.stream());
                out.writeLong(f.covered());
                out.writeBoolean(f.complete());
                out.writeLong(f.lagBytes());
                out.writeLong(f.truncatedGzipSize());
                out.writeLong(f.seenSize());
                out.writeBoolean(f.seenModified() != null);
                if (f.seenModified() != null) {
                    Instant modified = f.seenModified().toInstant();
                    out.writeLong(modified.getEpochSecond());
                    out.writeInt(modified.getNano());
                }
                out.writeBoolean(f.settled());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void resume(byte[] position) {
        if (polls > 0 || !cursors.isEmpty() || !streams.isEmpty() || recorded != null) {
            throw new IllegalStateException(name + " has read already: it resumes only before its first poll");
        }
        SourceStatistics counts = new SourceStatistics(name, JsonlSourceFactory.NAME, target.toString());
        List<LogStream> logs = new ArrayList<>();
        List<RecordedFile> files = new ArrayList<>();
        long recordedPolls;
        try (java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(position))) {
            int version = in.readUnsignedByte();
            if (version != POSITION_VERSION) {
                throw new IllegalArgumentException("its position is of version " + version + "; this source reads "
                        + "version " + POSITION_VERSION);
            }
            String recordedTarget = in.readUTF();
            if (!recordedTarget.equals(target.toString())) {
                throw new IllegalArgumentException("its position is of another location, " + recordedTarget);
            }
            counts.readCounts(in);
            recordedPolls = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                int length = in.readInt();
                if (length < 0 || length > Fingerprint.MAX_BYTES) {
                    throw new IOException("a log's first " + length + " bytes");
                }
                byte[] head = in.readNBytes(length);
                if (head.length != length) {
                    throw new EOFException();
                }
                LogStream stream = new LogStream();
                stream.head = Fingerprint.of(head, length);
                stream.position.offset = in.readLong();
                stream.position.insideLongLine = in.readBoolean();
                stream.lastListed = in.readLong();
                if (stream.position.offset < 0) {
                    throw new IOException("a log delivered to " + stream.position.offset);
                }
                logs.add(stream);
            }
            int fileCount = in.readInt();
            FileCursor.Kind[] kinds = FileCursor.Kind.values();
            for (int i = 0; i < fileCount; i++) {
                String path = in.readUTF();
                String key = in.readBoolean() ? in.readUTF() : null;
                int kind = in.readUnsignedByte();
                int stream = in.readInt();
                if (kind >= kinds.length || stream < -1 || stream >= logs.size()) {
                    throw new IOException("a file of kind " + kind + " holding log " + stream);
                }
                long covered = in.readLong();
                boolean complete = in.readBoolean();
                long lag = in.readLong();
                long truncatedGzip = in.readLong();
                long seenSize = in.readLong();
                FileTime modified = in.readBoolean()
                        ? FileTime.from(Instant.ofEpochSecond(in.readLong(), in.readInt())) : null;
                files.add(new RecordedFile(path, key, kinds[kind], stream, covered, complete, lag, truncatedGzip,
                        seenSize, modified, in.readBoolean()));
            }
            if (in.read() >= 0) {
                throw new IOException("bytes after its end");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException a) {
                throw new IllegalArgumentException(name + ": " + a.getMessage(), e);
            }
            throw new IllegalArgumentException(name + ": its position is damaged (" + describe(e) + ")", e);
        }
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        try {
            counts.writeCounts(new java.io.DataOutputStream(copy));
            statistics.readCounts(new java.io.DataInputStream(new ByteArrayInputStream(copy.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        streams = logs;
        recorded = files;
        polls = recordedPolls;
    }

    /**
     * Cursors for the listed files that a resumed position knew: matched by identity (a renamed file keeps its
     * place), or by path where the file system gives no identity; each recorded file at most once.
     */
    private List<FileCursor> recordedCursors(List<MatchedFile> files) {
        Map<String, RecordedFile> byKey = new HashMap<>();
        Map<String, RecordedFile> byPath = new HashMap<>();
        for (RecordedFile f : recorded) {
            if (f.fileKey() != null) {
                byKey.put(f.fileKey(), f);
            } else {
                byPath.put(f.path(), f);
            }
        }
        List<FileCursor> out = new ArrayList<>();
        for (MatchedFile f : files) {
            RecordedFile r = f.fileKey() != null ? byKey.remove(f.fileKey().toString())
                    : byPath.remove(f.path().toString());
            if (r != null) {
                out.add(r.toCursor(f.path(), f.fileKey(), streams));
            }
        }
        return out;
    }

    /**
     * Forgets every file, log and count: the next poll reads every file from its start, as the first did. Called by
     * the polling thread, between polls.
     */
    @Override
    public void rewind() {
        cursors = new ArrayList<>();
        streams = new ArrayList<>();
        recorded = null;
        polls = 0;
        statistics.reset();
    }

    @Override
    public SourceStatus status() {
        return statistics.snapshot();
    }

    @Override
    public void close() {
        closed = true;
        segmented.close();
    }

    /** @return bytes read from files so far (compressed bytes for gzip), for tests of what a poll costs */
    long bytesRead() {
        return bytesRead;
    }

    /** @return how many logs the source knows, held by listed files or remembered, for tests of its memory */
    int logsKnown() {
        return streams.size();
    }

    /** @return how many times a file was opened so far, for tests of what a poll costs */
    long filesOpened() {
        return filesOpened;
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

    /** Decodes each line, counts it, and hands events to the sink. */
    private final class Delivery implements LineSplitter.LineHandler {

        private final EventSink sink;
        private final SourceStatistics.Tally tally = new SourceStatistics.Tally();
        private long delivered;

        Delivery(EventSink sink) {
            this.sink = sink;
        }

        @Override
        public void line(byte[] buf, int off, int len) {
            switch (decoder.decode(buf, off, len)) {
                case EVENT -> {
                    tally.eventRead(decoder.timestampMicros());
                    sink.accept(decoder.event());
                    delivered++;
                }
                case IGNORED -> tally.eventIgnored(decoder.timestampMicros());
                case SKIPPED -> tally.lineSkipped(decoder.skipReason());
                case BLANK -> {
                    // passed over, uncounted
                }
                default -> throw new IllegalStateException();
            }
            if (tally.lines() >= LINES_PER_MERGE) {
                statistics.merge(tally);
            }
        }

        @Override
        public void tooLong() {
            tally.lineSkipped(SkipReason.TOO_LONG);
        }

        /**
         * Delivers a segment decoded on another thread, counting its lines and moving the position as reading it on
         * this thread would have: past each line before it is handed over or counted, to the segment's end after.
         */
        void segment(SegmentedRead.Segment segment, StreamPosition position) {
            bytesRead += segment.bytesRead;
            List<SegmentedRead.Counted> counted = segment.counted;
            int next = 0;
            for (int i = 0; i < segment.events.size(); i++) {
                for (; next < counted.size() && counted.get(next).eventsBefore() <= i; next++) {
                    count(counted.get(next), position);
                }
                Event event = segment.events.get(i);
                position.offset = segment.lineEnds[i];
                tally.eventRead(event.timestampMicros());
                sink.accept(event);
                delivered++;
                if (tally.lines() >= LINES_PER_MERGE) {
                    statistics.merge(tally);
                }
            }
            for (; next < counted.size(); next++) {
                count(counted.get(next), position);
            }
            if (segment.consumed) {
                position.offset = segment.end.offset;
                position.insideLongLine = segment.end.insideLongLine;
            }
        }

        private void count(SegmentedRead.Counted line, StreamPosition position) {
            position.offset = line.lineEnd();
            if (line.skipped() == null) {
                tally.eventIgnored(line.ignoredAt());
            } else {
                tally.lineSkipped(line.skipped());
            }
        }
    }
}
