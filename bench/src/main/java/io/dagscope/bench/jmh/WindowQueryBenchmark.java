package io.dagscope.bench.jmh;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.Event;
import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Answering the task summary (all time and a window) over an engine populated with 1,000,000 generated lines
 * (two days), for windows of several lengths ending a minute after the last line, with the sealed days in
 * memory-mapped files (the product's default) or on the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class WindowQueryBenchmark {

    /** The window's length in hours. */
    @Param({"1", "24", "47.5"})
    public double hours;

    /** Where sealed days are kept: {@code files} or {@code heap}. */
    @Param({"files", "heap"})
    public String history;

    private AnalyticsEngine engine;
    private TaskSummaryQuery.Request request;

    /** Generates the lines and folds them in. */
    @Setup
    public void setUp() throws IOException {
        GeneratedLines g = GeneratedLines.generate(1_000_000);
        engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.systemUTC(), history.equals("files")
                ? FileHistoryStore.open(Path.of(System.getProperty("java.io.tmpdir"))) : new HeapHistoryStore());
        SourceFeed events = engine.feed("events");
        long last = 0;
        for (Event e : g.runnerEvents()) {
            events.accept(e);
            last = Math.max(last, e.timestampMicros());
        }
        events.flush();
        SourceFeed states = engine.feed("state");
        for (Event e : g.stateEvents()) {
            states.accept(e);
        }
        states.flush();
        Instant end = Instant.ofEpochSecond(0, last * 1000).plusSeconds(60);
        request = new TaskSummaryQuery.Request(WindowRequest.of(hours, end), Optional.empty(), Optional.empty(),
                TenantScope.ALL);
    }

    /** Deletes the history files. */
    @TearDown
    public void tearDown() {
        engine.close();
    }

    /** One task summary. */
    @Benchmark
    public TaskSummary taskSummary() {
        return engine.taskSummary(request);
    }
}
