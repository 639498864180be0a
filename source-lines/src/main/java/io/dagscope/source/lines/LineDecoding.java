package io.dagscope.source.lines;

import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.TimestampLimits;

/**
 * The one step that turns a line into what it is and hands that on: an event, an ignored event, or a skipped line
 * with its reason; a blank line is passed over. Every reader of JSONL lines decodes through it, whether it delivers
 * the lines at once or keeps them in a batch. Not thread-safe: it holds a {@link JsonlLineDecoder}, so give each
 * reading thread its own.
 */
public final class LineDecoding {

    private final JsonlLineDecoder decoder;

    /**
     * @param maxLineBytes lines longer than this, in bytes without their line ending, are skipped as too long
     * @param timestamps which timestamps to believe
     */
    public LineDecoding(int maxLineBytes, TimestampLimits timestamps) {
        this.decoder = new JsonlLineDecoder(maxLineBytes, timestamps);
    }

    /**
     * Decodes one line and hands what it is on.
     *
     * @param buf a buffer holding the line
     * @param off where the line starts
     * @param len its length, without its {@code \n}
     * @param end the stream offset just past the line
     * @param to receives the event, the ignored event or the skipped line
     */
    public void line(byte[] buf, int off, int len, long end, DecodedLines to) {
        switch (decoder.decode(buf, off, len)) {
            case EVENT -> to.event(decoder.event(), decoder.timestampMicros(), end);
            case IGNORED -> to.ignored(decoder.timestampMicros(), end);
            case SKIPPED -> to.skipped(decoder.skipReason(), end);
            case BLANK -> {
                // passed over, uncounted
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Hands on a line the splitter found longer than the limit.
     *
     * @param at where the splitter reported it
     * @param to receives it as skipped
     */
    public void tooLong(long at, DecodedLines to) {
        to.skipped(SkipReason.TOO_LONG, at);
    }

    /**
     * @param to receives every line
     * @return a handler that decodes every line a splitter finds into {@code to}, and never stops it
     */
    public LineSplitter.LineHandler into(DecodedLines to) {
        return new LineSplitter.LineHandler() {
            @Override
            public boolean line(byte[] buf, int off, int len, long end) {
                LineDecoding.this.line(buf, off, len, end, to);
                return true;
            }

            @Override
            public boolean tooLong(long at) {
                LineDecoding.this.tooLong(at, to);
                return true;
            }
        };
    }
}
