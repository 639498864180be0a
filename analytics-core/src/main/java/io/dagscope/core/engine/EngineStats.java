package io.dagscope.core.engine;

/**
 * Figures about the engine itself, for health and metrics.
 *
 * @param eventsApplied events folded in so far
 * @param runsKept runs kept in detail
 * @param runsDropped runs whose detail was dropped by retention
 * @param cells partial aggregates of task events kept (minute, hour and day cells, live or sealed)
 * @param cellsSealed of those, the minute and hour cells kept in sealed days' compact blocks
 * @param sealedBytes the size of those blocks
 * @param tenants distinct tenants seen
 * @param dags distinct DAGs seen
 * @param schedules distinct schedules seen in the state log
 */
public record EngineStats(long eventsApplied, int runsKept, long runsDropped, long cells, long cellsSealed,
        long sealedBytes, int tenants, int dags,
        int schedules) {
}
