package io.dagscope.source.s3;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;

/**
 * A bucket of one object, served from memory as a store serves it: listed under its key's prefixes, got from any
 * offset, always in one version.
 *
 * @param key the object's key
 * @param bytes its bytes
 */
record OneObjectStore(String key, byte[] bytes) implements ObjectStore {

    private ObjectVersion version() {
        return ObjectVersion.of("\"etag-1\"", (long) bytes.length, Instant.parse("2025-10-21T18:00:00Z"));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return key.startsWith(prefix) ? List.of(new StoredObject(key, version())) : List.of();
    }

    @Override
    public Fetched get(String wanted, long from, ObjectVersion expected) throws StoreException {
        if (!wanted.equals(key)) {
            throw new StoreException(StoreException.Kind.MISSING, wanted + " is not there", null);
        }
        int start = (int) Math.min(from, bytes.length);
        return new Fetched(new ByteArrayInputStream(bytes, start, bytes.length - start), version());
    }

    @Override
    public void close() {
    }
}
