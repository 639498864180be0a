package io.dagscope.source.jsonl;

/**
 * How far a stream of lines has been consumed: every byte before {@link #offset} is a delivered line, a blank, or
 * part of an over-long line already counted. A line held back (no newline yet) starts at the offset.
 */
final class StreamPosition {

    /** Bytes consumed from the start of the stream (decompressed bytes for gzip). */
    long offset;

    /** Whether the offset is inside an over-long line, already counted, whose rest up to its newline is skipped. */
    boolean insideLongLine;

    void reset() {
        offset = 0;
        insideLongLine = false;
    }
}
