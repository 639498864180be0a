package io.dagscope.source.jsonl;

import java.nio.file.Path;

/**
 * What a source knows about one file between polls.
 *
 * <p>The file is identified by its {@link #fileKey} (so a renamed file keeps its position) and checked by its
 * {@link #fingerprint} (so a file rewritten in place, or a new file on a reused inode, is read from its start). The
 * {@link #position} is in file bytes for a plain file and in decompressed bytes for a gzip file. Rotation by
 * copy-truncate will need no more state than this: the copy's fingerprint matches the original's, and the
 * original's size falls below its position.
 */
final class FileCursor {

    /** How the file is stored. */
    enum Kind {
        /** Not known yet: the file is shorter than gzip's magic number. */
        UNKNOWN,
        /** Plain text, read from the position to its end on every poll. */
        PLAIN,
        /** Gzip (one or more members), read whole once. */
        GZIP
    }

    /** Where the file is now; changes when a rename is recognised. */
    Path path;

    /** The file's identity when first seen, or null where the file system has none. */
    final Object fileKey;

    Kind kind = Kind.UNKNOWN;

    /** How far it has been read. */
    final StreamPosition position = new StreamPosition();

    /** The checksum of its first bytes, once it has any. */
    Fingerprint fingerprint;

    /** Nothing more will be read from it: a file read once, or a gzip file read to its end. */
    boolean complete;

    /** Why it cannot be read, for good (a corrupt gzip file), or null. */
    String failure;

    /** Bytes on disk past the position, as of the last read (plain files). */
    long lagBytes;

    /** The size of a gzip file that ended early when last read, so it is not decompressed again until it grows. */
    long truncatedGzipSize = -1;

    FileCursor(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /** Forgets everything read: the file will be read again from its start. */
    void restart() {
        kind = Kind.UNKNOWN;
        position.reset();
        fingerprint = null;
        complete = false;
        failure = null;
        lagBytes = 0;
        truncatedGzipSize = -1;
    }
}
