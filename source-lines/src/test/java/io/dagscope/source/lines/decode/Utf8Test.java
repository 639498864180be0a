package io.dagscope.source.lines.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static boolean jdkSaysWellFormed(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void acceptsAsciiAndEveryEncodedCodePoint() {
        assertTrue(Utf8.isWellFormed(new byte[0], 0, 0));
        assertTrue(Utf8.isWellFormed("plain ascii, longer than eight bytes".getBytes(StandardCharsets.US_ASCII), 0, 36));
        StringBuilder sb = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += 97) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                sb.appendCodePoint(cp);
            }
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.isWellFormed(all, 0, all.length));
    }

    @Test
    void checksOnlyTheSliceItIsGiven() {
        byte[] b = {(byte) 0xFF, 'a', 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xC3};
        assertTrue(Utf8.isWellFormed(b, 1, 4));
        assertFalse(Utf8.isWellFormed(b, 1, 5));
        assertFalse(Utf8.isWellFormed(b, 0, 2));
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(303);
        int disagreements = 0;
        int invalid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(1, 24)];
            for (int k = 0; k < b.length; k++) {
                // mostly ASCII, with lead and continuation bytes of every kind mixed in
                int r = random.nextInt(10);
                b[k] = (byte) (r < 5 ? random.nextInt(0x20, 0x7F) : random.nextInt(0x80, 0x100));
            }
            boolean expected = jdkSaysWellFormed(b, 0, b.length);
            if (!expected) {
                invalid++;
            }
            if (expected != Utf8.isWellFormed(b, 0, b.length)) {
                disagreements++;
                assertEquals(expected, Utf8.isWellFormed(b, 0, b.length), Arrays.toString(b));
            }
        }
        assertEquals(0, disagreements);
        assertTrue(invalid > 1000, "the random input must exercise invalid sequences");
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomValidTextWithOneByteChanged() {
        SplittableRandom random = new SplittableRandom(76);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(1, 12); k > 0; k--) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x20, 0x7F) : random.nextInt(0x80, 0x110000);
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    cp = 'x';
                }
                sb.appendCodePoint(cp);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            assertTrue(Utf8.isWellFormed(b, 0, b.length));
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            assertEquals(jdkSaysWellFormed(b, 0, b.length), Utf8.isWellFormed(b, 0, b.length), Arrays.toString(b));
        }
    }
}
