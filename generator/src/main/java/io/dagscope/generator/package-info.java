/**
 * Writes realistic orchestrator logs for demos, tests and benchmarks: the runner log, the scheduler's state log,
 * schedule and DAG definitions, in the older (Sprint-27C) or the newer format of EVENTS.md, byte for byte as the
 * orchestrator's Python writes them, with the quirks of the real samples (retries, failures, incidents, checkpoints
 * that are approved, resumed twice, expire or stay pending, crashed runs, job retries, missed cron slots).
 *
 * <ul>
 * <li>{@link io.dagscope.generator.GeneratorOptions}: what to generate (format, seed, tenants, DAGs, density, size,
 * start).</li>
 * <li>{@link io.dagscope.generator.LogGenerator}: writes the history, streaming, in bounded memory.</li>
 * <li>{@link io.dagscope.generator.LiveLogWriter}: then keeps appending in real time, on a thread, until
 * stopped.</li>
 * </ul>
 *
 * <p>Depends on the JDK alone. One seed and one start give byte-identical files on any platform. Nothing here accepts
 * or returns {@code null}; absent values are {@link java.util.Optional}.
 */
package io.dagscope.generator;
