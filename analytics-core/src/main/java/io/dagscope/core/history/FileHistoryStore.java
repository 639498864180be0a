package io.dagscope.core.history;

import io.dagscope.core.port.out.HistoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link HistoryStore} in memory-mapped files of a directory, so that history costs disk and page cache instead of
 * heap: the operating system keeps the pages that queries read and may evict the rest.
 *
 * <p>Blocks go into one file, in regions mapped one at a time as the file grows: 1 MiB first, then each as large as the
 * file so far, up to {@value #REGION_BYTES} bytes (each block preceded by its length; a block larger than that gets a
 * region of its own), so that a small history writes little. A region whose blocks
 * were all released is reused for new blocks. Each table is a file of its own, deleted when freed. The files are
 * private to the store: they are created in the directory under new names, and deleted on {@link #close()} (and at
 * the JVM's exit, should close not be reached). Nothing is synced to disk: the files are a cache of what the logs
 * say, not a database. Space is written (zeros) before it is mapped, so a full disk is an
 * {@link UncheckedIOException} from {@link #put} or {@link #allocate}, and the engine keeps the history live.
 *
 * <p><b>Files a crash left.</b> A process killed outright ({@code kill -9}, the OOM killer, a power cut) deletes
 * nothing. So every store holds a lock file of its own, {@code dagscope-history-<jvm>-<store>.lock}, locked with
 * {@link FileChannel#lock} while it is open (the operating system drops the lock when the process dies, however it
 * dies), and names its other files after it ({@code <name>.blocks}, {@code <name>-<n>.table}). Opening a store
 * first removes the files of every store in the directory whose lock can be taken: its process is gone. It never
 * touches a store whose lock is held (another live process: several may share the temporary directory), the stores
 * of its own JVM (named with this JVM's id, they are never even opened, since closing a channel on a file would drop
 * this JVM's lock on it), nor any file not named that way.
 */
public final class FileHistoryStore implements HistoryStore {

    /** The largest region for ordinary blocks; the first has {@link #FIRST_REGION_BYTES}, each next the file's size. */
    static final int REGION_BYTES = 64 << 20;
    static final int FIRST_REGION_BYTES = 1 << 20;
    private static final int PAGE = 4096;

    /** The prefix of every file a store makes. */
    static final String PREFIX = "dagscope-history-";
    /** This JVM's id in its stores' names: files named with it belong to a store of this JVM. */
    private static final String JVM_ID = randomId();
    /** A store's name: the prefix, a JVM's id and the store's own. */
    private static final Pattern STORE = Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{16})-[0-9a-f]{16}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    /** The store's name; every file of the store starts with it. */
    private final String name;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final Path blocksFile;
    private final FileChannel blocks;
    private int tablesMade;
    /** Mapped regions, by start offset (ascending). */
    private final List<Region> regions = new ArrayList<>();
    private long[] regionStarts = new long[8];
    private final ArrayDeque<Region> freeRegions = new ArrayDeque<>();
    private Region current;
    private long fileEnd;
    private final Map<ByteBuffer, Path> tables = new IdentityHashMap<>();
    private long blockBytes;
    private long releasedBytes;
    private long tableBytes;
    private boolean closed;

    private static final class Region {
        final long start;
        final int size;
        final MappedByteBuffer buffer;
        final ByteBuffer readOnly;
        int used;
        long liveBlocks;
        long releasedPayload;

        Region(long start, int size, MappedByteBuffer buffer) {
            this.start = start;
            this.size = size;
            this.buffer = buffer;
            this.readOnly = buffer.asReadOnlyBuffer();
        }
    }

    private FileHistoryStore(Path directory, String name, Path lockFile, FileChannel lockChannel) throws IOException {
        this.directory = directory;
        this.name = name;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.blocksFile = createFile(directory.resolve(name + ".blocks"));
        this.blocks = FileChannel.open(blocksFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * A store whose files go into a directory (created when missing). The files that stores of processes no longer
     * running left there are removed first.
     *
     * @param directory where the files go; other files in it are left alone
     * @return the store
     * @throws UncheckedIOException if the directory cannot be created or written
     */
    public static FileHistoryStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            removeLeftovers(directory);
            for (int attempt = 0; ; attempt++) {
                String name = PREFIX + JVM_ID + "-" + randomId();
                Path lockFile = createFile(directory.resolve(name + ".lock"));
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                // another process's start may have taken the new file for a dead one's before it was locked, and
                // deleted it: then try again under another name
                if (lock != null && Files.exists(lockFile)) {
                    try {
                        return new FileHistoryStore(directory, name, lockFile, channel);
                    } catch (IOException e) {
                        channel.close();
                        deleteQuietly(lockFile);
                        throw e;
                    }
                }
                channel.close();
                if (attempt == 10) {
                    throw new IOException("could not lock a new file in " + directory);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep history in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the files of every store in a directory whose process is gone: the stores whose lock file can be
     * locked. One JVM does it once at a time, so that two of its stores opening together do not lock the same file
     * (closing either channel would drop the other's lock).
     *
     * @param directory the directory
     * @return how many dead stores' files were removed (for tests)
     */
    static synchronized int removeLeftovers(Path directory) throws IOException {
        List<String> dead = new ArrayList<>();
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(directory, PREFIX + "*.lock")) {
            for (Path lockFile : locks) {
                String file = lockFile.getFileName().toString();
                String store = file.substring(0, file.length() - ".lock".length());
                Matcher m = STORE.matcher(store);
                if (!m.matches() || m.group(1).equals(JVM_ID)) {
                    continue; // not a store's, or one of this JVM's stores
                }
                if (removeIfDead(directory, store, lockFile)) {
                    dead.add(store);
                }
            }
        }
        return dead.size();
    }

    /** Removes a store's files if its lock can be taken (its process is gone); true if it did. */
    private static boolean removeIfDead(Path directory, String store, Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false; // its process is running
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, store + "*")) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (n.startsWith(store + ".") && !n.equals(store + ".lock") || n.startsWith(store + "-")) {
                        deleteQuietly(f);
                    }
                }
            }
            // the lock file last, while still locked: a crash before this leaves it to the next start
            deleteQuietly(lockFile);
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return false; // gone already, not ours to open, or being removed by another start: left alone
        }
    }

    /** A new file only its owner may read and write (where the file system has POSIX permissions). */
    private static Path createFile(Path file) throws IOException {
        Path created = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createFile(file);
        created.toFile().deleteOnExit();
        return created;
    }

    private static String randomId() {
        return String.format("%016x", new SecureRandom().nextLong());
    }

    /** @return the directory the files are in */
    public Path directory() {
        return directory;
    }

    @Override
    public long put(byte[] bytes, int length) {
        ensureOpen();
        int needed = length + 4;
        if (current == null || current.size - current.used < needed) {
            Region previous = current;
            current = newRegion(needed);
            if (previous != null && previous.liveBlocks == 0) {
                recycle(previous);
            }
        }
        int at = current.used;
        current.buffer.putInt(at, length);
        current.buffer.put(at + 4, bytes, 0, length);
        current.used += needed;
        current.liveBlocks++;
        blockBytes += length;
        return current.start + at + 1;
    }

    @Override
    public ByteBuffer get(long handle) {
        Region region = regionOf(handle - 1);
        int at = (int) (handle - 1 - region.start);
        int length = region.readOnly.getInt(at);
        return region.readOnly.slice(at + 4, length);
    }

    @Override
    public void release(long handle) {
        Region region = regionOf(handle - 1);
        int length = region.readOnly.getInt((int) (handle - 1 - region.start));
        blockBytes -= length;
        releasedBytes += length;
        region.releasedPayload += length;
        if (--region.liveBlocks == 0 && region != current) {
            recycle(region);
        }
    }

    /** A region whose blocks were all released takes new blocks (a region of its own size only for a large one). */
    private void recycle(Region region) {
        releasedBytes -= region.releasedPayload;
        region.releasedPayload = 0;
        region.used = 0;
        freeRegions.add(region);
    }

    private Region newRegion(int needed) {
        for (Region free : freeRegions) {
            if (free.size >= needed) {
                freeRegions.remove(free);
                return free;
            }
        }
        long ordinary = Math.min(REGION_BYTES, Math.max(FIRST_REGION_BYTES, fileEnd));
        int size = (int) Math.min(Integer.MAX_VALUE - PAGE + 1L,
                Math.max(ordinary, ((long) needed + PAGE - 1) / PAGE * PAGE));
        if (size < needed) {
            throw new IllegalArgumentException("a block of " + (needed - 4) + " bytes is too large");
        }
        try {
            reserve(blocks, fileEnd, size);
            MappedByteBuffer buffer = blocks.map(FileChannel.MapMode.READ_WRITE, fileEnd, size);
            Region region = new Region(fileEnd, size, buffer);
            fileEnd += size;
            if (regions.size() == regionStarts.length) {
                regionStarts = Arrays.copyOf(regionStarts, regionStarts.length * 2);
            }
            regionStarts[regions.size()] = region.start;
            regions.add(region);
            return region;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow " + blocksFile + ": " + e.getMessage(), e);
        }
    }

    private Region regionOf(long offset) {
        int i = Arrays.binarySearch(regionStarts, 0, regions.size(), offset);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0 || offset >= regions.get(i).start + regions.get(i).size) {
            throw new IllegalArgumentException("no block " + (offset + 1));
        }
        return regions.get(i);
    }

    /** @return the regions mapped so far (for tests) */
    int regions() {
        return regions.size();
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        ensureOpen();
        if (bytes < 0 || bytes > MAX_TABLE_BYTES) {
            throw new IllegalArgumentException("a table has 0 to " + MAX_TABLE_BYTES + " bytes, not " + bytes);
        }
        try {
            Path file = createFile(directory.resolve(name + "-" + (++tablesMade) + ".table"));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                reserve(channel, 0, bytes);
                MappedByteBuffer table = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
                tables.put(table, file);
                tableBytes += bytes;
                return table;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a table in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void free(ByteBuffer table) {
        Path file = tables.remove(table);
        if (file == null) {
            throw new IllegalArgumentException("not a table of this store");
        }
        tableBytes -= table.capacity();
        deleteQuietly(file);
    }

    @Override
    public Usage usage() {
        return new Usage("files", blockBytes, releasedBytes, tableBytes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            blocks.close();
        } catch (IOException e) {
            // the file is deleted below either way
        }
        deleteQuietly(blocksFile);
        tables.values().forEach(FileHistoryStore::deleteQuietly);
        tables.clear();
        // the lock file last, still locked, so that no start takes this store for a dead one before its files go
        deleteQuietly(lockFile);
        try {
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        // the mappings stay valid for readers still holding a buffer; the JVM unmaps them when they are collected
    }

    /**
     * Writes zeros over {@code [from, from + size)}, so that the disk space exists before the region is mapped: a
     * full disk is then an {@link IOException} here, not a fault when a mapped page is first written.
     */
    private static void reserve(FileChannel channel, long from, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 1 << 20));
        long at = from;
        long end = from + size;
        while (at < end) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), end - at));
            at += channel.write(zeros, at);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the history store is closed");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file left in the temporary directory is the worst outcome
        }
    }
}
