package io.dagscope.source.lines;

import io.dagscope.core.event.Event;
import io.dagscope.spi.SkipReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Lines decoded on one thread and kept, in order, to be counted and delivered later on another (the one that
 * polls): a segment of a large file, an object read ahead. Nothing in a batch is counted until it is
 * {@linkplain #handTo handed over}, so a batch thrown away leaves no trace. Events are kept with the offset past
 * each one's line; the other counted lines (ignored events, skipped lines) are kept apart, placed among the
 * events, so that an event costs no object beyond itself.
 */
public final class DecodedBatch implements DecodedLines {

    /**
     * A counted line that is not an event.
     *
     * @param eventsBefore how many of the batch's events come before it
     * @param end the stream offset past it
     * @param skipped why it was skipped, or null for an ignored event
     * @param ignoredAt an ignored event's instant
     */
    private record Counted(int eventsBefore, long end, SkipReason skipped, long ignoredAt) {
    }

    private final List<Event> events = new ArrayList<>();
    /** The stream offset after each event's line. */
    private long[] eventEnds = new long[256];
    private final List<Counted> counted = new ArrayList<>(0);

    /** An empty batch. */
    public DecodedBatch() {
    }

    @Override
    public void event(Event event, long timestampMicros, long end) {
        int n = events.size();
        if (n == eventEnds.length) {
            eventEnds = Arrays.copyOf(eventEnds, n * 2);
        }
        eventEnds[n] = end;
        events.add(event);
    }

    @Override
    public void ignored(long timestampMicros, long end) {
        counted.add(new Counted(events.size(), end, null, timestampMicros));
    }

    @Override
    public void skipped(SkipReason reason, long end) {
        counted.add(new Counted(events.size(), end, reason, 0));
    }

    /** @return how many lines it holds that count (events, ignored events, skipped lines) */
    public int lines() {
        return events.size() + counted.size();
    }

    /**
     * Hands the lines over in the order they were read. Before each one, {@code passed} is told the offset past it,
     * so that a reader's position moves past a line before it is counted or its event delivered: a sink that throws
     * half-way loses only its event, and what was handed over is never handed over again.
     *
     * @param to counts and delivers the lines
     * @param passed told the offset past each line before it is handed over
     */
    public void handTo(DecodedLines to, LongConsumer passed) {
        int next = 0;
        for (int i = 0; i < events.size(); i++) {
            for (; next < counted.size() && counted.get(next).eventsBefore() <= i; next++) {
                handTo(counted.get(next), to, passed);
            }
            Event event = events.get(i);
            long end = eventEnds[i];
            passed.accept(end);
            to.event(event, event.timestampMicros(), end);
        }
        for (; next < counted.size(); next++) {
            handTo(counted.get(next), to, passed);
        }
    }

    private static void handTo(Counted line, DecodedLines to, LongConsumer passed) {
        passed.accept(line.end());
        if (line.skipped() == null) {
            to.ignored(line.ignoredAt(), line.end());
        } else {
            to.skipped(line.skipped(), line.end());
        }
    }
}
