package io.dagscope.source.jsonl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * A checksum of a file's first bytes, which an append-only log never changes: if they differ, the file at hand is
 * not the one a position was recorded for (rewritten in place, or a reused inode). A copy of a log has the same
 * fingerprint as the log, which is what copy-truncate rotation handling needs.
 *
 * @param length how many bytes it covers, at most {@link #MAX_BYTES}
 * @param crc their CRC-32
 */
record Fingerprint(int length, long crc) {

    /** The most bytes a fingerprint covers. */
    static final int MAX_BYTES = 1024;

    /**
     * @param channel an open file
     * @return the fingerprint of its first bytes, up to {@link #MAX_BYTES}
     * @throws IOException if it cannot be read
     */
    static Fingerprint of(FileChannel channel) throws IOException {
        int n = (int) Math.min(MAX_BYTES, channel.size());
        return new Fingerprint(n, crc(channel, n));
    }

    /**
     * @param channel an open file
     * @return whether the file starts with the bytes this fingerprint covers
     * @throws IOException if it cannot be read
     */
    boolean matches(FileChannel channel) throws IOException {
        return channel.size() >= length && crc(channel, length) == crc;
    }

    /** @return whether the fingerprint could cover more of a file of that size */
    boolean canGrowTo(long size) {
        return length < MAX_BYTES && size > length;
    }

    private static long crc(FileChannel channel, int n) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(n);
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, bytes.position()) < 0) {
                return -1; // shrank while being read: matches nothing
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.flip());
        return crc.getValue();
    }
}
