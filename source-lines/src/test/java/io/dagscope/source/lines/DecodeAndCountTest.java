package io.dagscope.source.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;
import io.dagscope.spi.TimestampLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one decode-and-count step: lines decoded on one thread into a {@link DecodedBatch} and handed over later count
 * and deliver exactly what lines decoded straight into a {@link Delivery} do, in the same order, with the position
 * past each line before it is counted; a sink that throws loses only its event on either path.
 */
class DecodeAndCountTest {

    private static final int MAX_LINE = 120;

    /** Events mostly, and every other kind of line: blank, not JSON, ignored, skipped, over-long. */
    private static byte[] lines(SplittableRandom r, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            String line = switch (r.nextInt(12)) {
                case 0 -> "";
                case 1 -> "not json " + i;
                case 2 -> "{\"timestamp\": \"2026-01-05T10:00:00Z\", \"event\": \"resume_token\"}";
                case 3 -> "{\"timestamp\": \"yesterday\", \"event\": \"task_ok\"}";
                case 4 -> "x".repeat(MAX_LINE + 1 + r.nextInt(200));
                default -> "{\"timestamp\": \"2026-01-05T10:" + String.format("%02d", i % 60)
                        + ":00Z\", \"event\": \"task_start\", \"dag_name\": \"d\", \"dag_run_id\": \"r\", "
                        + "\"task_id\": \"t" + i + "\"}";
            };
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static LineDecoding decoding() {
        return new LineDecoding(MAX_LINE, TimestampLimits.of(Clock.systemUTC()));
    }

    private static SourceStatistics statistics() {
        return new SourceStatistics("t", "test", "memory");
    }

    private record Read(List<Event> events, SourceStatus status, List<Long> positions) {
    }

    /** Splits and decodes straight into a delivery, as a source reading on its polling thread does. */
    private static Read direct(byte[] data, LineSplitter.LongLines longLines, EventSink sink) throws IOException {
        List<Event> events = new ArrayList<>();
        SourceStatistics statistics = statistics();
        Delivery delivery = new Delivery(e -> {
            sink.accept(e);
            events.add(e);
        }, statistics);
        StreamPosition position = new StreamPosition();
        List<Long> positions = new ArrayList<>();
        DecodedLines recording = new DecodedLines() {
            @Override
            public void event(Event event, long timestampMicros, long end) {
                positions.add(position.offset());
                delivery.event(event, timestampMicros, end);
            }

            @Override
            public void ignored(long timestampMicros, long end) {
                positions.add(position.offset());
                delivery.ignored(timestampMicros, end);
            }

            @Override
            public void skipped(SkipReason reason, long end) {
                positions.add(position.offset());
                delivery.skipped(reason, end);
            }
        };
        try {
            new LineSplitter(MAX_LINE, 64, longLines).split(new ByteArrayInputStream(data), position, true,
                    decoding().into(recording));
        } finally {
            delivery.finish();
        }
        return new Read(events, statistics.snapshot(), positions);
    }

    /** Decodes into a batch first, then hands it to a delivery, as a segment or an object read ahead is. */
    private static Read batched(byte[] data, LineSplitter.LongLines longLines, EventSink sink) throws IOException {
        DecodedBatch batch = new DecodedBatch();
        new LineSplitter(MAX_LINE, 64, longLines).split(new ByteArrayInputStream(data), new StreamPosition(), true,
                decoding().into(batch));
        List<Event> events = new ArrayList<>();
        SourceStatistics statistics = statistics();
        Delivery delivery = new Delivery(e -> {
            sink.accept(e);
            events.add(e);
        }, statistics);
        List<Long> positions = new ArrayList<>();
        try {
            batch.handTo(delivery, positions::add);
        } finally {
            delivery.finish();
        }
        return new Read(events, statistics.snapshot(), positions);
    }

    @Test
    void aBatchHandedOverCountsAndDeliversWhatDecodingStraightIntoADeliveryDoes() throws IOException {
        SplittableRandom r = new SplittableRandom(1501);
        for (int round = 0; round < 100; round++) {
            byte[] data = lines(r, r.nextInt(0, 300));
            for (LineSplitter.LongLines longLines : LineSplitter.LongLines.values()) {
                Read direct = direct(data, longLines, e -> { });
                Read batched = batched(data, longLines, e -> { });
                String what = "round " + round + ", " + longLines;
                assertEquals(direct.events(), batched.events(), what);
                assertEquals(direct.status(), batched.status(), what);
                assertEquals(direct.positions(), batched.positions(), what + ": the position past each line");
            }
        }
    }

    @Test
    void aSinkThatThrowsLosesOnlyItsEventOnEitherPathAndTheLinesBeforeItStayCounted() throws IOException {
        byte[] data = lines(new SplittableRandom(9), 200);
        Read whole = direct(data, LineSplitter.LongLines.AT_ONCE, e -> { });
        assertTrue(whole.events().size() > 50);
        for (int refuse : new int[] {1, 2, 25, whole.events().size()}) {
            List<Read> reads = new ArrayList<>();
            for (boolean viaBatch : new boolean[] {false, true}) {
                int[] seen = {0};
                List<Event> got = new ArrayList<>();
                SourceStatistics statistics = statistics();
                Delivery delivery = new Delivery(e -> {
                    if (++seen[0] == refuse) {
                        throw new IllegalStateException("the fold failed");
                    }
                    got.add(e);
                }, statistics);
                List<Long> positions = new ArrayList<>();
                StreamPosition position = new StreamPosition();
                assertThrows(IllegalStateException.class, () -> {
                    try {
                        if (viaBatch) {
                            DecodedBatch batch = new DecodedBatch();
                            new LineSplitter(MAX_LINE, 64, LineSplitter.LongLines.AT_ONCE).split(
                                    new ByteArrayInputStream(data), new StreamPosition(), true,
                                    decoding().into(batch));
                            batch.handTo(delivery, position::moveTo);
                        } else {
                            new LineSplitter(MAX_LINE, 64, LineSplitter.LongLines.AT_ONCE).split(
                                    new ByteArrayInputStream(data), position, true, decoding().into(delivery));
                        }
                    } finally {
                        delivery.finish();
                    }
                });
                positions.add(position.offset());
                reads.add(new Read(got, statistics.snapshot(), positions));
            }
            String what = "event " + refuse + " refused";
            assertEquals(whole.events().subList(0, refuse - 1), reads.get(0).events(), what);
            assertEquals(reads.get(0).events(), reads.get(1).events(), what);
            assertEquals(reads.get(0).status(), reads.get(1).status(), what);
            SourceStatus status = reads.get(0).status();
            assertEquals(refuse + status.ignored(), status.eventsRead(),
                    what + ": the refused event counts as read (ignored events count as read too)");
            assertEquals(reads.get(0).positions(), reads.get(1).positions(), what + ": past the refused line");
        }
    }

    @Test
    void countsBecomeVisibleEveryManyLinesSoALongReadShowsProgress() throws IOException {
        StringBuilder sb = new StringBuilder();
        int lines = Delivery.LINES_PER_MERGE + 10;
        for (int i = 0; i < lines; i++) {
            sb.append("not json\n");
        }
        SourceStatistics statistics = statistics();
        Delivery delivery = new Delivery(e -> { }, statistics);
        List<Long> seenMidway = new ArrayList<>();
        new LineSplitter(MAX_LINE, 64, LineSplitter.LongLines.AT_ONCE).split(
                new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), new StreamPosition(), true,
                new LineSplitter.LineHandler() {
                    private final LineDecoding decoding = decoding();

                    @Override
                    public boolean line(byte[] buf, int off, int len, long end) {
                        decoding.line(buf, off, len, end, delivery);
                        seenMidway.add(statistics.snapshot().skippedByReason().getOrDefault("not_json", 0L));
                        return true;
                    }

                    @Override
                    public boolean tooLong(long at) {
                        return true;
                    }
                });
        assertEquals(0L, seenMidway.get(Delivery.LINES_PER_MERGE - 2), "not merged yet");
        assertEquals((long) Delivery.LINES_PER_MERGE, seenMidway.get(Delivery.LINES_PER_MERGE - 1),
                "merged once that many lines were counted");
        assertEquals((long) Delivery.LINES_PER_MERGE, seenMidway.get(lines - 1), "the rest waits for the end");
        delivery.finish();
        assertEquals(Map.of("not_json", (long) lines), statistics.snapshot().skippedByReason());
        assertEquals(0, delivery.delivered());
    }
}
