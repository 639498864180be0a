package io.dagscope.source.lines;

import io.dagscope.core.event.Event;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;

/**
 * Counts each decoded line and hands its event to the sink, for one poll of a source. The counts are kept in a
 * {@link SourceStatistics.Tally} of the polling thread and merged into the source's statistics every
 * {@value #LINES_PER_MERGE} lines, so that a long read shows progress, and by {@link #finish()}.
 */
public final class Delivery implements DecodedLines {

    /** Lines counted before the counts are made visible, so a long read shows progress. */
    public static final int LINES_PER_MERGE = 1 << 16;

    private final EventSink sink;
    private final SourceStatistics statistics;
    private final SourceStatistics.Tally tally = new SourceStatistics.Tally();
    private long delivered;

    /**
     * @param sink receives the events
     * @param statistics the source's statistics, which the counts are merged into
     */
    public Delivery(EventSink sink, SourceStatistics statistics) {
        this.sink = sink;
        this.statistics = statistics;
    }

    /** Counts the event, then hands it to the sink (an event the sink refuses by throwing stays counted). */
    @Override
    public void event(Event event, long timestampMicros, long end) {
        tally.eventRead(timestampMicros);
        sink.accept(event);
        delivered++;
        mergeEveryManyLines();
    }

    @Override
    public void ignored(long timestampMicros, long end) {
        tally.eventIgnored(timestampMicros);
        mergeEveryManyLines();
    }

    @Override
    public void skipped(SkipReason reason, long end) {
        tally.lineSkipped(reason);
        mergeEveryManyLines();
    }

    private void mergeEveryManyLines() {
        if (tally.lines() >= LINES_PER_MERGE) {
            statistics.merge(tally);
        }
    }

    /** Makes what was counted and not merged yet visible in the statistics; call it when the poll ends, however. */
    public void finish() {
        statistics.merge(tally);
    }

    /** @return the events handed to the sink so far */
    public long delivered() {
        return delivered;
    }
}
