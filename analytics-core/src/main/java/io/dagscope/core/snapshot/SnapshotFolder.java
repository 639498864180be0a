package io.dagscope.core.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A folder of snapshots, named {@code snapshot-<UTC time>-<sequence>.dgsnap} so that their names sort by age. The
 * newest valid one is where a start resumes from; the older ones are kept as a fall-back, up to a number. Temporary
 * files that a killed process left are removed.
 */
public final class SnapshotFolder {

    /** The suffix of snapshot files. */
    public static final String SUFFIX = ".dgsnap";
    private static final String PREFIX = "snapshot-";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private long sequence;

    /**
     * Opens a folder, creating it (readable by its owner only) if it does not exist.
     *
     * @param dir the folder
     * @throws UncheckedIOException if it cannot be created, or is not a folder
     */
    public SnapshotFolder(Path dir) {
        this.dir = dir;
        try {
            if (!Files.exists(dir)) {
                try {
                    Files.createDirectories(dir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " is not a folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /**
     * @return the snapshot files, newest first
     * @throws UncheckedIOException if the folder cannot be listed
     */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return out;
    }

    /**
     * A name for the next snapshot, after every file there.
     *
     * @param now the time it is made
     * @return its path (not created)
     */
    public synchronized Path next(Instant now) {
        List<Path> existing = files();
        String newest = existing.isEmpty() ? "" : existing.get(0).getFileName().toString();
        while (true) {
            sequence++;
            String name = PREFIX + TIME.format(now) + "-" + String.format("%06d", sequence % 1_000_000) + SUFFIX;
            if (name.compareTo(newest) > 0) {
                return dir.resolve(name);
            }
            now = now.plusMillis(1);
        }
    }

    /**
     * Removes the temporary files of snapshots that were never finished (a process killed while writing one).
     *
     * @return how many were removed
     */
    public int removeUnfinished() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + PREFIX + "*" + SUFFIX + ".tmp-*")) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
                removed++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    /**
     * Deletes all but the newest snapshots.
     *
     * @param keep how many to keep, at least 1
     */
    public void prune(int keep) {
        List<Path> files = files();
        for (Path old : files.subList(Math.min(Math.max(1, keep), files.size()), files.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
