package io.dagscope.core.ingest;

import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.port.in.CatalogQuery;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.FleetFiguresQuery;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.TimeWindow;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every query, answered by whichever engine an {@link Ingestor} holds now: hand this to adapters (the GraphQL API,
 * the HTTP server) so a rebuild never leaves them asking a stale engine.
 */
public final class LiveAnalytics implements TaskSummaryQuery, DagRunQuery, TenantLoadQuery, ScheduleQuery,
        SourceStatusQuery, ResolveWindowUseCase, TaskSeriesQuery, FailureQuery, RunCountsQuery, CatalogQuery,
        FleetFiguresQuery {

    private static final int GENERATION_SHIFT = 40;

    private final Ingestor ingestor;

    /**
     * @param ingestor the ingestor whose engine answers
     */
    public LiveAnalytics(Ingestor ingestor) {
        this.ingestor = Objects.requireNonNull(ingestor, "ingestor");
    }

    /**
     * A number that changes whenever the data changes, also across rebuilds: answers cached under one version stay
     * right until it moves.
     *
     * @return the data's version
     */
    public long version() {
        return (ingestor.generation() << GENERATION_SHIFT) + ingestor.engine().version();
    }

    /** @return figures about the current engine: runs kept and dropped, aggregate cells, sealed days */
    public io.dagscope.core.engine.EngineStats stats() {
        return ingestor.engine().stats();
    }

    @Override
    public TaskSummary taskSummary(TaskSummaryQuery.Request request) {
        return ingestor.engine().taskSummary(request);
    }

    @Override
    public RunPage dagRuns(DagRunQuery.Request request) {
        return ingestor.engine().dagRuns(request);
    }

    @Override
    public Optional<DagRun> dagRun(String id, TenantScope scope) {
        return ingestor.engine().dagRun(id, scope);
    }

    @Override
    public List<TenantLoad> tenantLoad(WindowRequest window, TenantScope scope) {
        return ingestor.engine().tenantLoad(window, scope);
    }

    @Override
    public List<ScheduleSummary> schedules(WindowRequest window, TenantScope scope) {
        return ingestor.engine().schedules(window, scope);
    }

    @Override
    public List<SourceStatus> sources() {
        return ingestor.sources();
    }

    @Override
    public TimeWindow resolveWindow(WindowRequest request) {
        return ingestor.engine().resolveWindow(request);
    }

    @Override
    public TaskSeries taskSeries(TaskSeriesQuery.Request request) {
        return ingestor.engine().taskSeries(request);
    }

    @Override
    public List<FailureGroup> failures(FailureQuery.Request request) {
        return ingestor.engine().failures(request);
    }

    @Override
    public RunCounts runCounts(Duration staleAfter, Optional<String> tenant, Optional<String> dagName,
            TenantScope scope) {
        return ingestor.engine().runCounts(staleAfter, tenant, dagName, scope);
    }

    @Override
    public FleetFigures fleetFigures(Duration staleAfter) {
        return ingestor.engine().fleetFigures(staleAfter);
    }

    @Override
    public List<String> tenants(TenantScope scope) {
        return ingestor.engine().tenants(scope);
    }

    @Override
    public List<String> dagNames(TenantScope scope) {
        return ingestor.engine().dagNames(scope);
    }
}
