package io.dagscope.core.event;

/** One line of an orchestrator log that is an event this product uses. */
public sealed interface Event permits RunnerEvent, StateEvent {

    /** @return the event's instant, in microseconds since the epoch (UTC) */
    long timestampMicros();
}
