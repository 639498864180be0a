/**
 * The orchestrator's events as a closed set of immutable records.
 *
 * <p>Every event carries its instant as epoch microseconds ({@link io.dagscope.core.event.Event#timestampMicros()}).
 * Runner events ({@link io.dagscope.core.event.RunnerEvent}) come from the DAG runner's log, state events
 * ({@link io.dagscope.core.event.StateEvent}) from the scheduler's state log. A source may deliver any of them
 * from any log: the type, not the file, decides what an event means. Fields documented as nullable are
 * {@code null} when the line did not carry them. Every number of an event lies in the range
 * {@link io.dagscope.core.event.EventBounds} gives: a record refuses (with an {@link IllegalArgumentException}) a
 * timestamp, count, attempt or duration outside it, so that what reaches the engine cannot overflow its sums.
 */
package io.dagscope.core.event;
