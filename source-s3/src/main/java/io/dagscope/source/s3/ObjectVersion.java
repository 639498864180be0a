package io.dagscope.source.s3;

import java.time.Instant;
import java.util.Optional;

/**
 * What identifies one version of an object: its ETag where the store gives one, else its size and last-modified
 * time. A key whose version changes was rewritten.
 *
 * @param etag the ETag without quotes, if the store gives one
 * @param size the size in bytes, or -1 when unknown
 * @param lastModified when it was written, if known
 */
record ObjectVersion(Optional<String> etag, long size, Optional<Instant> lastModified) {

    /**
     * A version as a store reports it.
     *
     * @param etag the ETag, quoted or not, or null or blank when the store gives none
     * @param size the size, or null
     * @param lastModified when it was written, or null
     * @return the version
     */
    static ObjectVersion of(String etag, Long size, Instant lastModified) {
        String e = etag == null ? "" : etag.strip();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return new ObjectVersion(e.isEmpty() ? Optional.empty() : Optional.of(e), size == null ? -1 : size,
                Optional.ofNullable(lastModified));
    }

    /**
     * Whether two reports describe the same bytes: equal ETags when both have one, else equal sizes and
     * last-modified times (to the second, since a listing gives milliseconds and a GET's header whole seconds).
     *
     * @param other another report on the same key
     * @return whether it is the same version
     */
    boolean sameAs(ObjectVersion other) {
        if (etag.isPresent() && other.etag.isPresent()) {
            return etag.get().equals(other.etag.get());
        }
        boolean sizes = size < 0 || other.size < 0 || size == other.size;
        boolean times = lastModified.isEmpty() || other.lastModified.isEmpty()
                || lastModified.get().getEpochSecond() == other.lastModified.get().getEpochSecond();
        return sizes && times;
    }
}
