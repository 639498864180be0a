package io.dagscope.core.port.out;

import io.dagscope.core.event.Event;

/** Receives a source's events, in the source's read order. */
@FunctionalInterface
public interface EventSink {

    /**
     * Takes one event. The order of calls is the source's order (its files oldest first, each in file order), which
     * run inference for logs without run ids depends on.
     *
     * @param event the event
     */
    void accept(Event event);
}
