package io.dagscope.source.s3;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.source.jsonl.decode.JsonlLineDecoder;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;
import io.dagscope.spi.TimestampLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads the orchestrator's logs from the objects under an S3 prefix.
 *
 * <p>A poll lists the prefix (every page), keeps the keys with one of the configured suffixes, and reads the objects
 * it has not read yet in key order, one after another, so that date-partitioned keys give the events in time order
 * and run inference works as it does for files. Each object is streamed and split into lines decoded by the shared
 * {@link JsonlLineDecoder}; plain text and gzip are told apart by the first two bytes. While the polling thread
 * delivers one object, up to {@code concurrency - 1} of the next ones are fetched and decoded ahead on worker
 * threads into bounded batches ({@link ReadAhead}), which are delivered when their turn comes: the sink sees
 * exactly the order a single reader would give.
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
 */
final class S3Source implements EventSource {

    /** Keys in UTF-8 byte order, S3's listing order, whatever the characters. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** Line bytes held by all read-ahead batches together. */
    static final long DEFAULT_READ_AHEAD_BYTES = 32L << 20;
    /** Tries of one object within a poll after its body failed part-way, as long as each gets further. */
    static final int MAX_RESUMES = 8;
    /** The first pause before resuming a body that failed part-way; doubled for each further try. */
    static final long DEFAULT_RESUME_PAUSE_MILLIS = 250;

    private final String name;
    private final S3Options options;
    private final boolean follow;
    private final int maxLineBytes;
    private final Clock clock;
    private final TimestampLimits timestamps;
    private final Supplier<ObjectStore> storeFactory;
    private final long readAheadBytes;
    private final long resumePauseMillis;
    private final JsonlLineDecoder decoder;
    private final LineReader lines;
    private final TreeMap<String, ObjectCursor> cursors = new TreeMap<>(KEY_ORDER);
    private volatile SourceStatistics statistics;
    private ObjectStore store;
    private ExecutorService workers;
    private BlockingQueue<Tools> workerTools;
    private Instant lastListing;
    private boolean rebuildWanted;
    private volatile boolean closed;

    /** A decoder and a line splitter, for one thread at a time. */
    private record Tools(JsonlLineDecoder decoder, LineReader lines) {
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
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
        this.storeFactory = storeFactory;
        this.readAheadBytes = readAheadBytes;
        this.resumePauseMillis = resumePauseMillis;
        this.timestamps = timestamps;
        this.decoder = new JsonlLineDecoder(maxLineBytes, timestamps);
        this.lines = new LineReader(maxLineBytes);
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
            reportLag(stats);
            return 0;
        }
        reconcile(listed);
        Delivery delivery = new Delivery(sink, stats);
        String readProblem;
        try {
            readProblem = readPending(delivery);
        } catch (RuntimeException e) {
            // a bug, here or in the sink: reported, never thrown; the objects are read on from their positions
            readProblem = "reading " + options.display() + " stopped: " + e;
        }
        List<String> problems = new ArrayList<>(0);
        if (readProblem != null) {
            problems.add(readProblem);
        }
        for (ObjectCursor c : cursors.values()) {
            if (c.failure != null) {
                problems.add(c.failure);
            }
            if (c.stale) {
                problems.add(options.objectName(c.key) + " was rewritten after it was read: its old lines are "
                        + "counted until the host rebuilds from scratch");
            }
        }
        if (problems.isEmpty()) {
            stats.healthy();
        } else {
            stats.unhealthy(String.join("; ", problems));
        }
        reportLag(stats);
        return delivery.delivered;
    }

    /**
     * Matches a listing with the cursors: new keys get one, keys no longer listed are forgotten if nothing of them
     * was taken (else kept, so a key that comes back in the same version is not read twice), and a key whose
     * version changed after lines of it were taken is stale and asks for a rebuild.
     */
    private void reconcile(List<StoredObject> listed) {
        Map<String, StoredObject> seen = new HashMap<>();
        for (StoredObject o : listed) {
            if (options.reads(o.key())) {
                seen.put(o.key(), o);
            }
        }
        for (Iterator<ObjectCursor> it = cursors.values().iterator(); it.hasNext();) {
            ObjectCursor c = it.next();
            StoredObject o = seen.remove(c.key);
            if (o == null) {
                if (!c.started()) {
                    it.remove();
                } else {
                    c.gone = true;
                }
                continue;
            }
            c.gone = false;
            if (!c.started()) {
                c.version = o.version();
                c.kind = ObjectCursor.Kind.UNKNOWN;
            } else if (!c.stale && !c.version.sameAs(o.version())) {
                markStale(c);
            }
        }
        for (StoredObject o : seen.values()) {
            cursors.put(o.key(), new ObjectCursor(o.key(), o.version()));
        }
    }

    private void markStale(ObjectCursor c) {
        c.stale = true;
        rebuildWanted = true;
    }

    /**
     * Reads the pending objects in key order, the next ones fetched ahead, until all are read or one fails.
     *
     * @return why reading stopped short, or null
     */
    private String readPending(Delivery delivery) {
        List<ObjectCursor> pending = new ArrayList<>();
        for (ObjectCursor c : cursors.values()) {
            if (c.pending()) {
                if (c.version.size() == 0) {
                    c.complete = true; // nothing to read, and no request spent on it
                } else {
                    pending.add(c);
                }
            }
        }
        int ahead = Math.min(options.concurrency() - 1, pending.size() - 1);
        Map<Integer, Future<ReadAhead>> batches = new HashMap<>();
        int nextAhead = 1;
        try {
            for (int i = 0; i < pending.size(); i++) {
                nextAhead = Math.max(nextAhead, i + 1); // the head itself is read here, never ahead
                for (; nextAhead <= i + ahead && nextAhead < pending.size(); nextAhead++) {
                    batches.put(nextAhead, submit(pending.get(nextAhead).plan(), ahead));
                }
                if (closed) {
                    return null;
                }
                ObjectCursor head = pending.get(i);
                String problem = readHead(head, batches.remove(i), delivery);
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

    private Future<ReadAhead> submit(ObjectReading.Plan plan, int ahead) {
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
                workerTools.add(new Tools(new JsonlLineDecoder(maxLineBytes, timestamps), new LineReader(maxLineBytes)));
            }
        }
        long budget = Math.max(1, readAheadBytes / Math.max(1, ahead));
        ObjectStore s = store;
        return workers.submit(() -> {
            Tools tools = workerTools.take();
            try {
                return new ReadAhead(tools.decoder(), plan.offset(), budget).fill(s, plan, tools.lines());
            } finally {
                workerTools.add(tools);
            }
        });
    }

    /**
     * Delivers one object: what was fetched ahead of it first, then the rest streamed on this thread.
     *
     * @return why it could not be read whole, or null when it is done with (read, deleted, stale or corrupt)
     */
    private String readHead(ObjectCursor head, Future<ReadAhead> ahead, Delivery delivery) {
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
                batch.drainTo(delivery);
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
        return stream(head, delivery);
    }

    /** Reads an object from its offset on this thread, resuming within the poll while each try gets further. */
    private String stream(ObjectCursor head, Delivery delivery) {
        Direct direct = new Direct(head, delivery);
        int resumes = 0;
        while (true) {
            long before = head.offset;
            Exception failure;
            try {
                if (ObjectReading.read(store, head.plan(), lines, direct)) {
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
            if (head.offset <= before || ++resumes > MAX_RESUMES || closed) {
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
                    if (head.started()) {
                        head.gone = true;
                    } else {
                        cursors.remove(head.key);
                    }
                    return null;
                }
                case CHANGED -> {
                    markStale(head);
                    return null;
                }
                default -> {
                    return e.getMessage();
                }
            }
        }
        return failure.getMessage();
    }

    private void reportLag(SourceStatistics stats) {
        long bytes = 0;
        long objects = 0;
        for (ObjectCursor c : cursors.values()) {
            if (c.pending()) {
                objects++;
                bytes += c.remainingBytes();
            }
        }
        stats.lag(bytes, objects);
    }

    /**
     * {@inheritDoc}
     *
     * <p>True once for each rewrite of an object the source had read from (seen by a listing, or by a GET that
     * found another version than the one it was reading).
     */
    @Override
    public boolean rebuildRequested() {
        boolean wanted = rebuildWanted;
        rebuildWanted = false;
        return wanted;
    }

    /** Forgets every object and count, so the next poll lists at once and reads every object from its start. */
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
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(POSITION_VERSION);
            out.writeUTF(options.display());
            statistics.writeCounts(out);
            out.writeBoolean(rebuildWanted);
            out.writeInt(cursors.size());
            for (ObjectCursor c : cursors.values()) {
                out.writeUTF(c.key);
                out.writeBoolean(c.version.etag().isPresent());
                if (c.version.etag().isPresent()) {
                    out.writeUTF(c.version.etag().get());
                }
                out.writeLong(c.version.size());
                out.writeBoolean(c.version.lastModified().isPresent());
                if (c.version.lastModified().isPresent()) {
                    out.writeLong(c.version.lastModified().get().getEpochSecond());
                    out.writeInt(c.version.lastModified().get().getNano());
                }
                out.writeByte(c.kind.ordinal());
                out.writeLong(c.offset);
                out.writeBoolean(c.complete);
                out.writeBoolean(c.stale);
                out.writeBoolean(c.gone);
                out.writeBoolean(c.failure != null);
                if (c.failure != null) {
                    out.writeUTF(c.failure);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void resume(byte[] position) {
        if (lastListing != null || !cursors.isEmpty()) {
            throw new IllegalStateException(name + " has read already: it resumes only before its first poll");
        }
        SourceStatistics counts = newStatistics();
        List<ObjectCursor> known = new ArrayList<>();
        boolean wanted;
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(position))) {
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
            wanted = in.readBoolean();
            int n = in.readInt();
            if (n < 0) {
                throw new java.io.IOException(n + " objects");
            }
            ObjectCursor.Kind[] kinds = ObjectCursor.Kind.values();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                Optional<String> etag = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
                long size = in.readLong();
                Optional<Instant> modified = in.readBoolean()
                        ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
                ObjectCursor c = new ObjectCursor(key, new ObjectVersion(etag, size, modified));
                int kind = in.readUnsignedByte();
                if (kind >= kinds.length) {
                    throw new java.io.IOException("an object of kind " + kind);
                }
                c.kind = kinds[kind];
                c.offset = in.readLong();
                c.complete = in.readBoolean();
                c.stale = in.readBoolean();
                c.gone = in.readBoolean();
                c.failure = in.readBoolean() ? in.readUTF() : null;
                if (c.offset < 0) {
                    throw new java.io.IOException("an object read to " + c.offset);
                }
                known.add(c);
            }
            if (in.read() >= 0) {
                throw new java.io.IOException("bytes after its end");
            }
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException a) {
                throw new IllegalArgumentException(name + ": " + a.getMessage(), e);
            }
            throw new IllegalArgumentException(name + ": its position is damaged (" + e + ")", e);
        }
        for (ObjectCursor c : known) {
            cursors.put(c.key, c);
        }
        rebuildWanted = wanted;
        statistics = counts;
    }

    @Override
    public void rewind() {
        cursors.clear();
        lastListing = null;
        rebuildWanted = false;
        statistics = newStatistics();
    }

    @Override
    public SourceStatus status() {
        return statistics.snapshot();
    }

    @Override
    public void close() {
        closed = true;
        if (workers != null) {
            workers.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Counts lines and hands events to the sink. */
    private static final class Delivery implements ReadAhead.Delivery {

        private final EventSink sink;
        private final SourceStatistics stats;
        private long delivered;

        Delivery(EventSink sink, SourceStatistics stats) {
            this.sink = sink;
            this.stats = stats;
        }

        @Override
        public void event(Event event, long timestampMicros) {
            stats.eventRead(timestampMicros);
            sink.accept(event);
            delivered++;
        }

        @Override
        public void ignored(long timestampMicros) {
            stats.eventIgnored(timestampMicros);
        }

        @Override
        public void skipped(SkipReason reason) {
            stats.lineSkipped(reason);
        }
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
            switch (decoder.decode(buf, off, len)) {
                case EVENT -> delivery.event(decoder.event(), decoder.timestampMicros());
                case IGNORED -> delivery.ignored(decoder.timestampMicros());
                case SKIPPED -> delivery.skipped(decoder.skipReason());
                case BLANK -> {
                    // passed over, uncounted
                }
                default -> throw new IllegalStateException();
            }
            return !closed;
        }

        @Override
        public boolean tooLong(long end) {
            cursor.offset = end;
            delivery.skipped(SkipReason.TOO_LONG);
            return !closed;
        }
    }
}
