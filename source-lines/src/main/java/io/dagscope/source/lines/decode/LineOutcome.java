package io.dagscope.source.lines.decode;

/** What {@link JsonlLineDecoder#decode(byte[], int, int)} made of a line. */
public enum LineOutcome {
    /** An event this product uses: {@link JsonlLineDecoder#event()}. It counts as read. */
    EVENT,
    /**
     * A valid event line of a type this product does not use (e.g. {@code resume_token}); it has a valid timestamp,
     * {@link JsonlLineDecoder#timestampMicros()}, and counts as read and as ignored.
     */
    IGNORED,
    /** Not an event: {@link JsonlLineDecoder#skipReason()} says why. It counts as skipped. */
    SKIPPED,
    /** Empty or whitespace only: passed over and not counted. */
    BLANK
}
