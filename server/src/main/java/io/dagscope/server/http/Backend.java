package io.dagscope.server.http;

import io.dagscope.core.engine.EngineStats;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.snapshot.SnapshotKeeper;
import io.dagscope.graphql.GraphQlApi;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the HTTP server serves.
 *
 * @param api the GraphQL API
 * @param dataVersion the engine's data version, which changes whenever the data does (cache keys, subscriptions)
 * @param windows resolves the default window (its end is part of every cache key)
 * @param sources the sources' status, for health and metrics
 * @param eventsIngested events delivered to the engine so far, for metrics
 * @param engineStats the engine's own figures (runs kept, aggregate cells, sealed days), for metrics
 * @param fleet the orchestration's figures, for metrics
 * @param snapshots what the snapshot keeper has done, when snapshots are kept, for metrics
 */
public record Backend(GraphQlApi api, LongSupplier dataVersion, ResolveWindowUseCase windows,
        SourceStatusQuery sources, LongSupplier eventsIngested, Supplier<EngineStats> engineStats,
        FleetFiguresQuery fleet, Supplier<Optional<SnapshotKeeper.Stats>> snapshots) {

    /**
     * What the HTTP server serves, without snapshots.
     *
     * @param api the GraphQL API
     * @param dataVersion the engine's data version
     * @param windows resolves the default window
     * @param sources the sources' status
     * @param eventsIngested events delivered to the engine so far
     * @param engineStats the engine's own figures
     * @param fleet the orchestration's figures
     */
    public Backend(GraphQlApi api, LongSupplier dataVersion, ResolveWindowUseCase windows, SourceStatusQuery sources,
            LongSupplier eventsIngested, Supplier<EngineStats> engineStats, FleetFiguresQuery fleet) {
        this(api, dataVersion, windows, sources, eventsIngested, engineStats, fleet, Optional::empty);
    }

    public Backend {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(dataVersion, "dataVersion");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(eventsIngested, "eventsIngested");
        Objects.requireNonNull(engineStats, "engineStats");
        Objects.requireNonNull(fleet, "fleet");
    }
}
