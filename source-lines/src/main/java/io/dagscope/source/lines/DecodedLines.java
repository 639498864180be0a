package io.dagscope.source.lines;

import io.dagscope.core.event.Event;
import io.dagscope.spi.SkipReason;

/**
 * Where decoded lines go, in stream order, each with the stream offset just past it: counted and delivered at once
 * ({@link Delivery}), or kept to be delivered later ({@link DecodedBatch}). Blank lines are not handed on.
 */
public interface DecodedLines {

    /**
     * An event the product uses; it counts as read.
     *
     * @param event the event
     * @param timestampMicros its instant (the event's own)
     * @param end the stream offset just past its line
     */
    void event(Event event, long timestampMicros, long end);

    /**
     * A valid event of a type the product does not use; it counts as read and as ignored.
     *
     * @param timestampMicros its instant
     * @param end the stream offset just past its line
     */
    void ignored(long timestampMicros, long end);

    /**
     * A line that is not an event, or is longer than the limit; it counts as skipped.
     *
     * @param reason why
     * @param end the stream offset just past it (for a long line, where the splitter reported it)
     */
    void skipped(SkipReason reason, long end);
}
