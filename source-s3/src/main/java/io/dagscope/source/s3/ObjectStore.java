package io.dagscope.source.s3;

import java.io.InputStream;
import java.util.List;

/**
 * The two requests the source makes of a bucket: list the keys under a prefix, and get an object's bytes. Safe for
 * use by several threads at once.
 */
interface ObjectStore extends AutoCloseable {

    /**
     * Lists every object under a prefix, following the listing's pages to the end.
     *
     * @param prefix the key prefix, possibly empty
     * @return the objects, in the store's order
     * @throws StoreException if a page cannot be had
     */
    List<StoredObject> list(String prefix) throws StoreException;

    /**
     * Gets an object's bytes from an offset. The body is streamed from the store as it is read.
     *
     * @param key the key
     * @param from the first byte wanted (a ranged request when above 0)
     * @param expected the version the caller read before, to be refused (as {@link StoreException.Kind#CHANGED})
     *     if the object is not that version any more; null to take whatever version is there
     * @return the body and the version it belongs to
     * @throws StoreException if the object cannot be had
     */
    Fetched get(String key, long from, ObjectVersion expected) throws StoreException;

    /** Releases connections and threads. */
    @Override
    void close();

    /**
     * An object's body as it streams in.
     *
     * @param body the bytes from the requested offset; an {@link java.io.IOException} while reading it is a failure
     *     of the store (a reset connection, a body cut short), never of the object's content; closing it early drops
     *     the connection
     * @param version the version the bytes belong to (its size is the whole object's)
     */
    record Fetched(InputStream body, ObjectVersion version) {
    }
}
