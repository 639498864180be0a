package io.dagscope.source.lines;

/**
 * How far a stream of lines has been consumed: every byte before {@link #offset()} is a delivered line, a blank, or
 * part of an over-long line already counted. A line held back (no newline yet) starts at the offset.
 *
 * <p>{@link LineSplitter} moves it line by line as it reads, so it is right even when the stream or a handler fails
 * half-way. Owned by the thread that reads; not thread-safe.
 */
public final class StreamPosition {

    /** Bytes consumed from the start of the stream (decompressed bytes for gzip). */
    private long offset;

    /** Whether the offset is inside an over-long line whose rest, up to its newline, is skipped. */
    private boolean insideLongLine;

    /** The start of a stream. */
    public StreamPosition() {
    }

    /**
     * A line start.
     *
     * @param offset bytes consumed from the start of the stream
     */
    public StreamPosition(long offset) {
        this.offset = offset;
    }

    /** @return bytes consumed from the start of the stream (decompressed bytes for gzip) */
    public long offset() {
        return offset;
    }

    /**
     * @return whether the offset is inside an over-long line, whose rest up to its newline is skipped (counted
     *     already, or counted when its end arrives, as the splitter's {@link LineSplitter.LongLines} says)
     */
    public boolean insideLongLine() {
        return insideLongLine;
    }

    /**
     * Moves to the start of a line: past the lines before it.
     *
     * @param offset bytes consumed from the start of the stream
     */
    public void moveTo(long offset) {
        this.offset = offset;
        this.insideLongLine = false;
    }

    /**
     * Moves inside an over-long line: what is before the offset of it is consumed, its rest is skipped.
     *
     * @param offset bytes consumed from the start of the stream
     */
    public void moveInsideLongLine(long offset) {
        this.offset = offset;
        this.insideLongLine = true;
    }

    /**
     * Moves to where another position stands.
     *
     * @param other the position to copy
     */
    public void moveTo(StreamPosition other) {
        this.offset = other.offset;
        this.insideLongLine = other.insideLongLine;
    }

    /** Goes back to the start of the stream. */
    public void reset() {
        moveTo(0);
    }

    @Override
    public String toString() {
        return insideLongLine ? offset + " (inside an over-long line)" : Long.toString(offset);
    }
}
