package io.dagscope.bench.jmh;

import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.source.lines.decode.LineOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Decoding one line of either log with the shared {@link JsonlLineDecoder}, cycling through generated lines. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeLineBenchmark {

    private byte[][] lines;
    private int next;
    private JsonlLineDecoder decoder;

    /** Generates 50,000 lines and interleaves the two logs' lines. */
    @Setup
    public void setUp() throws IOException {
        GeneratedLines g = GeneratedLines.generate(50_000);
        List<byte[]> all = new ArrayList<>(g.runnerLines());
        all.addAll(g.stateLines());
        java.util.Collections.shuffle(all, new java.util.Random(7));
        lines = all.toArray(byte[][]::new);
        decoder = new JsonlLineDecoder(1 << 20);
    }

    /** One line decoded into an event. */
    @Benchmark
    public void decodeLine(Blackhole bh) {
        byte[] line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        LineOutcome outcome = decoder.decode(line);
        bh.consume(outcome);
        if (outcome == LineOutcome.EVENT) {
            bh.consume(decoder.event());
        }
    }
}
