package io.dagscope.server.http;

import io.dagscope.core.engine.EngineStats;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.graphql.GraphQlApi;
import java.util.Objects;
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
 */
public record Backend(GraphQlApi api, LongSupplier dataVersion, ResolveWindowUseCase windows,
        SourceStatusQuery sources, LongSupplier eventsIngested, Supplier<EngineStats> engineStats,
        FleetFiguresQuery fleet) {
    public Backend {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(dataVersion, "dataVersion");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(eventsIngested, "eventsIngested");
        Objects.requireNonNull(engineStats, "engineStats");
        Objects.requireNonNull(fleet, "fleet");
    }
}
