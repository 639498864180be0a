package io.dagscope.core.snapshot;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.ingest.Ingestor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot file ({@code docs/snapshots.md} states the format): a magic number and the format's version, a header
 * (who wrote it and when, the events folded, each source's name, kind, location and position), the engine's state
 * ({@link AnalyticsEngine#writeState}), and a trailer with the length of all that and its CRC-32C.
 *
 * <p>Written atomically: into a temporary file beside the target, readable and writable by its owner only (the data
 * is tenant data), forced to the disk, then renamed over the target, and the folder forced too. A crash or a full disk
 * at any point leaves the previous file as it was. Read defensively: a file that is not a snapshot, of a newer
 * version, cut short or damaged anywhere is refused with a {@link SnapshotException} saying which and why, before any
 * of it is believed.
 */
public final class SnapshotFile {

    /** The format this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The first bytes of every snapshot: a byte no text starts with, then {@code DGSNAP}, CR and LF. */
    static final byte[] MAGIC = {(byte) 0x89, 'D', 'G', 'S', 'N', 'A', 'P', '\r', '\n', 0x1a, '\n'};

    /** The trailer's last bytes: a file without them was cut short or never finished. */
    static final byte[] END = {'D', 'G', 'S', 'N', 'A', 'P', 'E', 'N', 'D', '\n'};

    /** The trailer: the body's length (8 bytes), its CRC-32C (4 bytes), {@link #END}. */
    static final int TRAILER_BYTES = 8 + 4 + END.length;

    /** The largest header read. */
    private static final int MAX_HEADER_BYTES = 64 << 20;

    private SnapshotFile() {
    }

    /**
     * What a snapshot says besides the engine's state.
     *
     * @param writer what wrote it, e.g. {@code dagscope 1.4.0}
     * @param createdAt when
     * @param eventsApplied the events the engine had folded
     * @param sources each source's name, kind, location and position (or why it has none), as they were
     */
    public record Header(String writer, Instant createdAt, long eventsApplied, List<Ingestor.SourcePosition> sources) {

        /**
         * A header; the list of sources is copied.
         *
         * @param writer what wrote it
         * @param createdAt when
         * @param eventsApplied the events the engine had folded
         * @param sources each source's position, or why it has none
         */
        public Header {
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(createdAt, "createdAt");
            sources = List.copyOf(sources);
        }
    }

    /**
     * A snapshot read: its header and the engine holding its state.
     *
     * @param file the file
     * @param header its header
     * @param engine the engine (the caller owns it)
     * @param bytes the file's size
     */
    public record Loaded(Path file, Header header, AnalyticsEngine engine, long bytes) {
    }

    /**
     * Writes a snapshot of what an ingestor has folded, between two of its polls (queries go on meanwhile).
     *
     * @param file the target; replaced atomically
     * @param ingestor the ingestor
     * @param writer what writes it, e.g. {@code dagscope 1.4.0}
     * @return the header written
     * @throws IOException if writing fails; the target is then as it was
     */
    public static Header write(Path file, Ingestor ingestor, String writer) throws IOException {
        IOException[] failed = {null};
        Header header = ingestor.betweenPolls((engine, positions) -> {
            Header h = new Header(writer, Instant.now(), engine.stats().eventsApplied(), positions);
            try {
                write(file, h, engine);
            } catch (IOException e) {
                failed[0] = e;
            }
            return h;
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        return header;
    }

    /**
     * Writes a snapshot of an engine (while nothing feeds it).
     *
     * @param file the target; replaced atomically
     * @param header the header
     * @param engine the engine
     * @throws IOException if writing fails; the target is then as it was
     */
    public static void write(Path file, Header header, AnalyticsEngine engine) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()));
        boolean done = false;
        try (FileChannel channel = createOwnerOnly(tmp)) {
            CRC32C crc = new CRC32C();
            CountingStream counted = new CountingStream(Channels.newOutputStream(channel));
            OutputStream out = new BufferedOutputStream(new CheckedOutputStream(counted, crc), 1 << 16);
            out.write(MAGIC);
            DataOutputStream data = new DataOutputStream(out);
            data.writeShort(FORMAT_VERSION);
            byte[] head = headerBytes(header);
            data.writeInt(head.length);
            data.write(head);
            data.flush();
            engine.writeState(out);
            out.flush();
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
            trailer.putLong(counted.count);
            trailer.putInt((int) crc.getValue());
            trailer.put(END);
            trailer.flip();
            while (trailer.hasRemaining()) {
                channel.write(trailer);
            }
            channel.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        forceFolder(dir);
    }

    /**
     * Reads a snapshot into a new engine. The whole file is checked first (magic, version, length, checksum), so
     * that nothing of a damaged file is believed; then the engine is read.
     *
     * @param file the file
     * @param engines makes the engine to read into (closed again if the file is refused)
     * @return the snapshot
     * @throws SnapshotException if the file cannot be used, saying why
     */
    public static Loaded read(Path file, Supplier<AnalyticsEngine> engines) throws SnapshotException {
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            check(file, channel, size);
        } catch (NoSuchFileException e) {
            throw new SnapshotException(file, "no such file", e);
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        AnalyticsEngine engine = null;
        boolean done = false;
        try (InputStream raw = new BoundedStream(Files.newInputStream(file), size - TRAILER_BYTES)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            in.readFully(new byte[MAGIC.length]);
            in.readUnsignedShort();
            int headLength = in.readInt();
            if (headLength < 0 || headLength > MAX_HEADER_BYTES) {
                throw new IOException("a header of " + headLength + " bytes");
            }
            byte[] head = new byte[headLength];
            in.readFully(head);
            Header header = readHeader(head);
            engine = engines.get();
            engine.readState(in);
            if (in.read() >= 0) {
                throw new IOException("bytes after the engine's state");
            }
            done = true;
            return new Loaded(file, header, engine, size);
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException(file, describe(e), e);
        } finally {
            if (!done && engine != null) {
                engine.close();
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return "damaged: its parts end early";
        }
        if (e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof IOException) {
            return "damaged: " + e.getMessage();
        }
        return "damaged or not readable by this dagscope (" + e + ")";
    }

    /** Checks magic, version, trailer, length and checksum. */
    private static void check(Path file, FileChannel channel, long size) throws IOException, SnapshotException {
        ByteBuffer start = ByteBuffer.allocate(MAGIC.length + 2);
        readAt(channel, start, 0);
        if (start.position() < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(start.array(), MAGIC.length), MAGIC)) {
            throw new SnapshotException(file, "not a dagscope snapshot (it does not start as one)", null);
        }
        if (start.position() < MAGIC.length + 2) {
            throw new SnapshotException(file, "truncated: " + size + " bytes", null);
        }
        int version = start.getShort(MAGIC.length) & 0xFFFF;
        if (version > FORMAT_VERSION) {
            throw new SnapshotException(file, "of format version " + version + ", newer than this dagscope reads ("
                    + FORMAT_VERSION + "): written by a later dagscope", null);
        }
        if (version != FORMAT_VERSION) {
            throw new SnapshotException(file, "of format version " + version + ", which this dagscope does not read ("
                    + FORMAT_VERSION + ")", null);
        }
        if (size < MAGIC.length + 2 + 4 + TRAILER_BYTES) {
            throw new SnapshotException(file, "truncated: " + size + " bytes", null);
        }
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
        readAt(channel, trailer, size - TRAILER_BYTES);
        byte[] end = Arrays.copyOfRange(trailer.array(), 12, TRAILER_BYTES);
        long bodyLength = trailer.getLong(0);
        if (!Arrays.equals(end, END) || bodyLength != size - TRAILER_BYTES) {
            throw new SnapshotException(file, "truncated or never finished: it does not end as a whole snapshot does"
                    + (Arrays.equals(end, END) ? " (" + size + " bytes, of " + (bodyLength + TRAILER_BYTES) + ")" : ""),
                    null);
        }
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long at = 0;
        while (at < bodyLength) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), bodyLength - at));
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException();
            }
            buffer.flip();
            crc.update(buffer);
            at += n;
        }
        if ((int) crc.getValue() != trailer.getInt(8)) {
            throw new SnapshotException(file, "damaged: its checksum does not match its bytes", null);
        }
    }

    private static void readAt(FileChannel channel, ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, at + into.position());
            if (n < 0) {
                return;
            }
        }
    }

    private static byte[] headerBytes(Header header) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(header.writer());
        out.writeLong(header.createdAt().getEpochSecond());
        out.writeInt(header.createdAt().getNano());
        out.writeLong(header.eventsApplied());
        out.writeInt(AnalyticsEngine.STATE_VERSION);
        out.writeInt(header.sources().size());
        for (Ingestor.SourcePosition s : header.sources()) {
            out.writeUTF(s.name());
            out.writeUTF(s.kind());
            out.writeUTF(s.location());
            out.writeBoolean(s.position().isPresent());
            if (s.position().isPresent()) {
                out.writeInt(s.position().get().length);
                out.write(s.position().get());
            } else {
                out.writeUTF(s.missing().orElseThrow());
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static Header readHeader(byte[] head) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(head));
        String writer = in.readUTF();
        Instant createdAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
        long events = in.readLong();
        int stateVersion = in.readInt();
        if (stateVersion != AnalyticsEngine.STATE_VERSION) {
            throw new IllegalArgumentException("its engine state is of version " + stateVersion + "; this dagscope "
                    + "reads version " + AnalyticsEngine.STATE_VERSION);
        }
        int n = in.readInt();
        if (n < 0 || n > head.length) {
            throw new IOException(n + " sources");
        }
        List<Ingestor.SourcePosition> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String kind = in.readUTF();
            String location = in.readUTF();
            if (in.readBoolean()) {
                int length = in.readInt();
                if (length < 0 || length > head.length) {
                    throw new IOException("a position of " + length + " bytes");
                }
                byte[] position = in.readNBytes(length);
                if (position.length != length) {
                    throw new EOFException();
                }
                sources.add(new Ingestor.SourcePosition(name, kind, location, Optional.of(position),
                        Optional.empty()));
            } else {
                sources.add(new Ingestor.SourcePosition(name, kind, location, Optional.empty(),
                        Optional.of(in.readUTF())));
            }
        }
        if (in.read() >= 0) {
            throw new IOException("bytes after the header");
        }
        return new Header(writer, createdAt, events, sources);
    }

    /** A new file, readable and writable by its owner only (where the file system has POSIX permissions). */
    private static FileChannel createOwnerOnly(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        try {
            return FileChannel.open(file, options, ownerOnly);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a temporary file is in the way: " + file, e);
        }
    }

    /** Forces a folder's entries (the rename) to the disk, where the platform can. */
    private static void forceFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens a folder; the rename is atomic anyway
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** The first {@code limit} bytes of a stream. */
    private static final class BoundedStream extends FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }
    }
}
