package io.dagscope.source.s3;

import io.dagscope.core.event.Event;
import io.dagscope.source.jsonl.decode.JsonlLineDecoder;
import io.dagscope.spi.SkipReason;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's first lines, fetched and decoded on a worker thread while the source delivers the objects before it,
 * and kept until its turn comes. It holds at most its budget of line bytes; past that it stops, and the polling
 * thread reads the rest of the object itself when its turn comes, from where the batch ended. Nothing in a batch is
 * counted or delivered until the polling thread takes it, so a batch that is thrown away leaves no trace.
 */
final class ReadAhead implements ObjectReading.Lines {

    /** An event of a type the product does not use: counted as read and ignored. */
    private record Ignored(long timestampMicros) {
    }

    /** An event, with the timestamp the decoder gave it. */
    private record Decoded(Event event, long timestampMicros) {
    }

    private final JsonlLineDecoder decoder;
    private final long budgetBytes;
    private final List<Object> items = new ArrayList<>();
    private long bytes;
    private long end;
    private boolean opened;
    private ObjectCursor.Kind kind;
    private ObjectVersion version;
    private boolean ended;
    private Exception failure;

    /**
     * @param decoder the decoder to use, this batch's alone while it reads
     * @param startOffset the text offset the batch starts at
     * @param budgetBytes how many line bytes to hold at most (one line more may cross it)
     */
    ReadAhead(JsonlLineDecoder decoder, long startOffset, long budgetBytes) {
        this.decoder = decoder;
        this.end = startOffset;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Reads the object as far as the budget allows. Failures are kept, not thrown: the polling thread decides.
     *
     * @param store the store
     * @param plan where to read from
     * @param reader a line splitter for this thread
     * @return this batch
     */
    ReadAhead fill(ObjectStore store, ObjectReading.Plan plan, LineReader reader) {
        try {
            ended = ObjectReading.read(store, plan, reader, this);
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
        switch (decoder.decode(buf, off, len)) {
            case EVENT -> items.add(new Decoded(decoder.event(), decoder.timestampMicros()));
            case IGNORED -> items.add(new Ignored(decoder.timestampMicros()));
            case SKIPPED -> items.add(decoder.skipReason());
            case BLANK -> {
                // passed over, uncounted
            }
            default -> throw new IllegalStateException();
        }
        this.end = end;
        bytes += len;
        return bytes < budgetBytes && !Thread.currentThread().isInterrupted();
    }

    @Override
    public boolean tooLong(long end) {
        items.add(SkipReason.TOO_LONG);
        this.end = end;
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * Hands the batch's lines over, in order, each counted and its events delivered.
     *
     * @param delivery receives them
     */
    void drainTo(Delivery delivery) {
        for (Object item : items) {
            if (item instanceof Decoded d) {
                delivery.event(d.event(), d.timestampMicros());
            } else if (item instanceof Ignored i) {
                delivery.ignored(i.timestampMicros());
            } else if (item instanceof SkipReason reason) {
                delivery.skipped(reason);
            }
        }
        items.clear();
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

    /** Where a batch's lines go when their turn comes. */
    interface Delivery {
        /**
         * @param event an event
         * @param timestampMicros its timestamp
         */
        void event(Event event, long timestampMicros);

        /** @param timestampMicros an ignored event's timestamp */
        void ignored(long timestampMicros);

        /** @param reason why a line was skipped */
        void skipped(SkipReason reason);
    }
}
