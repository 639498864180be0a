/**
 * JMH benchmarks of dagscope's hot paths: decoding a line ({@link io.dagscope.bench.jmh.DecodeLineBenchmark}),
 * folding events into the engine ({@link io.dagscope.bench.jmh.FoldEventsBenchmark}), merging quantile sketches
 * ({@link io.dagscope.bench.jmh.SketchMergeBenchmark}) and answering a window query
 * ({@link io.dagscope.bench.jmh.WindowQueryBenchmark}). Their data comes from the log generator, so every run
 * measures the same lines. Run them with {@code java -jar bench/target/dagscope-bench.jar jmh} (JMH's options
 * follow, e.g. {@code -f 1 -wi 3 -i 5 Decode}).
 */
package io.dagscope.bench.jmh;
