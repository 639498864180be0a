package io.dagscope.source.jsonl;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.lines.Delivery;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.spi.SourceStatistics;
import io.dagscope.spi.TimestampLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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
 * <p>This class polls and reports health; the jobs are done by its parts: {@link ListedFiles} matches a listing
 * with what earlier polls knew, {@link KnownLogs} tells which log each file holds, {@link PlainRead} and
 * {@link GzipRead} read a file of each kind, and the lines are split, decoded, counted and delivered by
 * {@link io.dagscope.source.lines}.
 *
 * <p>Failures never leave {@link #poll(EventSink)}: a target that matches nothing, or a file that cannot be read,
 * makes the source unhealthy with a message saying so, and it is healthy again once the next poll reads cleanly.
 */
final class JsonlSource implements EventSource {

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
    private final SegmentedRead segmented;
    private final FileBytes bytes = new FileBytes();
    private final ListedFiles files = new ListedFiles();
    private final KnownLogs logs = new KnownLogs(bytes);
    private final PlainRead plain;
    private final GzipRead gzip;
    // file times are the system's wall-clock times, whatever clock the host reports with
    private final Clock fileClock = Clock.systemUTC();
    /** The files a resumed position knew, matched with the first listing after it; null otherwise. */
    private List<JsonlPosition.RecordedFile> recorded;
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
        this.segmented = new SegmentedRead(threads, maxLineBytes, timestamps);
        // one decoder and one splitter for the polling thread, shared by both kinds of file
        LineDecoding decoding = new LineDecoding(maxLineBytes, timestamps);
        LineSplitter splitter = new LineSplitter(maxLineBytes, chunkBytes, LineSplitter.LongLines.AT_ONCE);
        this.plain = new PlainRead(follow, decoding, splitter, segmented, logs, bytes);
        this.gzip = new GzipRead(follow, decoding, splitter, logs, bytes);
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
        logs.newPoll();
        long listedAt = fileClock.millis();
        FileTarget.Listing listing;
        try {
            listing = target.list();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            statistics.unhealthy("cannot list " + target + ": " + describe(e));
            return 0;
        }
        if (listing.problem() != null) {
            files.clear();
            logs.forgetUnlisted(files.cursors());
            statistics.unhealthy(listing.problem());
            statistics.lag(follow ? 0 : -1, -1);
            return 0;
        }
        if (recorded != null) {
            files.restore(JsonlPosition.cursors(recorded, listing.files(), logs.streams()));
            recorded = null;
        }
        List<MatchedFile> listed = files.reconcile(listing.files(), logs);
        List<FileCursor> cursors = files.cursors();
        Delivery delivery = new Delivery(sink, statistics);
        try {
            for (int i = 0; i < cursors.size(); i++) {
                FileCursor cursor = cursors.get(i);
                MatchedFile file = listed.get(i);
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
            delivery.finish();
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
        logs.forgetUnlisted(cursors);
        return delivery.delivered();
    }

    /**
     * Opens a listed file, tells whether it is (still) plain or gzip, and reads it as its kind says.
     */
    private void examine(FileCursor c, MatchedFile f, long listedAt, Delivery delivery) throws IOException {
        c.unsettle();
        c.problem = null;
        bytes.opened();
        boolean settled;
        try (FileChannel channel = FileChannel.open(c.path, StandardOpenOption.READ)) {
            long size = channel.size();
            boolean wasGzip = c.kind == FileCursor.Kind.GZIP;
            if (c.kind != FileCursor.Kind.UNKNOWN && (size < 2 ? wasGzip : bytes.isGzip(channel) != wasGzip)) {
                // no longer a file of its kind: rewritten, or another file on a reused inode
                c.detach();
            }
            if (c.kind == FileCursor.Kind.UNKNOWN) {
                if (size < 2 && follow) {
                    c.lagBytes = size; // too short to tell gzip from text, and too short to hold a line
                    c.examined(f, f.lastModified().toMillis() < listedAt - SETTLED_AFTER_MILLIS);
                    return;
                }
                c.kind = bytes.isGzip(channel) ? FileCursor.Kind.GZIP : FileCursor.Kind.PLAIN;
            }
            settled = c.kind == FileCursor.Kind.GZIP
                    ? gzip.examine(c, channel, size, delivery)
                    : plain.examine(c, channel, size, delivery);
        }
        c.examined(f, settled && f.lastModified().toMillis() < listedAt - SETTLED_AFTER_MILLIS);
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

    /**
     * Where the source is ({@code docs/sources/jsonl.md}, "Positions"; {@link JsonlPosition}). Resumed, the source
     * goes on as if it had never stopped: a file is known again by its identity (else its path), a log by its first
     * bytes, so a file rotated, compressed, truncated or rewritten meanwhile is judged exactly as when it is followed
     * live.
     */
    @Override
    public byte[] position() {
        List<JsonlPosition.RecordedFile> known = recorded != null ? recorded
                : JsonlPosition.record(files.cursors(), logs.streams());
        return JsonlPosition.write(target.toString(), statistics, logs.polls(), logs.streams(), known);
    }

    @Override
    public void resume(byte[] position) {
        if (logs.polls() > 0 || !files.cursors().isEmpty() || logs.size() > 0 || recorded != null) {
            throw new IllegalStateException(name + " has read already: it resumes only before its first poll");
        }
        SourceStatistics counts = new SourceStatistics(name, JsonlSourceFactory.NAME, target.toString());
        JsonlPosition.Read read;
        try {
            read = JsonlPosition.read(position, target.toString(), counts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + ": its position is damaged (" + describe(e) + ")", e);
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try {
            counts.writeCounts(new DataOutputStream(copy));
            statistics.readCounts(new DataInputStream(new ByteArrayInputStream(copy.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        logs.restore(read.logs(), read.polls());
        recorded = read.files();
    }

    /**
     * Forgets every file, log and count: the next poll reads every file from its start, as the first did. Called by
     * the polling thread, between polls.
     */
    @Override
    public void rewind() {
        files.clear();
        logs.clear();
        recorded = null;
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
        return bytes.bytesRead();
    }

    /** @return how many logs the source knows, held by listed files or remembered, for tests of its memory */
    int logsKnown() {
        return logs.size();
    }

    /** @return how many times a file was opened so far, for tests of what a poll costs */
    long filesOpened() {
        return bytes.filesOpened();
    }
}
