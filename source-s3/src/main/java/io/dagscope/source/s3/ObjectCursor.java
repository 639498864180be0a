package io.dagscope.source.s3;

import java.util.Objects;

/**
 * What the source knows of one key: the version it reads, how far it has read it, and whether it is done with it.
 * Only the polling thread changes a cursor.
 */
final class ObjectCursor {

    /** How an object's bytes are stored, told by its first two bytes. */
    enum Kind {
        /** Not looked at yet. */
        UNKNOWN,
        /** Plain text: resumed with a ranged request. */
        PLAIN,
        /** Gzip (magic bytes {@code 1f 8b}): resumed by reading it again and skipping what was decoded. */
        GZIP
    }

    final String key;
    /** The version being read: the listing's until a GET tells which bytes were really read. */
    ObjectVersion version;
    Kind kind = Kind.UNKNOWN;
    /** The offset, in the (decompressed) text, just past the last line taken; lines before it are never read again. */
    long offset;
    /** Read to its end. */
    boolean complete;
    /** Rewritten after lines of it were taken: not read again until the source is rewound. */
    boolean stale;
    /** Deleted after lines of it were taken: what was taken stays counted. */
    boolean gone;
    /** Why its content could not be read (a corrupt gzip), if so; it is not tried again. */
    String failure;

    /**
     * @param key the object's key
     * @param version its version as listed
     */
    ObjectCursor(String key, ObjectVersion version) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = Objects.requireNonNull(version, "version");
    }

    /** @return whether any of its lines were taken */
    boolean started() {
        return offset > 0 || complete;
    }

    /** @return whether it still has lines to read */
    boolean pending() {
        return !complete && !stale && !gone;
    }

    /** @return stored bytes not read yet: the rest of a plain object, all of any other, 0 when unknown */
    long remainingBytes() {
        long size = Math.max(0, version.size());
        return kind == Kind.PLAIN ? Math.max(0, size - offset) : size;
    }

    /** @return where to read it from next */
    ObjectReading.Plan plan() {
        return new ObjectReading.Plan(key, version, kind, offset);
    }
}
