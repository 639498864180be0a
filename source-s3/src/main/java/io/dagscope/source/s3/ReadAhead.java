package io.dagscope.source.s3;

import io.dagscope.source.lines.DecodedBatch;
import io.dagscope.source.lines.DecodedLines;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import java.util.function.LongConsumer;

/**
 * An object's first lines, fetched and decoded on a worker thread while the source delivers the objects before it,
 * and kept until its turn comes. It holds at most its budget of line bytes; past that it stops, and the polling
 * thread reads the rest of the object itself when its turn comes, from where the batch ended. Nothing in a batch is
 * counted or delivered until the polling thread takes it, so a batch that is thrown away leaves no trace.
 */
final class ReadAhead implements ObjectReading.Lines {

    private final LineDecoding decoding;
    private final long budgetBytes;
    private final DecodedBatch lines = new DecodedBatch();
    private long bytes;
    private long end;
    private boolean opened;
    private ObjectCursor.Kind kind;
    private ObjectVersion version;
    private boolean ended;
    private Exception failure;

    /**
     * @param decoding the decoding step to use, this batch's alone while it reads
     * @param startOffset the text offset the batch starts at
     * @param budgetBytes how many line bytes to hold at most (one line more may cross it)
     */
    ReadAhead(LineDecoding decoding, long startOffset, long budgetBytes) {
        this.decoding = decoding;
        this.end = startOffset;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Reads the object as far as the budget allows. Failures are kept, not thrown: the polling thread decides.
     *
     * @param store the store
     * @param plan where to read from
     * @param splitter a line splitter for this thread
     * @return this batch
     */
    ReadAhead fill(ObjectStore store, ObjectReading.Plan plan, LineSplitter splitter) {
        try {
            ended = ObjectReading.read(store, plan, splitter, this);
        } catch (StoreException | StoreReadException | CorruptObjectException e) {
            failure = e;
        } catch (RuntimeException e) {
            // whatever it was, the polling thread reads on from the batch's end itself
            failure = new StoreReadException("reading ahead " + plan.key() + " failed: " + e, e);
        }
        return this;
    }

    @Override
    public void opened(ObjectCursor.Kind kind, ObjectVersion version) {
        this.opened = true;
        this.kind = kind;
        this.version = version;
    }

    @Override
    public boolean line(byte[] buf, int off, int len, long end) {
        decoding.line(buf, off, len, end, lines);
        this.end = end;
        bytes += len;
        return bytes < budgetBytes && !Thread.currentThread().isInterrupted();
    }

    @Override
    public boolean tooLong(long end) {
        decoding.tooLong(end, lines);
        this.end = end;
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * Hands the batch's lines over, in order, each counted and its events delivered.
     *
     * @param delivery receives them
     * @param passed told the offset past each line before it is handed over
     */
    void handTo(DecodedLines delivery, LongConsumer passed) {
        lines.handTo(delivery, passed);
    }

    /** @return whether the GET succeeded, so {@link #kind()} and {@link #version()} are known */
    boolean opened() {
        return opened;
    }

    /** @return the object's kind, once opened */
    ObjectCursor.Kind kind() {
        return kind;
    }

    /** @return the version read, once opened */
    ObjectVersion version() {
        return version;
    }

    /** @return the text offset just past the last line the batch holds */
    long end() {
        return end;
    }

    /** @return whether it read the object to its end */
    boolean ended() {
        return ended;
    }

    /** @return why it stopped short, if it failed */
    Exception failure() {
        return failure;
    }
}
