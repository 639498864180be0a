package io.dagscope.core.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Variable-length integers in byte arrays: the compact form of sealed aggregates. */
final class Bytes {

    private Bytes() {
    }

    /** A growable buffer, reused between blocks. */
    static final class Writer {

        private byte[] buffer = new byte[1024];
        private int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        /** Writes a non-negative value in 7-bit groups, low first. */
        void unsigned(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[size++] = (byte) v;
        }

        /** Writes any value, small magnitudes in few bytes (zig-zag). */
        void signed(long value) {
            unsigned((value << 1) ^ (value >> 63));
        }

        void u8(int value) {
            ensure(1);
            buffer[size++] = (byte) value;
        }

        /** Reserves four bytes for an {@link #int32At} written later; returns their position. */
        int reserveInt32() {
            ensure(4);
            int at = size;
            size += 4;
            return at;
        }

        void int32At(int at, int value) {
            buffer[at] = (byte) (value >>> 24);
            buffer[at + 1] = (byte) (value >>> 16);
            buffer[at + 2] = (byte) (value >>> 8);
            buffer[at + 3] = (byte) value;
        }

        /** Writes a string, or null, as its length plus one and its UTF-8 bytes. */
        void string(String value) {
            if (value == null) {
                unsigned(0);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            unsigned(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, size, utf8.length);
            size += utf8.length;
        }

        byte[] toArray() {
            return Arrays.copyOf(buffer, size);
        }

        /** The buffer itself, valid up to {@link #size()} until the next write. */
        byte[] array() {
            return buffer;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }

    /** Reads what a {@link Writer} wrote, from a heap array or a mapped block, with absolute reads only. */
    static final class Reader {

        private final ByteBuffer buffer;
        private int position;

        Reader(ByteBuffer buffer, int position) {
            this.buffer = buffer;
            this.position = position;
        }

        Reader(byte[] buffer, int position) {
            this(ByteBuffer.wrap(buffer), position);
        }

        long unsigned() {
            long value = 0;
            int shift = 0;
            while (true) {
                byte b = buffer.get(position++);
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
                shift += 7;
            }
        }

        long signed() {
            long v = unsigned();
            return (v >>> 1) ^ -(v & 1);
        }

        int u8() {
            return buffer.get(position++) & 0xFF;
        }

        /** Reads what {@link Writer#string} wrote. */
        String string() {
            int length = (int) unsigned() - 1;
            if (length < 0) {
                return null;
            }
            byte[] utf8 = new byte[length];
            buffer.get(position, utf8);
            position += length;
            return new String(utf8, StandardCharsets.UTF_8);
        }

        static int int32At(ByteBuffer buffer, int at) {
            return buffer.getInt(at);
        }
    }
}
