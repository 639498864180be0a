package io.dagscope.source.jsonl;

import io.dagscope.source.lines.StreamPosition;

/**
 * One log's bytes, as written, wherever they are now: the file the writer appends to, and any copy of it a rotation
 * made (a copy-truncate copy, a compressed rotated file). Every file of a stream starts with the same bytes
 * ({@link #head}); reading any of them resumes from the stream's {@link #position}, so bytes that two files share are
 * delivered once.
 */
final class LogStream {

    /** The stream's first bytes, as far as they have been delivered (up to {@link Fingerprint#MAX_BYTES}). */
    Fingerprint head = Fingerprint.NONE;

    /** How far the stream has been delivered, from whichever of its files. */
    final StreamPosition position = new StreamPosition();

    /** The poll in which a listed file last belonged to it; streams no file belongs to are forgotten oldest first. */
    long lastListed;

    /** @return whether a file seen for the first time can be recognised as a copy of this stream */
    boolean recognisesCopies() {
        return position.offset() > 0 && head.recognisesCopies();
    }
}
