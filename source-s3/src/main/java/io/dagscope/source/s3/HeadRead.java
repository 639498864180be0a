package io.dagscope.source.s3;

import io.dagscope.source.lines.Delivery;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.spi.TimestampLimits;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Delivers the object whose turn it is, on the polling thread: what was read ahead of it first, then the rest
 * streamed from where that ended. A body that fails part-way is resumed within the poll from the last line taken, as
 * long as each try gets further (up to {@value #MAX_RESUMES} tries, with a pause that doubles); a failure is settled
 * into what it means for the object (done with, stale, missing, or to be read on later).
 */
final class HeadRead {

    /** Tries of one object within a poll after its body failed part-way, as long as each gets further. */
    static final int MAX_RESUMES = 8;

    private final S3Options options;
    private final ObjectCursors cursors;
    // the polling thread's own decoder and splitter
    private final LineDecoding decoding;
    private final LineSplitter splitter;
    private final long resumePauseMillis;
    private final BooleanSupplier closed;

    /**
     * @param options names objects in messages
     * @param cursors the source's cursors, told of objects found stale or missing
     * @param maxLineBytes the line limit
     * @param timestamps which timestamps to believe
     * @param resumePauseMillis the first pause before resuming a body that failed part-way (doubled each time)
     * @param closed whether the source was closed, so reading stops
     */
    HeadRead(S3Options options, ObjectCursors cursors, int maxLineBytes, TimestampLimits timestamps,
            long resumePauseMillis, BooleanSupplier closed) {
        this.options = options;
        this.cursors = cursors;
        this.decoding = new LineDecoding(maxLineBytes, timestamps);
        this.splitter = ObjectReading.splitter(maxLineBytes);
        this.resumePauseMillis = resumePauseMillis;
        this.closed = closed;
    }

    /**
     * Delivers one object: what was fetched ahead of it first, then the rest streamed on this thread.
     *
     * @param store the store
     * @param head the object's cursor
     * @param ahead its read-ahead batch, or null
     * @param delivery counts the lines and delivers the events
     * @return why it could not be read whole, or null when it is done with (read, deleted, stale or corrupt)
     */
    String read(ObjectStore store, ObjectCursor head, Future<ReadAhead> ahead, Delivery delivery) {
        if (ahead != null) {
            ReadAhead batch;
            try {
                batch = ahead.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (ExecutionException | CancellationException e) {
                batch = null; // read it here instead
            }
            if (batch != null) {
                if (batch.opened()) {
                    head.kind = batch.kind();
                    head.version = batch.version();
                }
                batch.handTo(delivery, end -> head.offset = end);
                head.offset = batch.end();
                if (batch.ended()) {
                    head.complete = true;
                    return null;
                }
                if (batch.failure() != null && !(batch.failure() instanceof StoreReadException)) {
                    return settle(head, batch.failure());
                }
            }
        }
        return stream(store, head, delivery);
    }

    /** Reads an object from its offset on this thread, resuming within the poll while each try gets further. */
    private String stream(ObjectStore store, ObjectCursor head, Delivery delivery) {
        Direct direct = new Direct(head, delivery);
        int resumes = 0;
        while (true) {
            long before = head.offset;
            Exception failure;
            try {
                if (ObjectReading.read(store, head.plan(), splitter, direct)) {
                    head.complete = true;
                }
                return null;
            } catch (StoreException | StoreReadException | CorruptObjectException e) {
                failure = e;
            } catch (RuntimeException e) {
                // nothing may escape a poll; the object is tried again from its last line taken
                failure = new StoreReadException("reading " + options.objectName(head.key) + " failed: " + e, e);
            }
            String problem = settle(head, failure);
            if (problem == null) {
                return null;
            }
            if (head.offset <= before || ++resumes > MAX_RESUMES || closed.getAsBoolean()) {
                return problem;
            }
            try {
                Thread.sleep(Math.min(resumePauseMillis << (resumes - 1), 5_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problem;
            }
        }
    }

    /**
     * Decides what a failure means for an object.
     *
     * @return the problem if it may be read on later, or null if the object is done with
     */
    private String settle(ObjectCursor head, Exception failure) {
        if (failure instanceof CorruptObjectException) {
            head.complete = true;
            head.failure = "cannot read " + options.objectName(head.key) + ": " + failure.getMessage();
            return null;
        }
        if (failure instanceof StoreException e) {
            switch (e.kind()) {
                case MISSING -> {
                    cursors.missing(head);
                    return null;
                }
                case CHANGED -> {
                    cursors.markStale(head);
                    return null;
                }
                default -> {
                    return e.getMessage();
                }
            }
        }
        return failure.getMessage();
    }

    /** Decodes the head object's lines on the polling thread and delivers them at once. */
    private final class Direct implements ObjectReading.Lines {

        private final ObjectCursor cursor;
        private final Delivery delivery;

        Direct(ObjectCursor cursor, Delivery delivery) {
            this.cursor = cursor;
            this.delivery = delivery;
        }

        @Override
        public void opened(ObjectCursor.Kind kind, ObjectVersion version) {
            cursor.kind = kind;
            cursor.version = version;
        }

        @Override
        public boolean line(byte[] buf, int off, int len, long end) {
            // the position moves first: a line is never taken twice
            cursor.offset = end;
            decoding.line(buf, off, len, end, delivery);
            return !closed.getAsBoolean();
        }

        @Override
        public boolean tooLong(long end) {
            cursor.offset = end;
            decoding.tooLong(end, delivery);
            return !closed.getAsBoolean();
        }
    }
}
