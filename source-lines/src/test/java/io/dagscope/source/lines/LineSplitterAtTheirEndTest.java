package io.dagscope.source.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines and their end offsets, whatever the read sizes, with long lines dropped as they stream by and reported at
 * their end ({@link LineSplitter.LongLines#AT_THEIR_END}, as the S3 source reads objects, resuming after the last line
 * it took).
 */
class LineSplitterAtTheirEndTest {

    /** Records "text@end" per line and "TOO_LONG@end" per long line. */
    private static final class Recorder implements LineSplitter.LineHandler {
        final List<String> seen = new ArrayList<>();
        int stopAfter = Integer.MAX_VALUE;

        @Override
        public boolean line(byte[] buf, int off, int len, long end) {
            seen.add(new String(buf, off, len, StandardCharsets.UTF_8) + "@" + end);
            return seen.size() < stopAfter;
        }

        @Override
        public boolean tooLong(long end) {
            seen.add("TOO_LONG@" + end);
            return seen.size() < stopAfter;
        }
    }

    /** A splitter as the S3 source makes one: its first buffer no larger than a line can be. */
    private static LineSplitter splitter(int maxLineBytes) {
        return new LineSplitter(maxLineBytes, (int) Math.min(1 << 16, maxLineBytes + 2L),
                LineSplitter.LongLines.AT_THEIR_END);
    }

    /** Reads a whole stream, as an object's body, from a line start. */
    private static boolean read(LineSplitter splitter, InputStream in, long offset, Recorder r) throws IOException {
        return splitter.split(in, new StreamPosition(offset), true, r);
    }

    /** Hands out at most a few bytes per read, as a slow network does. */
    private static InputStream trickle(String text, int perRead) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, perRead));
            }
        };
    }

    @Test
    void splitsLinesAndTakesAFinalLineWithoutNewline() throws IOException {
        for (int perRead : new int[] {1, 3, 64, 1 << 20}) {
            Recorder r = new Recorder();
            assertTrue(read(splitter(100), trickle("ab\n\ncd\r\nef", perRead), 10, r));
            assertEquals(List.of("ab@13", "@14", "cd\r@18", "ef@20"), r.seen, "reads of " + perRead);
        }
    }

    @Test
    void reportsALongLineOnceAtItsEndWithoutHoldingIt() throws IOException {
        String longLine = "x".repeat(1000);
        for (int perRead : new int[] {1, 7, 4096}) {
            Recorder r = new Recorder();
            read(splitter(10), trickle("short\n" + longLine + "\nok\n" + longLine, perRead), 0, r);
            assertEquals(List.of("short@6", "TOO_LONG@1007", "ok@1010", "TOO_LONG@2010"), r.seen);
        }
    }

    @Test
    void handsOverALineOfUpToTheLimitPlusACarriageReturnAndDropsLongerOnes() throws IOException {
        Recorder r = new Recorder();
        // one byte past the limit is still handed over: it may be a '\r', and the decoder judges the rest
        read(splitter(4), trickle("abcd\r\nabcde\nabcdef\n", 2), 0, r);
        assertEquals(List.of("abcd\r@6", "abcde@12", "TOO_LONG@19"), r.seen);
    }

    @Test
    void stopsWhenTheHandlerSaysSoAndTheEndOffsetTellsWhereToResume() throws IOException {
        Recorder r = new Recorder();
        r.stopAfter = 2;
        assertFalse(read(splitter(100), trickle("a\nbb\nccc\n", 4), 0, r));
        assertEquals(List.of("a@2", "bb@5"), r.seen);
        Recorder rest = new Recorder();
        InputStream resumed = trickle("a\nbb\nccc\n".substring(5), 4);
        assertTrue(read(splitter(100), resumed, 5, rest));
        assertEquals(List.of("ccc@9"), rest.seen);
    }

    @Test
    void aStreamThatFailsInsideALongLineLeavesThePositionInsideItUnreported() throws IOException {
        String text = "ok\n" + "x".repeat(100);
        InputStream failing = new SequenceInputStream(trickle(text, 7), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new EOFException("cut");
            }
        });
        Recorder r = new Recorder();
        StreamPosition position = new StreamPosition(20);
        assertThrows(EOFException.class, () -> splitter(10).split(failing, position, true, r));
        assertEquals(List.of("ok@23"), r.seen, "the long line is not reported: its end never came");
        assertTrue(position.insideLongLine());
        assertEquals(20 + text.length(), position.offset(), "everything read of it is consumed");
    }

    @Test
    void aStreamThatFailsBetweenLinesLeavesThePositionAfterTheLastLine() throws IOException {
        InputStream failing = new SequenceInputStream(trickle("ab\ncd", 1), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("reset");
            }
        });
        Recorder r = new Recorder();
        StreamPosition position = new StreamPosition();
        assertThrows(IOException.class, () -> splitter(10).split(failing, position, true, r));
        assertEquals(List.of("ab@3"), r.seen);
        assertFalse(position.insideLongLine());
        assertEquals(3, position.offset());
    }
}
