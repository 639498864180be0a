/**
 * The benchmark: {@code dagscope bench} generates a log, measures dagscope (as a whole process, in-process, and over
 * HTTP) and DuckDB side by side on it, checks that both give the same answers within METRICS.md's tolerances, and
 * reports; {@code dagscope bench state} measures memory, query latency and incremental updates on a built state;
 * {@code dagscope bench jmh} runs the JMH benchmarks of {@link io.dagscope.bench.jmh}.
 *
 * <ul>
 * <li>{@link io.dagscope.bench.BenchMain}: the command line.</li>
 * <li>{@link io.dagscope.bench.Answers}: the dashboard's numbers, as either side computes them, and
 * {@link io.dagscope.bench.AnswerComparison}: how two sets of them are compared.</li>
 * <li>{@link io.dagscope.bench.DuckDbDashboard}: the same numbers in SQL over DuckDB's JSON reader.</li>
 * <li>{@link io.dagscope.bench.DagscopeInProcess}: dagscope's engine fed through the source SPI, asked through the
 * GraphQL API.</li>
 * <li>{@link io.dagscope.bench.SoakBench}: {@code dagscope bench soak}, the server over a long run under mixed load and
 * abuse, its final answers checked exactly against a one-shot query ({@link io.dagscope.bench.SoakAnswers}).</li>
 * </ul>
 *
 * <p>Benchmarks are not tests: nothing here asserts a timing. Nullable fields of the answer records say so in their
 * documentation; everything else is non-null.
 */
package io.dagscope.bench;
