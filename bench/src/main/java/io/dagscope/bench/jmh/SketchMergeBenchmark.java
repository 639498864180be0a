package io.dagscope.bench.jmh;

import io.dagscope.core.sketch.QuantileSketch;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merging quantile sketches as a window roll-up does: 60 per-minute sketches of task durations (log-normal, as the
 * generator draws them) merged into an empty one, reported per merge.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SketchMergeBenchmark {

    static final int SKETCHES = 60;

    /** Durations in each minute's sketch. */
    @Param({"20", "1000"})
    public int valuesPerSketch;

    private QuantileSketch[] minutes;

    /** Fills the minute sketches. */
    @Setup
    public void setUp() {
        Random random = new Random(42);
        minutes = new QuantileSketch[SKETCHES];
        for (int i = 0; i < SKETCHES; i++) {
            minutes[i] = new QuantileSketch();
            for (int k = 0; k < valuesPerSketch; k++) {
                minutes[i].add(Math.exp(Math.log(5) + 0.8 * random.nextGaussian()));
            }
        }
    }

    /** Sixty merges into a fresh sketch, then its p95 (so the merged state is used). */
    @Benchmark
    @OperationsPerInvocation(SKETCHES)
    public double mergeSixtyMinutes() {
        QuantileSketch hour = new QuantileSketch();
        for (QuantileSketch m : minutes) {
            hour.merge(m);
        }
        return hour.quantile(0.95);
    }
}
