package io.dagscope.source.jsonl;

import io.dagscope.source.lines.Delivery;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.source.lines.StreamPosition;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * Reads a plain file: from its log's position to its end, so a poll of a followed file costs the bytes appended since
 * the last one (plus its first kilobyte, to tell its log). Followed, a last line without a newline is held back until
 * its newline arrives; read once, the end of the file ends it. A long unread stretch (a first read of a large log) is
 * decoded on several threads ({@link SegmentedRead}) and delivered in order, as one thread would.
 */
final class PlainRead {

    private final boolean follow;
    private final LineDecoding decoding;
    private final LineSplitter splitter;
    private final SegmentedRead segmented;
    private final KnownLogs logs;
    private final FileBytes bytes;

    /**
     * @param follow whether files are followed as they grow
     * @param decoding the polling thread's decoding step
     * @param splitter the polling thread's line splitter
     * @param segmented reads long stretches on several threads
     * @param logs tells which log a file holds
     * @param bytes counts what reading costs
     */
    PlainRead(boolean follow, LineDecoding decoding, LineSplitter splitter, SegmentedRead segmented, KnownLogs logs,
            FileBytes bytes) {
        this.follow = follow;
        this.decoding = decoding;
        this.splitter = splitter;
        this.segmented = segmented;
        this.logs = logs;
        this.bytes = bytes;
    }

    /**
     * Reads what the file holds past its log's position.
     *
     * @param c the file
     * @param channel the file, open
     * @param size its size when opened
     * @param delivery counts the lines and delivers the events
     * @return whether an unchanged listing will prove the file unchanged
     * @throws IOException from the file
     */
    boolean examine(FileCursor c, FileChannel channel, long size, Delivery delivery) throws IOException {
        byte[] first = bytes.first(channel, size);
        if (!logs.tell(c, first, size < c.covered)) {
            // so far only the start of a log already delivered: a copy still being written, or too short to tell
            c.lagBytes = follow ? size : 0;
            c.complete = !follow;
            return true;
        }
        LogStream s = c.stream;
        long from = s.position.offset();
        if (size > from && !s.position.insideLongLine() && segmented.worthIt(size - from)) {
            // a long stretch (a first read of a large log): decoded on several threads, delivered in order
            segmented.read(channel, size, s.position, !follow, segment -> deliver(segment, s.position, delivery));
            c.covered = s.position.offset();
        } else if (size > from) {
            channel.position(from);
            try {
                splitter.split(Channels.newInputStream(channel), s.position, !follow, decoding.into(delivery));
            } finally {
                bytes.read(channel.position() - from);
            }
            c.covered = s.position.offset();
        } else {
            c.covered = size; // a copy that holds no more than what was delivered
        }
        c.lagBytes = follow ? Math.max(0, channel.size() - s.position.offset()) : 0;
        c.complete = !follow;
        logs.extendHead(s, first, channel);
        return true;
    }

    /**
     * Delivers a segment decoded on another thread, counting its lines and moving the position as reading it on this
     * thread would have: past each line before it is handed over or counted, to the segment's end after.
     */
    private void deliver(SegmentedRead.Segment segment, StreamPosition position, Delivery delivery) {
        bytes.read(segment.bytesRead);
        segment.lines.handTo(delivery, position::moveTo);
        if (segment.consumed) {
            position.moveTo(segment.end);
        }
    }
}
