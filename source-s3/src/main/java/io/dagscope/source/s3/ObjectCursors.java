package io.dagscope.source.s3;

import io.dagscope.spi.SourceStatistics;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the source knows of each key it reads, in key order, matched with each listing: new keys get a cursor, keys
 * no longer listed are forgotten if nothing of them was taken (else kept, so a key that comes back in the same
 * version is not read twice), and a key whose version changed after lines of it were taken is stale and asks for a
 * rebuild. Owned by the polling thread.
 */
final class ObjectCursors {

    /** Keys in UTF-8 byte order, S3's listing order, whatever the characters. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private final S3Options options;
    private final TreeMap<String, ObjectCursor> cursors = new TreeMap<>(KEY_ORDER);
    private boolean rebuildWanted;

    /** @param options which keys are read, and how objects are named in messages */
    ObjectCursors(S3Options options) {
        this.options = options;
    }

    /**
     * Matches a listing with the cursors.
     *
     * @param listed every object under the prefix
     */
    void reconcile(List<StoredObject> listed) {
        Map<String, StoredObject> seen = new HashMap<>();
        for (StoredObject o : listed) {
            if (options.reads(o.key())) {
                seen.put(o.key(), o);
            }
        }
        for (Iterator<ObjectCursor> it = cursors.values().iterator(); it.hasNext();) {
            ObjectCursor c = it.next();
            StoredObject o = seen.remove(c.key);
            if (o == null) {
                if (!c.started()) {
                    it.remove();
                } else {
                    c.gone = true;
                }
                continue;
            }
            c.gone = false;
            if (!c.started()) {
                c.version = o.version();
                c.kind = ObjectCursor.Kind.UNKNOWN;
            } else if (!c.stale && !c.version.sameAs(o.version())) {
                markStale(c);
            }
        }
        for (StoredObject o : seen.values()) {
            cursors.put(o.key(), new ObjectCursor(o.key(), o.version()));
        }
    }

    /**
     * An object rewritten after lines of it were taken: not read again until the source is rewound, which it asks
     * for.
     *
     * @param c its cursor
     */
    void markStale(ObjectCursor c) {
        c.stale = true;
        rebuildWanted = true;
    }

    /**
     * An object found missing when it was read: what was taken of it stays counted; one nothing was taken of is
     * forgotten.
     *
     * @param c its cursor
     */
    void missing(ObjectCursor c) {
        if (c.started()) {
            c.gone = true;
        } else {
            cursors.remove(c.key);
        }
    }

    /**
     * The objects with lines left to read, in key order; an empty one is done with at once, without a request.
     *
     * @return their cursors
     */
    List<ObjectCursor> pending() {
        List<ObjectCursor> pending = new ArrayList<>();
        for (ObjectCursor c : cursors.values()) {
            if (c.pending()) {
                if (c.version.size() == 0) {
                    c.complete = true; // nothing to read, and no request spent on it
                } else {
                    pending.add(c);
                }
            }
        }
        return pending;
    }

    /**
     * Adds what is wrong with the objects: content that cannot be read, and objects rewritten after they were read.
     *
     * @param problems where the messages go
     */
    void problems(List<String> problems) {
        for (ObjectCursor c : cursors.values()) {
            if (c.failure != null) {
                problems.add(c.failure);
            }
            if (c.stale) {
                problems.add(options.objectName(c.key) + " was rewritten after it was read: its old lines are "
                        + "counted until the host rebuilds from scratch");
            }
        }
    }

    /**
     * Sets the lag: stored bytes not read yet, and objects with lines left to read.
     *
     * @param stats the source's statistics
     */
    void reportLag(SourceStatistics stats) {
        long bytes = 0;
        long objects = 0;
        for (ObjectCursor c : cursors.values()) {
            if (c.pending()) {
                objects++;
                bytes += c.remainingBytes();
            }
        }
        stats.lag(bytes, objects);
    }

    /** @return whether an object was rewritten after it was read since the last call */
    boolean rebuildRequested() {
        boolean wanted = rebuildWanted;
        rebuildWanted = false;
        return wanted;
    }

    /** Forgets every object. */
    void clear() {
        cursors.clear();
        rebuildWanted = false;
    }

    /** @return whether it knows no object */
    boolean isEmpty() {
        return cursors.isEmpty();
    }

    /**
     * Writes every key it knows with the version read, how far, and whether it is done with it, for a position
     * ({@code docs/sources/s3.md}, "Positions").
     *
     * @param out where to
     * @throws IOException from {@code out}
     */
    void write(DataOutput out) throws IOException {
        out.writeBoolean(rebuildWanted);
        out.writeInt(cursors.size());
        for (ObjectCursor c : cursors.values()) {
            out.writeUTF(c.key);
            out.writeBoolean(c.version.etag().isPresent());
            if (c.version.etag().isPresent()) {
                out.writeUTF(c.version.etag().get());
            }
            out.writeLong(c.version.size());
            out.writeBoolean(c.version.lastModified().isPresent());
            if (c.version.lastModified().isPresent()) {
                out.writeLong(c.version.lastModified().get().getEpochSecond());
                out.writeInt(c.version.lastModified().get().getNano());
            }
            out.writeByte(c.kind.ordinal());
            out.writeLong(c.offset);
            out.writeBoolean(c.complete);
            out.writeBoolean(c.stale);
            out.writeBoolean(c.gone);
            out.writeBoolean(c.failure != null);
            if (c.failure != null) {
                out.writeUTF(c.failure);
            }
        }
    }

    /**
     * Takes every object another knows, and whether it wants a rebuild: what a position recorded.
     *
     * @param other cursors read from a position
     */
    void takeFrom(ObjectCursors other) {
        cursors.putAll(other.cursors);
        rebuildWanted = other.rebuildWanted;
    }

    /**
     * Reads what {@link #write} wrote into this, which knows no object yet; changes nothing if it fails.
     *
     * @param in where from
     * @throws IOException when it is cut short or damaged
     */
    void read(DataInput in) throws IOException {
        boolean wanted = in.readBoolean();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(n + " objects");
        }
        ObjectCursor.Kind[] kinds = ObjectCursor.Kind.values();
        List<ObjectCursor> known = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            Optional<String> etag = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
            long size = in.readLong();
            Optional<Instant> modified = in.readBoolean()
                    ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
            ObjectCursor c = new ObjectCursor(key, new ObjectVersion(etag, size, modified));
            int kind = in.readUnsignedByte();
            if (kind >= kinds.length) {
                throw new IOException("an object of kind " + kind);
            }
            c.kind = kinds[kind];
            c.offset = in.readLong();
            c.complete = in.readBoolean();
            c.stale = in.readBoolean();
            c.gone = in.readBoolean();
            c.failure = in.readBoolean() ? in.readUTF() : null;
            if (c.offset < 0) {
                throw new IOException("an object read to " + c.offset);
            }
            known.add(c);
        }
        for (ObjectCursor c : known) {
            cursors.put(c.key, c);
        }
        rebuildWanted = wanted;
    }
}
