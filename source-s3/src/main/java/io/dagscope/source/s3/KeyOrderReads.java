package io.dagscope.source.s3;

import io.dagscope.source.lines.Delivery;
import io.dagscope.source.lines.LineDecoding;
import io.dagscope.source.lines.LineSplitter;
import io.dagscope.spi.TimestampLimits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Reads the pending objects in key order, one after another, so the sink sees exactly the order a single reader
 * gives: while the polling thread delivers one ({@link HeadRead}), up to {@code concurrency - 1} of the next ones are
 * fetched and decoded ahead on worker threads into bounded batches ({@link ReadAhead}), delivered when their turn
 * comes. Reading stops at an object that fails, so the order holds.
 */
final class KeyOrderReads implements AutoCloseable {

    private final String name;
    private final S3Options options;
    private final int maxLineBytes;
    private final TimestampLimits timestamps;
    private final long readAheadBytes;
    private final HeadRead head;
    private final BooleanSupplier closed;
    private ExecutorService workers;
    private BlockingQueue<Tools> workerTools;

    /** A decoder and a line splitter, for one thread at a time. */
    private record Tools(LineDecoding decoding, LineSplitter lines) {
    }

    /**
     * @param name the source's name, in its worker threads' names
     * @param options how many objects are read at once
     * @param maxLineBytes the line limit
     * @param timestamps which timestamps to believe
     * @param readAheadBytes line bytes that read-ahead batches may hold together
     * @param head delivers the object whose turn it is
     * @param closed whether the source was closed, so reading stops
     */
    KeyOrderReads(String name, S3Options options, int maxLineBytes, TimestampLimits timestamps, long readAheadBytes,
            HeadRead head, BooleanSupplier closed) {
        this.name = name;
        this.options = options;
        this.maxLineBytes = maxLineBytes;
        this.timestamps = timestamps;
        this.readAheadBytes = readAheadBytes;
        this.head = head;
        this.closed = closed;
    }

    /**
     * Reads the pending objects in key order, the next ones fetched ahead, until all are read or one fails.
     *
     * @param pending the objects with lines left, in key order
     * @param store the store
     * @param delivery counts the lines and delivers the events
     * @return why reading stopped short, or null
     */
    String read(List<ObjectCursor> pending, ObjectStore store, Delivery delivery) {
        int ahead = Math.min(options.concurrency() - 1, pending.size() - 1);
        Map<Integer, Future<ReadAhead>> batches = new HashMap<>();
        int nextAhead = 1;
        try {
            for (int i = 0; i < pending.size(); i++) {
                nextAhead = Math.max(nextAhead, i + 1); // the head itself is read here, never ahead
                for (; nextAhead <= i + ahead && nextAhead < pending.size(); nextAhead++) {
                    batches.put(nextAhead, submit(store, pending.get(nextAhead).plan(), ahead));
                }
                if (closed.getAsBoolean()) {
                    return null;
                }
                String problem = head.read(store, pending.get(i), batches.remove(i), delivery);
                if (problem != null) {
                    int waiting = pending.size() - i - 1;
                    return waiting == 0 ? problem : problem + " (" + waiting + " more object"
                            + (waiting == 1 ? "" : "s") + " wait for it)";
                }
            }
            return null;
        } finally {
            // batches not delivered are dropped: nothing of them was counted
            batches.values().forEach(f -> f.cancel(true));
        }
    }

    private Future<ReadAhead> submit(ObjectStore store, ObjectReading.Plan plan, int ahead) {
        if (workers == null) {
            int threads = options.concurrency() - 1;
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "dagscope-s3-" + name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            workerTools = new ArrayBlockingQueue<>(threads);
            for (int k = 0; k < threads; k++) {
                workerTools.add(new Tools(new LineDecoding(maxLineBytes, timestamps),
                        ObjectReading.splitter(maxLineBytes)));
            }
        }
        long budget = Math.max(1, readAheadBytes / Math.max(1, ahead));
        return workers.submit(() -> {
            Tools tools = workerTools.take();
            try {
                return new ReadAhead(tools.decoding(), plan.offset(), budget).fill(store, plan, tools.lines());
            } finally {
                workerTools.add(tools);
            }
        });
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
