package io.dagscope.source.s3;

import java.util.Objects;

/**
 * One object as a listing shows it.
 *
 * @param key its key
 * @param version its version
 */
record StoredObject(String key, ObjectVersion version) {
    StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
    }
}
