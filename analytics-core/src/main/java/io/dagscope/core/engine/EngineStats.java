package io.dagscope.core.engine;

import io.dagscope.core.port.out.HistoryStore;
import java.util.Optional;

/**
 * Figures about the engine itself, for health and metrics.
 *
 * @param eventsApplied events folded in so far
 * @param runsKept runs kept in detail
 * @param runsDropped runs whose detail was dropped by retention
 * @param cells partial aggregates of task events kept (minute, hour and day cells, live or sealed)
 * @param cellsSealed of those, the minute, hour and day cells kept in sealed days' compact blocks
 * @param sealedBytes the size of those blocks
 * @param tenants distinct tenants seen
 * @param dags distinct DAGs seen
 * @param schedules distinct schedules seen in the state log
 * @param history what the history store holds (sealed days, the dropped runs' table, sealed failures)
 * @param historyFailures passes of retention or sealing the history store failed (what it did not take stays live)
 * @param lastHistoryFailure the last such failure's message
 */
public record EngineStats(long eventsApplied, int runsKept, long runsDropped, long cells, long cellsSealed,
        long sealedBytes, int tenants, int dags,
        int schedules, HistoryStore.Usage history, long historyFailures, Optional<String> lastHistoryFailure) {
}
