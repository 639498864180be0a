package io.dagscope.source.jsonl;

import io.dagscope.spi.SourceStatistics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSONL source's position ({@code docs/sources/jsonl.md}, "Positions"), written and read: its counts, every log it
 * knows (its first bytes, as far as they were delivered, and how far it was delivered) and every file (its path,
 * identity, the log it holds, its size and modification time when last examined).
 */
final class JsonlPosition {

    /** The version of the position {@link #write} writes and {@link #read} reads. */
    static final int VERSION = 1;

    private JsonlPosition() {
    }

    /** A file as a position records it: what a {@link FileCursor} knows between polls. */
    record RecordedFile(String path, String fileKey, FileCursor.Kind kind, int stream, long covered,
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
     * A position read back.
     *
     * @param polls the polls the source had made
     * @param logs the logs it knew, in the order it first saw them
     * @param files the files it knew, each with the index of its log in {@code logs} (or -1)
     */
    record Read(long polls, List<LogStream> logs, List<RecordedFile> files) {
    }

    /**
     * The files as a position records them.
     *
     * @param cursors the files of the last listing
     * @param streams the logs known, in order
     * @return each file, with the index of its log
     */
    static List<RecordedFile> record(List<FileCursor> cursors, List<LogStream> streams) {
        Map<LogStream, Integer> index = new IdentityHashMap<>();
        for (LogStream stream : streams) {
            index.put(stream, index.size());
        }
        List<RecordedFile> files = new ArrayList<>(cursors.size());
        for (FileCursor c : cursors) {
            Integer stream = c.stream == null ? Integer.valueOf(-1) : index.get(c.stream);
            if (stream == null) {
                throw new IllegalStateException("a file holds a log the source does not know");
            }
            files.add(RecordedFile.of(c, stream));
        }
        return files;
    }

    /**
     * Writes a position.
     *
     * @param target the source's location, which a resumed source must have too
     * @param statistics its counts
     * @param polls the polls it made
     * @param streams the logs it knows, in order
     * @param files its files (see {@link #record})
     * @return the position
     */
    static byte[] write(String target, SourceStatistics statistics, long polls, List<LogStream> streams,
            List<RecordedFile> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(target);
            statistics.writeCounts(out);
            out.writeLong(polls);
            out.writeInt(streams.size());
            for (LogStream stream : streams) {
                byte[] head = stream.head.bytes();
                out.writeInt(head.length);
                out.write(head);
                out.writeLong(stream.position.offset());
                out.writeBoolean(stream.position.insideLongLine());
                out.writeLong(stream.lastListed);
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

    /**
     * Reads a position, checking every part of it.
     *
     * @param position what {@link #write} wrote
     * @param target the reading source's location, which must be the recorded one
     * @param counts receives the recorded counts
     * @return the rest of the position
     * @throws IllegalArgumentException naming what is wrong: another version or location ("its position is ..."),
     *     or damage
     * @throws IOException when the bytes are cut short or damaged
     */
    static Read read(byte[] position, String target, SourceStatistics counts) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("its position is of version " + version + "; this source reads "
                        + "version " + VERSION);
            }
            String recordedTarget = in.readUTF();
            if (!recordedTarget.equals(target)) {
                throw new IllegalArgumentException("its position is of another location, " + recordedTarget);
            }
            counts.readCounts(in);
            long polls = in.readLong();
            int n = in.readInt();
            List<LogStream> logs = new ArrayList<>();
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
                long offset = in.readLong();
                boolean insideLongLine = in.readBoolean();
                if (offset < 0) {
                    throw new IOException("a log delivered to " + offset);
                }
                if (insideLongLine) {
                    stream.position.moveInsideLongLine(offset);
                } else {
                    stream.position.moveTo(offset);
                }
                stream.lastListed = in.readLong();
                logs.add(stream);
            }
            int fileCount = in.readInt();
            FileCursor.Kind[] kinds = FileCursor.Kind.values();
            List<RecordedFile> files = new ArrayList<>();
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
            return new Read(polls, logs, files);
        }
    }

    /**
     * Cursors for the listed files that a resumed position knew: matched by identity (a renamed file keeps its
     * place), or by path where the file system gives no identity; each recorded file at most once.
     *
     * @param recorded the files the position recorded
     * @param files the files listed now
     * @param streams the logs the position recorded
     * @return the cursors of the listed files it knew, in the listing's order
     */
    static List<FileCursor> cursors(List<RecordedFile> recorded, List<MatchedFile> files, List<LogStream> streams) {
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
}
