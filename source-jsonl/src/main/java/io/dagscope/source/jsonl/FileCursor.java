package io.dagscope.source.jsonl;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * What a source knows about one file between polls.
 *
 * <p>The file is identified by its {@link #fileKey}, so a renamed file keeps its place, and belongs to a
 * {@link LogStream} once its first bytes have told which: a log of its own, or a copy of a log already known. Its
 * size and modification time when last examined let an unchanged file be passed over without opening it.
 */
final class FileCursor {

    /** How the file is stored. */
    enum Kind {
        /** Not known yet: the file is shorter than gzip's magic number. */
        UNKNOWN,
        /** Plain text, read from the stream's position to its end whenever it changes. */
        PLAIN,
        /** Gzip (one or more members), read whole once it is complete. */
        GZIP
    }

    /** Where the file is now; changes when a rename is recognised. */
    Path path;

    /** The file's identity when first seen, or null where the file system has none. */
    final Object fileKey;

    Kind kind = Kind.UNKNOWN;

    /**
     * The log this file holds, or null while that is not known: the file is too short to tell, or its bytes so far
     * are the start of a log already read (a copy still being written).
     */
    LogStream stream;

    /** Bytes at the start of this plain file known to be part of its stream; a file shorter than this was truncated. */
    long covered;

    /** Nothing more will be read from it unless it changes: a file read once, or a gzip file read to its end. */
    boolean complete;

    /** What went wrong when it was last examined, or null. */
    String problem;

    /** Bytes on disk past the stream's position, as of the last examination (plain files). */
    long lagBytes;

    /** The size of a gzip file that ended early when last read, so it is not decompressed again until it grows. */
    long truncatedGzipSize = -1;

    /** Size and modification time when last examined to the end, or -1 and null. */
    private long seenSize = -1;
    private FileTime seenModified;

    /** Whether an unchanged size and modification time prove that the file has not changed since. */
    private boolean settled;

    FileCursor(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /** Leaves its stream: the file's bytes are not the ones its position was taken on. */
    void detach() {
        kind = Kind.UNKNOWN;
        stream = null;
        covered = 0;
        complete = false;
        lagBytes = 0;
        truncatedGzipSize = -1;
    }

    /**
     * Records the listing a file was examined after.
     *
     * @param f the file as listed before it was examined
     * @param settled whether an unchanged listing will prove it unchanged
     */
    void examined(MatchedFile f, boolean settled) {
        seenSize = f.size();
        seenModified = f.lastModified();
        this.settled = settled;
    }

    /** @return the size when last examined to the end, or -1 */
    long seenSize() {
        return seenSize;
    }

    /** @return the modification time when last examined to the end, or null */
    FileTime seenModified() {
        return seenModified;
    }

    /** @return whether an unchanged size and modification time prove the file unchanged */
    boolean settled() {
        return settled;
    }

    /** Sets the last examination as a recorded position gives it (see {@link JsonlSource#resume}). */
    void restoreExamination(long size, FileTime modified, boolean wasSettled) {
        seenSize = size;
        seenModified = modified;
        settled = wasSettled;
    }

    /** Forgets the last examination, so the file is examined on the next poll. */
    void unsettle() {
        seenModified = null;
        settled = false;
    }

    /**
     * @param f the file as listed now
     * @return whether it certainly has not changed since it was last examined
     */
    boolean unchangedSince(MatchedFile f) {
        boolean same = seenModified != null && f.size() == seenSize && f.lastModified().equals(seenModified);
        // a gzip file read whole is not decompressed again for a modification time that looks recent
        return same && (settled || (complete && kind == Kind.GZIP));
    }
}
