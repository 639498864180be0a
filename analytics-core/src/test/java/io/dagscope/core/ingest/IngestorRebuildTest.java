package io.dagscope.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IngestorRebuildTest {

    /** An in-memory source whose "objects" can be rewritten, as a bucket's can. */
    static final class Objects implements EventSource {
        final String name;
        final List<List<Event>> objects = new ArrayList<>();
        int delivered;
        boolean rewritten;
        int rewinds;

        Objects(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long poll(EventSink sink) {
            long n = 0;
            for (; delivered < objects.size(); delivered++) {
                for (Event e : objects.get(delivered)) {
                    sink.accept(e);
                    n++;
                }
            }
            return n;
        }

        void rewrite(int index, List<Event> events) {
            objects.set(index, events);
            rewritten = true;
        }

        @Override
        public boolean rebuildRequested() {
            return rewritten;
        }

        @Override
        public void rewind() {
            delivered = 0;
            rewritten = false;
            rewinds++;
        }

        @Override
        public SourceStatus status() {
            return new SourceStatus(name, "memory", name, 0, Map.of(), 0, Optional.empty(), Optional.empty(), true,
                    Optional.empty(), OptionalLong.empty(), OptionalLong.empty());
        }

        @Override
        public void close() {
        }
    }

    private static List<Event> okTasks(String run, int n, long base) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TaskStart(base + i * 1_000_000L, "dag", run, "t" + i));
            out.add(new TaskOk(base + i * 1_000_000L + 500_000, "dag", run, "t" + i, 1));
        }
        return out;
    }

    private static long succeeded(LiveAnalytics analytics) {
        return analytics.taskSummary(new TaskSummaryQuery.Request(WindowRequest.DEFAULT, Optional.empty(),
                Optional.empty(), TenantScope.ALL)).allTime().succeeded();
    }

    @Test
    void aSourceWhosePastChangedIsReadAgainIntoAFreshEngineWithoutDoubleCounting() {
        Clock clock = Clock.fixed(Instant.parse("2025-10-02T00:00:00Z"), ZoneOffset.UTC);
        Ingestor ingestor = new Ingestor(() -> new AnalyticsEngine(EngineSettings.DEFAULTS, clock));
        LiveAnalytics analytics = new LiveAnalytics(ingestor);
        long base = Instant.parse("2025-10-01T10:00:00Z").getEpochSecond() * 1_000_000L;
        Objects bucket = new Objects("bucket");
        Objects other = new Objects("files");
        bucket.objects.add(okTasks("a", 3, base));
        bucket.objects.add(okTasks("b", 2, base + 60_000_000L));
        other.objects.add(okTasks("c", 4, base));
        ingestor.add(bucket);
        ingestor.add(other);
        ingestor.pollOnce();
        assertEquals(9, succeeded(analytics));
        AnalyticsEngine before = ingestor.engine();
        long versionBefore = analytics.version();

        bucket.rewrite(0, okTasks("a", 1, base));
        bucket.objects.add(okTasks("d", 2, base + 120_000_000L));
        ingestor.pollOnce();
        assertEquals(1 + 2 + 2 + 4, succeeded(analytics), "the rewritten object counts once, as it is now");
        assertNotSame(before, ingestor.engine());
        assertEquals(1, ingestor.generation());
        assertEquals(1, bucket.rewinds);
        assertEquals(1, other.rewinds, "every source is read again into the fresh engine");
        assertNotEquals(versionBefore, analytics.version());
        assertTrue(analytics.version() > versionBefore, "versions keep growing across rebuilds");

        ingestor.pollOnce();
        assertEquals(9, succeeded(analytics), "nothing new, nothing counted twice");
    }
}
