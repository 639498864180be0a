package io.dagscope.source.s3;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.lines.Delivery;
import io.dagscope.spi.SourceStatistics;
import io.dagscope.spi.TimestampLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the orchestrator's logs from the objects under an S3 prefix.
 *
 * <p>A poll lists the prefix (every page), keeps the keys with one of the configured suffixes, and reads the objects
 * it has not read yet in key order, one after another, so that date-partitioned keys give the events in time order
 * and run inference works as it does for files. Each object is streamed and split into lines decoded by the shared
 * {@link io.dagscope.source.lines.LineDecoding}; plain text and gzip are told apart by the first two bytes. While
 * the polling thread delivers one object, up to {@code concurrency - 1} of the next ones are fetched and decoded
 * ahead on worker threads into bounded batches ({@link ReadAhead}), which are delivered when their turn comes: the
 * sink sees exactly the order a single reader would give.
 *
 * <p>Following ({@code follow = true}), a poll lists again only once the poll interval has passed since the last
 * listing. An object read before is not read again while its version (ETag, else size and last-modified time) stays
 * the same; a new object is read. An object rewritten under its key after lines of it were taken makes the source
 * {@linkplain #rebuildRequested() ask for a rebuild}, and is not read again until {@link #rewind()}. A deleted
 * object's events stay counted.
 *
 * <p>Failures never leave {@link #poll(EventSink)}: a listing that fails (wrong endpoint, credentials or bucket, a
 * store that is down) or an object that cannot be read makes the source unhealthy with a message saying so, without
 * credentials. Reading stops at an object that fails, so the order holds, and resumes there on a later poll: its
 * position is the end of the last line taken, so no line is delivered twice and none is lost. A body cut short in
 * the middle is resumed within the same poll as long as each try gets further.
 *
 * <p>This class polls and reports health; the jobs are done by its parts: {@link ObjectCursors} matches a listing
 * with what was read, {@link KeyOrderReads} reads the pending objects in key order with read-ahead
 * ({@link ReadAhead}), {@link HeadRead} delivers the object whose turn it is and resumes a body that failed part-way,
 * {@link ObjectReading} streams one GET, and the lines are split, decoded, counted and delivered by
 * {@link io.dagscope.source.lines}.
 */
final class S3Source implements EventSource {

    /** Line bytes held by all read-ahead batches together. */
    static final long DEFAULT_READ_AHEAD_BYTES = 32L << 20;
    /** The first pause before resuming a body that failed part-way; doubled for each further try. */
    static final long DEFAULT_RESUME_PAUSE_MILLIS = 250;

    private final String name;
    private final S3Options options;
    private final boolean follow;
    private final Clock clock;
    private final Supplier<ObjectStore> storeFactory;
    private final ObjectCursors cursors;
    private final KeyOrderReads reads;
    private volatile SourceStatistics statistics;
    private ObjectStore store;
    private Instant lastListing;
    private volatile boolean closed;

    /**
     * @param name the source's name
     * @param options what to read
     * @param follow whether to follow the prefix (list again every poll interval)
     * @param maxLineBytes the line limit
     * @param clock the clock the poll interval is measured on
     * @param storeFactory makes the store on the first poll (nothing is reached before)
     * @param readAheadBytes line bytes that read-ahead batches may hold together
     * @param resumePauseMillis the first pause before resuming a body that failed part-way (doubled each time)
     */
    S3Source(String name, S3Options options, boolean follow, int maxLineBytes, Clock clock,
            Supplier<ObjectStore> storeFactory, long readAheadBytes, long resumePauseMillis) {
        this(name, options, follow, maxLineBytes, clock, storeFactory, readAheadBytes, resumePauseMillis,
                TimestampLimits.of(Clock.systemUTC()));
    }

    /**
     * @param name the source's name
     * @param options what to read
     * @param follow whether to follow the prefix (list again every poll interval)
     * @param maxLineBytes the line limit
     * @param clock the clock the poll interval is measured on
     * @param storeFactory makes the store on the first poll (nothing is reached before)
     * @param readAheadBytes line bytes that read-ahead batches may hold together
     * @param resumePauseMillis the first pause before resuming a body that failed part-way (doubled each time)
     * @param timestamps which timestamps to believe
     */
    S3Source(String name, S3Options options, boolean follow, int maxLineBytes, Clock clock,
            Supplier<ObjectStore> storeFactory, long readAheadBytes, long resumePauseMillis,
            TimestampLimits timestamps) {
        this.name = name;
        this.options = options;
        this.follow = follow;
        this.clock = clock;
        this.storeFactory = storeFactory;
        this.cursors = new ObjectCursors(options);
        HeadRead head = new HeadRead(options, cursors, maxLineBytes, timestamps, resumePauseMillis,
                () -> closed);
        this.reads = new KeyOrderReads(name, options, maxLineBytes, timestamps, readAheadBytes, head, () -> closed);
        this.statistics = newStatistics();
    }

    private SourceStatistics newStatistics() {
        return new SourceStatistics(name, S3SourceFactory.NAME, options.display());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long poll(EventSink sink) {
        if (closed) {
            return 0;
        }
        Instant now = clock.instant();
        if (follow && lastListing != null && now.isBefore(lastListing.plus(options.pollInterval()))) {
            return 0;
        }
        lastListing = now;
        SourceStatistics stats = statistics;
        if (store == null) {
            try {
                store = storeFactory.get();
            } catch (RuntimeException e) {
                stats.unhealthy("cannot set up the S3 client for " + options.display() + ": " + e.getMessage());
                return 0;
            }
        }
        List<StoredObject> listed;
        try {
            listed = store.list(options.prefix());
        } catch (StoreException e) {
            stats.unhealthy(e.getMessage());
            cursors.reportLag(stats);
            return 0;
        }
        cursors.reconcile(listed);
        Delivery delivery = new Delivery(sink, stats);
        String readProblem;
        try {
            readProblem = reads.read(cursors.pending(), store, delivery);
        } catch (RuntimeException e) {
            // a bug, here or in the sink: reported, never thrown; the objects are read on from their positions
            readProblem = "reading " + options.display() + " stopped: " + e;
        } finally {
            delivery.finish();
        }
        List<String> problems = new ArrayList<>(0);
        if (readProblem != null) {
            problems.add(readProblem);
        }
        cursors.problems(problems);
        if (problems.isEmpty()) {
            stats.healthy();
        } else {
            stats.unhealthy(String.join("; ", problems));
        }
        cursors.reportLag(stats);
        return delivery.delivered();
    }

    /**
     * {@inheritDoc}
     *
     * <p>True once for each rewrite of an object the source had read from (seen by a listing, or by a GET that
     * found another version than the one it was reading).
     */
    @Override
    public boolean rebuildRequested() {
        return cursors.rebuildRequested();
    }

    /** The version of the position {@link #position()} writes and {@link #resume} reads. */
    static final int POSITION_VERSION = 1;

    /**
     * Where the source is ({@code docs/sources/s3.md}, "Positions"): its counts, and every key it knows with the
     * version it read, how far (the offset past the last line taken) and whether it is done with it. Resumed, the
     * next listing is judged against these as when following live: a new key is read, a key read on from its offset,
     * a key rewritten since lines of it were taken asks for a rebuild.
     */
    @Override
    public byte[] position() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(POSITION_VERSION);
            out.writeUTF(options.display());
            statistics.writeCounts(out);
            cursors.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void resume(byte[] position) {
        if (lastListing != null || !cursors.isEmpty()) {
            throw new IllegalStateException(name + " has read already: it resumes only before its first poll");
        }
        SourceStatistics counts = newStatistics();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
            int version = in.readUnsignedByte();
            if (version != POSITION_VERSION) {
                throw new IllegalArgumentException("its position is of version " + version + "; this source reads "
                        + "version " + POSITION_VERSION);
            }
            String location = in.readUTF();
            if (!location.equals(options.display())) {
                throw new IllegalArgumentException("its position is of another location, " + location);
            }
            counts.readCounts(in);
            ObjectCursors read = new ObjectCursors(options);
            read.read(in);
            if (in.read() >= 0) {
                throw new IOException("bytes after its end");
            }
            cursors.takeFrom(read);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException a) {
                throw new IllegalArgumentException(name + ": " + a.getMessage(), e);
            }
            throw new IllegalArgumentException(name + ": its position is damaged (" + e + ")", e);
        }
        statistics = counts;
    }

    /** Forgets every object and count, so the next poll lists at once and reads every object from its start. */
    @Override
    public void rewind() {
        cursors.clear();
        lastListing = null;
        statistics = newStatistics();
    }

    @Override
    public SourceStatus status() {
        return statistics.snapshot();
    }

    @Override
    public void close() {
        closed = true;
        reads.close();
        if (store != null) {
            store.close();
        }
    }
}
