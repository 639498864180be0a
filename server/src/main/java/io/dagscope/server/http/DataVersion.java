package io.dagscope.server.http;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The version that cached answers are keyed by and that wakes subscriptions: it moves whenever the engine's data
 * version moves, and also whenever a source's status changes without an event (a line skipped, health lost or
 * regained, lag), so that {@code sources} and every panel's "incomplete data" warning stay live.
 */
final class DataVersion implements LongSupplier {

    private final LongSupplier engine;
    private final SourceStatusQuery sources;
    private long engineSeen = Long.MIN_VALUE;
    private List<SourceStatus> sourcesSeen = List.of();
    private long version;

    /**
     * @param engine the engine's data version
     * @param sources the sources' status
     */
    DataVersion(LongSupplier engine, SourceStatusQuery sources) {
        this.engine = engine;
        this.sources = sources;
    }

    @Override
    public synchronized long getAsLong() {
        long e = engine.getAsLong();
        List<SourceStatus> s = sources.sources();
        if (e != engineSeen || !s.equals(sourcesSeen)) {
            engineSeen = e;
            sourcesSeen = s;
            version++;
        }
        return version;
    }
}
