package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.Event;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.TimestampLimits;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every S3-protocol store must show the source, run against a real one: S3Proxy in this JVM
 * ({@link S3ProxySourceTest}) and MinIO in Docker ({@link MinioSourceTest}, skipped where there is no Docker).
 */
abstract class S3SourceContract {

    /** @return the store's endpoint */
    abstract URI endpoint();

    /** @return an access key id the store accepts */
    abstract String accessKey();

    /** @return its secret key */
    abstract String secretKey();

    TestStore store;
    String bucket;
    final List<S3Source> opened = new ArrayList<>();

    @BeforeEach
    void newBucket() {
        store = new TestStore(endpoint(), accessKey(), secretKey());
        bucket = store.newBucket();
    }

    @AfterEach
    void closeSources() {
        opened.forEach(S3Source::close);
        store.close();
    }

    /** A source on this test's bucket, built as the factory would, with the knobs tests need. */
    S3Source source(URI endpoint, String prefix, Map<String, String> extra, boolean follow, Clock clock,
            int pageSize, long readAheadBytes) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", endpoint.toString());
        options.put("access_key", accessKey());
        options.put("secret_key", secretKey());
        options.putAll(extra);
        S3Options parsed = S3Options.parse(bucket + "/" + prefix, options);
        S3Source s = new S3Source("s3-test", parsed, follow, SourceContext.DEFAULT_MAX_LINE_BYTES, clock,
                () -> new AwsObjectStore(parsed, pageSize), readAheadBytes, 10);
        opened.add(s);
        return s;
    }

    S3Source source(String prefix, Map<String, String> extra) {
        return source(endpoint(), prefix, extra, false, Clock.systemUTC(), AwsObjectStore.DEFAULT_PAGE_SIZE,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
    }

    static String key(int object) {
        return String.format("logs/2025/10/%02d/part-%04d.jsonl", 1 + object / 100, object);
    }

    /** Puts objects {@code from..to-1}, in a shuffled order, so that only the listing can give the key order. */
    void putObjects(int from, int to, int lines) {
        List<Integer> order = new ArrayList<>();
        for (int o = from; o < to; o++) {
            order.add(o);
        }
        Collections.shuffle(order, new Random(from * 31L + to));
        for (int o : order) {
            store.put(bucket, key(o), Runs.lines(o, lines));
        }
    }

    static List<Event> pollAll(S3Source source) {
        List<Event> events = new ArrayList<>();
        long n = source.poll(events::add);
        assertEquals(events.size(), n, "poll returns the number of events it delivered");
        return events;
    }

    @Test
    void readsEveryObjectInKeyOrderAcrossManyListingPages() {
        putObjects(0, 45, 12);
        S3Source s = source(endpoint(), "logs/", Map.of("concurrency", "3"), false, Clock.systemUTC(), 7,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        List<Event> events = pollAll(s);
        assertEquals(Runs.ids(0, 45, 12), Runs.idsOf(events));
        SourceStatus status = s.status();
        assertTrue(status.healthy(), () -> status.error().orElse(""));
        assertEquals(45 * 12, status.eventsRead());
        assertEquals(0, status.lagObjects().orElseThrow());
        assertEquals(0, status.lagBytes().orElseThrow());
        assertEquals(0, s.poll(e -> { }), "nothing is read twice");
    }

    @Test
    void aSourceResumedFromItsPositionGoesOnExactlyAsOneThatNeverStopped() {
        putObjects(0, 10, 12);
        S3Source twin = source("logs/", Map.of("concurrency", "3"));
        S3Source first = source("logs/", Map.of("concurrency", "3"));
        assertEquals(Runs.idsOf(pollAll(twin)), Runs.idsOf(pollAll(first)));
        byte[] position = first.position();
        first.close();

        S3Source resumed = source("logs/", Map.of("concurrency", "3"));
        resumed.resume(position);
        assertEquals(10 * 12, resumed.status().eventsRead(), "the counts go on from the position's");
        putObjects(10, 20, 12); // written while it was stopped
        List<Event> fromTwin = pollAll(twin);
        assertEquals(Runs.ids(10, 20, 12), Runs.idsOf(fromTwin));
        assertEquals(Runs.idsOf(fromTwin), Runs.idsOf(pollAll(resumed)), "only the new objects, none twice");
        assertEquals(twin.status().eventsRead(), resumed.status().eventsRead());
        assertEquals(twin.status().skippedByReason(), resumed.status().skippedByReason());

        store.put(bucket, key(3), Runs.lines(3, 5)); // an object read before, rewritten
        pollAll(twin);
        pollAll(resumed);
        assertTrue(twin.rebuildRequested() && resumed.rebuildRequested(), "a rewrite asks for a rebuild, as live");

        S3Source elsewhere = source("other/", Map.of());
        IllegalArgumentException other = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> elsewhere.resume(position));
        assertTrue(other.getMessage().contains("another location"), other.getMessage());
        S3Source damaged = source("logs/", Map.of());
        IllegalArgumentException cut = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> damaged.resume(java.util.Arrays.copyOf(position, position.length / 2)));
        assertTrue(cut.getMessage().contains("damaged"), cut.getMessage());
        assertEquals(20 * 12 - 12 + 5, Runs.idsOf(pollAll(damaged)).size(), "a refused position changes nothing");
    }

    @Test
    void readsMoreThanAThousandObjectsThroughTheDefaultPageSize() {
        int objects = 1_050;
        for (int o = 0; o < objects; o++) {
            store.put(bucket, key(o), Runs.line(o, 0) + "\n");
        }
        S3Source s = source("logs/", Map.of("concurrency", "8"));
        List<Event> events = pollAll(s);
        assertEquals(Runs.ids(0, objects, 1), Runs.idsOf(events));
        assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
    }

    @Test
    void decodesGzipByItsMagicBytesAndTakesAFinalLineWithoutNewline() {
        store.put(bucket, "logs/a.jsonl.gz", TestStore.gzip(Runs.lines(0, 50)));
        // gzip under a plain name, and several gzip members in one object
        store.put(bucket, "logs/b.jsonl", TestStore.gzip(Runs.lines(1, 50)));
        byte[] m1 = TestStore.gzip(Runs.lines(2, 10));
        byte[] m2 = TestStore.gzip(Runs.lines(2, 30).substring(Runs.lines(2, 10).length()));
        byte[] members = new byte[m1.length + m2.length];
        System.arraycopy(m1, 0, members, 0, m1.length);
        System.arraycopy(m2, 0, members, m1.length, m2.length);
        store.put(bucket, "logs/c.jsonl.gz", members);
        // plain, CRLF endings, a blank line, a corrupt line, and a last line without its newline
        String plain = Runs.line(3, 0) + "\r\n\r\n{not json\n" + Runs.line(3, 1);
        store.put(bucket, "logs/d.jsonl", plain);
        S3Source s = source("logs/", Map.of());
        List<Event> events = pollAll(s);
        List<String> expected = new ArrayList<>(Runs.ids(0, 1, 50));
        expected.addAll(Runs.ids(1, 2, 50));
        expected.addAll(Runs.ids(2, 3, 30));
        expected.addAll(Runs.ids(3, 4, 2));
        assertEquals(expected, Runs.idsOf(events));
        assertEquals(Map.of("not_json", 1L), s.status().skippedByReason());
        assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
    }

    @Test
    void linesWithANumberOutOfRangeOrAnUnbelievedTimestampAreSkippedAndCountedByReason() {
        String bad = String.join("\n",
                "{\"timestamp\":\"2025-10-21T00:30:00Z\",\"event\":\"run_finished\",\"schedule_id\":\"s\","
                        + "\"duration_seconds\":1.7976931348623157e308}",
                "{\"timestamp\":\"2025-10-21T00:30:01Z\",\"event\":\"dag_start\",\"dag_name\":\"etl\","
                        + "\"task_count\":-1}",
                // two hours ahead of the host's clock, whose skew is one hour
                "{\"timestamp\":\"2025-10-21T03:00:00Z\",\"event\":\"dag_start\",\"dag_name\":\"etl\"}",
                "{\"timestamp\":\"9999-12-31T23:59:59Z\",\"event\":\"dag_start\",\"dag_name\":\"etl\"}",
                "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"event\":\"dag_start\",\"dag_name\":\"etl\"}") + "\n";
        store.put(bucket, key(0), Runs.line(0, 0) + "\n" + bad + Runs.line(0, 1) + "\n");
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", endpoint().toString());
        options.put("access_key", accessKey());
        options.put("secret_key", secretKey());
        // through the factory, as the host builds it: the context's limits reach the decoder
        Clock clock = Clock.fixed(java.time.Instant.parse("2025-10-21T01:00:00Z"), java.time.ZoneOffset.UTC);
        S3Source s = (S3Source) new S3SourceFactory().create(options, new SourceContext("s3-test", bucket + "/logs/",
                false, SourceContext.DEFAULT_MAX_LINE_BYTES, clock, TimestampLimits.of(clock, Duration.ofHours(1),
                        java.util.Optional.empty())));
        opened.add(s);

        List<Event> events = pollAll(s);

        assertEquals(Runs.ids(0, 1, 2), Runs.idsOf(events));
        assertEquals(Map.of("out_of_range", 2L, "future_timestamp", 2L, "early_timestamp", 1L),
                s.status().skippedByReason());
        assertEquals(java.time.Instant.parse("2025-10-21T00:00:01Z"), s.status().lastEventAt().orElseThrow());
    }

    @Test
    void keepsKeyOrderWhenReadAheadBatchesStopAtTheirBudget() {
        putObjects(0, 16, 200);
        // 4 KiB of lines for all batches: each holds a few lines and the rest is streamed at its turn
        S3Source s = source(endpoint(), "logs/", Map.of("concurrency", "5"), false, Clock.systemUTC(), 1000,
                4096);
        assertEquals(Runs.ids(0, 16, 200), Runs.idsOf(pollAll(s)));
        assertEquals(16 * 200, s.status().eventsRead());
    }

    @Test
    void readsOnlyKeysWithTheConfiguredSuffixes() {
        store.put(bucket, "logs/a.jsonl", Runs.lines(0, 2));
        store.put(bucket, "logs/b.txt", Runs.lines(1, 2));
        store.put(bucket, "logs/c.log", Runs.lines(2, 2));
        store.put(bucket, "other/d.jsonl", Runs.lines(3, 2));
        assertEquals(Runs.ids(0, 1, 2), Runs.idsOf(pollAll(source("logs/", Map.of()))));
        assertEquals(List.of("o0-l0", "o0-l1", "o2-l0", "o2-l1"),
                Runs.idsOf(pollAll(source("logs/", Map.of("suffix", ".log, .jsonl")))));
        assertEquals(Runs.ids(0, 3, 2), Runs.idsOf(pollAll(source("logs/", Map.of("suffix", "*")))));
    }

    @Test
    void followingReadsNewObjectsOnceEachPollInterval() {
        putObjects(0, 3, 5);
        TestClock clock = new TestClock();
        S3Source s = source(endpoint(), "logs/", Map.of("poll_seconds", "10"), true, clock, 1000,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        assertEquals(Runs.ids(0, 3, 5), Runs.idsOf(pollAll(s)));
        putObjects(3, 5, 5);
        clock.advance(Duration.ofSeconds(9));
        assertEquals(List.of(), pollAll(s), "no listing before the poll interval has passed");
        assertEquals(0, s.status().lagObjects().orElseThrow(), "the new objects are not listed yet");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Runs.ids(3, 5, 5), Runs.idsOf(pollAll(s)));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), pollAll(s), "objects read before are not read again");
        assertEquals(25, s.status().eventsRead());
        assertFalse(s.rebuildRequested());
    }

    @Test
    void aRewrittenObjectAsksForARebuildAndRewindDeliversEverythingOnce() {
        putObjects(0, 4, 5);
        TestClock clock = new TestClock();
        S3Source s = source(endpoint(), "logs/", Map.of("poll_seconds", "1"), true, clock, 1000,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        assertEquals(Runs.ids(0, 4, 5), Runs.idsOf(pollAll(s)));
        assertFalse(s.rebuildRequested());
        store.put(bucket, key(1), Runs.lines(1, 8));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), pollAll(s), "the rewritten object is not read on top of its old lines");
        assertTrue(s.rebuildRequested());
        assertFalse(s.rebuildRequested(), "asked once");
        assertFalse(s.status().healthy());
        assertTrue(s.status().error().orElseThrow().contains(key(1)), () -> s.status().error().orElseThrow());
        s.rewind();
        assertEquals(0, s.status().eventsRead(), "statistics start again");
        List<String> expected = new ArrayList<>(Runs.ids(0, 1, 5));
        expected.addAll(Runs.ids(1, 2, 8));
        expected.addAll(Runs.ids(2, 4, 5));
        assertEquals(expected, Runs.idsOf(pollAll(s)), "the next poll lists at once and reads all from the start");
        assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
        assertEquals(expected.size(), s.status().eventsRead());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), pollAll(s));
        assertFalse(s.rebuildRequested());
    }

    @Test
    void aRewrittenObjectIsCountedOnceAsItIsNowWhenTheHostRebuilds() {
        putObjects(0, 4, 5);
        TestClock clock = new TestClock();
        S3Source s = source(endpoint(), "logs/", Map.of("poll_seconds", "1"), true, clock, 1000,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        io.dagscope.core.ingest.Ingestor ingestor = new io.dagscope.core.ingest.Ingestor(
                () -> new io.dagscope.core.engine.AnalyticsEngine(io.dagscope.core.engine.EngineSettings.DEFAULTS,
                        Clock.systemUTC()));
        ingestor.add(s);
        io.dagscope.core.ingest.LiveAnalytics analytics = new io.dagscope.core.ingest.LiveAnalytics(ingestor);
        java.util.function.LongSupplier runs = () -> analytics.dagRuns(new io.dagscope.core.port.in.DagRunQuery
                .Request(0, java.util.Optional.empty(), io.dagscope.core.port.in.DagRunQuery.Filter.ALL,
                        io.dagscope.core.port.in.TenantScope.ALL)).totalCount();
        ingestor.pollOnce();
        assertEquals(20, runs.getAsLong());
        store.put(bucket, key(1), Runs.lines(1, 8));
        clock.advance(Duration.ofSeconds(1));
        ingestor.pollOnce();
        assertEquals(5 + 8 + 5 + 5, runs.getAsLong(), "the object's old lines are gone, its new ones counted once");
        assertEquals(1, ingestor.generation());
        assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
        clock.advance(Duration.ofSeconds(1));
        ingestor.pollOnce();
        assertEquals(23, runs.getAsLong());
    }

    @Test
    void anObjectRewrittenWhileItIsReadAsksForARebuildInsteadOfMixingVersions() throws Exception {
        putObjects(0, 4, 400);
        try (FaultProxy proxy = new FaultProxy(endpoint())) {
            // each first GET breaks after a few lines, so the rest of each object is fetched again by range
            proxy.cutFirstGetOfEachObjectAfter(1_500);
            TestClock clock = new TestClock();
            S3Source s = source(proxy.endpoint(), "logs/", Map.of("concurrency", "1"), true, clock, 1000,
                    S3Source.DEFAULT_READ_AHEAD_BYTES);
            List<Event> events = new ArrayList<>();
            s.poll(e -> {
                events.add(e);
                if (Runs.idsOf(List.of(e)).get(0).equals("o2-l0")) {
                    store.put(bucket, key(2), Runs.lines(2, 7)); // rewritten under the reader's feet
                }
            });
            List<String> ids = Runs.idsOf(events);
            List<String> fromOld = ids.subList(800, ids.size() - 400);
            assertEquals(Runs.ids(2, 3, 400).subList(0, fromOld.size()), fromOld, "a prefix of the old version");
            assertTrue(fromOld.size() < 400, "the resumed GET asked for the old version and was refused");
            assertEquals(Runs.ids(3, 4, 400), ids.subList(ids.size() - 400, ids.size()), "the rest is read on");
            assertTrue(s.rebuildRequested());
            assertTrue(s.status().error().orElseThrow().contains(key(2)), () -> s.status().error().orElseThrow());
            s.rewind();
            List<String> expected = new ArrayList<>(Runs.ids(0, 2, 400));
            expected.addAll(Runs.ids(2, 3, 7));
            expected.addAll(Runs.ids(3, 4, 400));
            assertEquals(expected, Runs.idsOf(pollAll(s)));
            assertEquals(expected.size(), s.status().eventsRead());
            assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
        }
    }

    @Test
    void aDeletedObjectStaysCountedAndIsNotReadAgainWhenItComesBackUnchanged() {
        putObjects(0, 3, 4);
        TestClock clock = new TestClock();
        S3Source s = source(endpoint(), "logs/", Map.of("poll_seconds", "1"), true, clock, 1000,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        assertEquals(12, pollAll(s).size());
        store.delete(bucket, key(1));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), pollAll(s));
        assertEquals(12, s.status().eventsRead());
        assertTrue(s.status().healthy());
        store.put(bucket, key(1), Runs.lines(1, 4));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), pollAll(s), "the same bytes under the same key are the same object");
        assertFalse(s.rebuildRequested());
    }

    @Test
    void anUnreachableEndpointMakesTheSourceUnhealthyAndPollDoesNotThrow() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        S3Source s = source(nowhere, "logs/", Map.of(), false, Clock.systemUTC(), 1000,
                S3Source.DEFAULT_READ_AHEAD_BYTES);
        assertEquals(0, s.poll(e -> { }));
        SourceStatus status = s.status();
        assertFalse(status.healthy());
        String error = status.error().orElseThrow();
        assertTrue(error.contains("cannot list") && error.contains("cannot reach " + nowhere), error);
        assertFalse(error.contains(secretKey()) || error.contains(accessKey()), error);
    }

    @Test
    void wrongCredentialsAreReportedWithoutTheSecret() {
        putObjects(0, 1, 1);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", endpoint().toString());
        options.put("access_key", accessKey());
        options.put("secret_key", "not-the-secret-Zq81");
        S3Options parsed = S3Options.parse(bucket + "/logs/", options);
        S3Source s = new S3Source("s3-test", parsed, false, SourceContext.DEFAULT_MAX_LINE_BYTES,
                Clock.systemUTC(), () -> new AwsObjectStore(parsed, 1000), S3Source.DEFAULT_READ_AHEAD_BYTES, 10);
        opened.add(s);
        assertEquals(0, s.poll(e -> { }));
        String error = s.status().error().orElseThrow();
        assertTrue(error.contains("access denied") && error.contains("HTTP 403"), error);
        assertFalse(error.contains("not-the-secret-Zq81") || error.contains(accessKey()), error);
        assertFalse(s.status().location().contains("not-the-secret"), s.status().location());
    }

    @Test
    void aMissingBucketIsReported() {
        bucket = bucket + "-missing";
        S3Source s = source("logs/", Map.of());
        assertEquals(0, s.poll(e -> { }));
        String error = s.status().error().orElseThrow();
        assertTrue(error.contains("no such bucket '" + bucket + "'"), error);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithoutLossOrDuplicates() throws Exception {
        putObjects(0, 12, 30);
        for (String code : List.of("SlowDown", "InternalError")) {
            try (FaultProxy proxy = new FaultProxy(endpoint())) {
                proxy.failEvery(3, code.equals("SlowDown") ? 503 : 500, code);
                S3Source s = source(proxy.endpoint(), "logs/", Map.of("concurrency", "3"), false,
                        Clock.systemUTC(), 5, S3Source.DEFAULT_READ_AHEAD_BYTES);
                assertEquals(Runs.ids(0, 12, 30), Runs.idsOf(pollAll(s)), code);
                assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
                assertTrue(proxy.injectedErrors() >= 5, code + ": " + proxy.injectedErrors() + " errors injected");
            }
        }
    }

    @Test
    void aBodyCutShortIsResumedAfterItsLastLineWithoutLossOrDuplicates() throws Exception {
        putObjects(0, 6, 400);
        store.put(bucket, key(6), TestStore.gzip(Runs.lines(6, 400)));
        try (FaultProxy proxy = new FaultProxy(endpoint())) {
            proxy.cutFirstGetOfEachObjectAfter(1_500);
            S3Source s = source(proxy.endpoint(), "logs/", Map.of("concurrency", "3"), false, Clock.systemUTC(),
                    1000, S3Source.DEFAULT_READ_AHEAD_BYTES);
            assertEquals(Runs.ids(0, 7, 400), Runs.idsOf(pollAll(s)));
            assertTrue(s.status().healthy(), () -> s.status().error().orElse(""));
            assertEquals(7, proxy.cutBodies());
            assertEquals(7 * 400, s.status().eventsRead());
        }
    }

    @Test
    void aCorruptGzipIsReportedAndSkippedWhileTheOtherObjectsAreRead() {
        putObjects(0, 3, 3);
        byte[] gz = TestStore.gzip(Runs.lines(9, 100));
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        store.put(bucket, "logs/2025/10/01/part-0001-b.jsonl.gz", truncated);
        S3Source s = source("logs/", Map.of());
        List<String> ids = Runs.idsOf(pollAll(s));
        // the lines before the damage are events like any others; the key order holds around them
        // "part-0001-b" sorts between part-0000 and part-0001 ('-' comes before '.')
        List<String> expected = new ArrayList<>(Runs.ids(0, 1, 3));
        List<String> salvaged = ids.subList(3, ids.size() - 6);
        assertEquals(Runs.ids(9, 10, 100).subList(0, salvaged.size()), salvaged);
        expected.addAll(salvaged);
        expected.addAll(Runs.ids(1, 3, 3));
        assertEquals(expected, ids);
        assertFalse(s.status().healthy());
        assertTrue(s.status().error().orElseThrow().contains("part-0001-b.jsonl.gz is not a readable gzip"),
                s.status().error().get());
        assertEquals(0, s.poll(e -> { }), "not read again");
    }
}
