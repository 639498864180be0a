package io.dagscope.source.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    /** Collects lines as text and counts over-long ones. */
    private static final class Collector implements LineSplitter.LineHandler {
        final List<String> lines = new ArrayList<>();
        int tooLong;

        @Override
        public boolean line(byte[] buf, int off, int len, long end) {
            lines.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
            return true;
        }

        @Override
        public boolean tooLong(long at) {
            tooLong++;
            return true;
        }
    }

    /** A stream that returns at most a few bytes per read, as a pipe or a slow disk may. */
    private static InputStream trickle(byte[] data, SplittableRandom random) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, random.nextInt(1, 7)));
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsEveryNewlineLikeAByteByByteSearch() {
        SplittableRandom random = new SplittableRandom(303);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(0, 40)];
            for (int k = 0; k < b.length; k++) {
                int r = random.nextInt(20);
                b[k] = (byte) (r == 0 ? '\n' : r == 1 ? 0x0B : r == 2 ? 0x8A : r == 3 ? 0x09 : random.nextInt(256));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = -1;
            for (int k = from; k < b.length; k++) {
                if (b[k] == '\n') {
                    expected = k;
                    break;
                }
            }
            assertEquals(expected, Newlines.indexOf(b, from, b.length));
        }
    }

    @Test
    void splitsRandomTextLikeStringSplitWhateverTheChunkAndReadSizes() throws IOException {
        SplittableRandom random = new SplittableRandom(76);
        for (int round = 0; round < 300; round++) {
            StringBuilder sb = new StringBuilder();
            List<String> expected = new ArrayList<>();
            int lines = random.nextInt(0, 30);
            for (int i = 0; i < lines; i++) {
                String line = "x".repeat(random.nextInt(0, 50)) + i;
                expected.add(line);
                sb.append(line).append('\n');
            }
            boolean unterminated = random.nextBoolean();
            if (unterminated) {
                sb.append("tail");
            }
            byte[] data = bytes(sb.toString());
            LineSplitter splitter = new LineSplitter(1000, random.nextInt(16, 64), LineSplitter.LongLines.AT_ONCE);
            Collector c = new Collector();
            StreamPosition pos = new StreamPosition();
            splitter.split(trickle(data, random), pos, false, c);
            assertEquals(expected, c.lines);
            assertEquals(data.length - (unterminated ? 4 : 0), pos.offset(), "held back: the tail");
            splitter.split(new ByteArrayInputStream(data, (int) pos.offset(), data.length), pos, true, c);
            if (unterminated) {
                expected.add("tail");
            }
            assertEquals(expected, c.lines);
            assertEquals(data.length, pos.offset());
        }
    }

    @Test
    void aLineLongerThanTheBufferGrowsItUpToTheLimit() throws IOException {
        String long1 = "y".repeat(500);
        LineSplitter splitter = new LineSplitter(500, 16, LineSplitter.LongLines.AT_ONCE);
        Collector c = new Collector();
        StreamPosition pos = new StreamPosition();
        splitter.split(new ByteArrayInputStream(bytes("a\n" + long1 + "\r\nb\n")), pos, true, c);
        assertEquals(List.of("a", long1 + "\r", "b"), c.lines, "a line of the limit plus its \\r still fits");
        assertEquals(0, c.tooLong);
    }

    @Test
    void anOverLongLineIsReportedOnceAndNeverBuffered() throws IOException {
        LineSplitter splitter = new LineSplitter(100, 32, LineSplitter.LongLines.AT_ONCE);
        Collector c = new Collector();
        StreamPosition pos = new StreamPosition();
        String data = "a\n" + "z".repeat(10_000) + "\nb\n" + "w".repeat(102) + "\nc";
        splitter.split(trickle(bytes(data), new SplittableRandom(1)), pos, true, c);
        assertEquals(List.of("a", "b", "c"), c.lines);
        assertEquals(2, c.tooLong);
        assertFalse(pos.insideLongLine());
        assertEquals(data.length(), pos.offset());
    }

    @Test
    void anOverLongLineCutByTheEndOfTheStreamIsSkippedOnWhenMoreArrives() throws IOException {
        LineSplitter splitter = new LineSplitter(10, 16, LineSplitter.LongLines.AT_ONCE);
        Collector c = new Collector();
        StreamPosition pos = new StreamPosition();
        splitter.split(new ByteArrayInputStream(bytes("ok\n" + "q".repeat(40))), pos, false, c);
        assertEquals(List.of("ok"), c.lines);
        assertEquals(1, c.tooLong);
        assertTrue(pos.insideLongLine());
        assertEquals(43, pos.offset(), "the counted part is consumed");
        splitter.split(new ByteArrayInputStream(bytes("qqq\nnext\n")), pos, false, c);
        assertEquals(List.of("ok", "next"), c.lines);
        assertEquals(1, c.tooLong);
        assertEquals(43 + 9, pos.offset());
    }

    @Test
    void thePositionIncludesALineBeforeItsHandlerRuns() {
        LineSplitter splitter = new LineSplitter(100, 16, LineSplitter.LongLines.AT_ONCE);
        StreamPosition pos = new StreamPosition();
        LineSplitter.LineHandler failing = new LineSplitter.LineHandler() {
            @Override
            public boolean line(byte[] buf, int off, int len, long end) {
                if (buf[off] == 'b') {
                    throw new IllegalStateException("sink failed");
                }
                return true;
            }

            @Override
            public boolean tooLong(long at) {
                return true;
            }
        };
        assertThrows(IllegalStateException.class,
                () -> splitter.split(new ByteArrayInputStream(bytes("a\nb\nc\n")), pos, true, failing));
        assertEquals(4, pos.offset());
    }

    @Test
    void positionsPastFourGibibytesStayExact() throws IOException {
        LineSplitter splitter = new LineSplitter(100, 16, LineSplitter.LongLines.AT_ONCE);
        Collector c = new Collector();
        StreamPosition pos = new StreamPosition();
        long far = (5L << 30) + 3;
        pos.moveTo(far);
        String data = "a\n" + "z".repeat(300) + "\nbb\nccc";
        splitter.split(new ByteArrayInputStream(bytes(data)), pos, false, c);
        assertEquals(List.of("a", "bb"), c.lines);
        assertEquals(far + data.length() - 3, pos.offset());
    }

    @Test
    void aHandlerThatStopsLeavesThePositionPastTheLastLineItTook() throws IOException {
        for (String data : List.of("a\nbb\n" + "z".repeat(300) + "\nccc\n", "a\nbb\nccc\n")) {
            LineSplitter splitter = new LineSplitter(100, 16, LineSplitter.LongLines.AT_ONCE);
            StreamPosition pos = new StreamPosition();
            List<String> seen = new ArrayList<>();
            boolean ended = splitter.split(new ByteArrayInputStream(bytes(data)), pos, true,
                    new LineSplitter.LineHandler() {
                        @Override
                        public boolean line(byte[] buf, int off, int len, long end) {
                            seen.add(new String(buf, off, len, StandardCharsets.ISO_8859_1) + "@" + end);
                            return seen.size() < 2;
                        }

                        @Override
                        public boolean tooLong(long at) {
                            seen.add("TOO_LONG@" + at);
                            return true;
                        }
                    });
            assertFalse(ended);
            assertEquals(List.of("a@2", "bb@5"), seen);
            assertEquals(5, pos.offset());
            assertFalse(pos.insideLongLine());
        }
    }

    @Test
    void aLongLineIsReportedAtOnceWhereItStartsAndAStopThereLeavesThePositionInsideIt() throws IOException {
        LineSplitter splitter = new LineSplitter(10, 16, LineSplitter.LongLines.AT_ONCE);
        StreamPosition pos = new StreamPosition(100);
        List<Long> reported = new ArrayList<>();
        boolean ended = splitter.split(new ByteArrayInputStream(bytes("ab\n" + "q".repeat(40) + "\nc\n")), pos,
                true, new LineSplitter.LineHandler() {
                    @Override
                    public boolean line(byte[] buf, int off, int len, long end) {
                        return true;
                    }

                    @Override
                    public boolean tooLong(long at) {
                        reported.add(at);
                        return false;
                    }
                });
        assertFalse(ended);
        assertEquals(List.of(103L), reported, "reported at its start");
        assertTrue(pos.insideLongLine());
        assertTrue(pos.offset() > 103, "what was read of it is consumed: " + pos);
    }
}
