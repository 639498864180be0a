package io.dagscope.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Following the sources tells of each change of a source's health once, however many polls see the same health. */
class IngestorHealthTest {

    /** A source whose health the test sets; each poll takes one permit, so the test knows how many polls ran. */
    static final class Flaky implements EventSource {
        volatile String error;
        final Semaphore polls = new Semaphore(0);

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public long poll(EventSink sink) {
            polls.release();
            return 0;
        }

        @Override
        public SourceStatus status() {
            return new SourceStatus("flaky", "memory", "flaky", 0, Map.of(), 0, Optional.empty(), Optional.empty(),
                    error == null, Optional.ofNullable(error), OptionalLong.empty(), OptionalLong.empty());
        }

        @Override
        public void close() {
        }

        void awaitPolls(int n) throws InterruptedException {
            polls.drainPermits();
            assertTrue(polls.tryAcquire(n, 30, TimeUnit.SECONDS), n + " polls");
        }
    }

    @Test
    void eachChangeOfHealthIsToldOnceWhileItLasts() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-10-02T00:00:00Z"), ZoneOffset.UTC);
        Flaky source = new Flaky();
        BlockingQueue<SourceStatus> told = new LinkedBlockingQueue<>();
        try (Ingestor ingestor = new Ingestor(() -> new AnalyticsEngine(EngineSettings.DEFAULTS, clock))) {
            ingestor.add(source);
            ingestor.pollOnce();
            ingestor.startFollowing(Duration.ofMillis(5), e -> { }, told::add);
            source.awaitPolls(5);
            assertEquals(List.of(), List.copyOf(told), "healthy from the start: nothing to tell");

            source.error = "cannot read flaky: gone";
            source.awaitPolls(5);
            source.error = "cannot read flaky: still gone"; // still unhealthy, another reason: no new line
            source.awaitPolls(5);
            source.error = null;
            source.awaitPolls(5);

            List<SourceStatus> changes = List.copyOf(told);
            assertEquals(2, changes.size(), changes.toString());
            assertEquals(Optional.of("cannot read flaky: gone"), changes.get(0).error());
            assertTrue(changes.get(1).healthy());
        }
    }
}
