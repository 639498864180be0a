package io.dagscope.bench.jmh;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.Event;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Folding decoded events into a fresh engine through its two feeds ({@link SourceFeed#accept} and
 * {@link SourceFeed#flush}): the events of 200,000 generated lines per invocation, reported per line (the few lines of
 * types the engine does not use, {@code resume_token}, about 0.01 %, are dropped by the decoder and not fed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FoldEventsBenchmark {

    /** Lines generated for each invocation's events. */
    static final int LINES = 200_000;

    private Event[] runner;
    private Event[] state;

    /** Generates and decodes the lines once. */
    @Setup
    public void setUp() throws IOException {
        GeneratedLines g = GeneratedLines.generate(LINES);
        runner = g.runnerEvents().toArray(Event[]::new);
        state = g.stateEvents().toArray(Event[]::new);
        if (runner.length + state.length < LINES * 0.99) {
            throw new IllegalStateException("expected about " + LINES + " events, decoded " + (runner.length
                    + state.length));
        }
    }

    /** Every event into a fresh engine, the state log after the runner log (as one poll reads them). */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public AnalyticsEngine foldEvents() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.systemUTC());
        SourceFeed events = engine.feed("events");
        SourceFeed states = engine.feed("state");
        for (Event e : runner) {
            events.accept(e);
        }
        events.flush();
        for (Event e : state) {
            states.accept(e);
        }
        states.flush();
        return engine;
    }
}
