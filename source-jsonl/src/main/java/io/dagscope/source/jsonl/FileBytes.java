package io.dagscope.source.jsonl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * What reading files has cost the source, counted as it goes (bytes read, compressed bytes for gzip, and files
 * opened), with the positional reads of a file's first bytes that every examination makes. For tests of what a poll
 * costs; owned by the polling thread.
 */
final class FileBytes {

    private long bytesRead;
    private long filesOpened;

    /** Counts a file opened. */
    void opened() {
        filesOpened++;
    }

    /**
     * Counts bytes read by a stream over a file.
     *
     * @param bytes how many
     */
    void read(long bytes) {
        bytesRead += bytes;
    }

    /**
     * Reads a file's first bytes with positional reads: the channel's own position is left alone.
     *
     * @param channel the file
     * @param size how many bytes are wanted, at most {@link Fingerprint#MAX_BYTES}
     * @return its first bytes, fewer if it is shorter
     * @throws IOException from the file
     */
    byte[] first(FileChannel channel, long size) throws IOException {
        int n = (int) Math.min(Fingerprint.MAX_BYTES, size);
        ByteBuffer bytes = ByteBuffer.allocate(n);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // positional reads: the channel's own position is left alone
        }
        bytesRead += bytes.position();
        return bytes.hasRemaining() ? Arrays.copyOf(bytes.array(), bytes.position()) : bytes.array();
    }

    /**
     * @param channel the file, read with positional reads (its own position is left alone)
     * @return whether it starts with gzip's magic number
     * @throws IOException from the file
     */
    boolean isGzip(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0) {
            // positional reads: the channel's own position is left alone
        }
        bytesRead += magic.position();
        return magic.position() == 2 && magic.get(0) == (byte) 0x1f && magic.get(1) == (byte) 0x8b;
    }

    /** @return bytes read from files so far (compressed bytes for gzip) */
    long bytesRead() {
        return bytesRead;
    }

    /** @return files opened so far */
    long filesOpened() {
        return filesOpened;
    }
}
