package io.dagscope.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.port.in.CatalogQuery;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.time.TimeWindow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The fields of {@code Query}: each reads its arguments and the caller's scope, and asks one port. */
final class QueryResolvers {

    private final TaskSummaryQuery taskSummaries;
    private final DagRunQuery runs;
    private final TenantLoadQuery tenantLoads;
    private final ScheduleQuery schedules;
    private final SourceStatusQuery sources;
    private final ResolveWindowUseCase windows;
    private final TaskSeriesQuery series;
    private final FailureQuery failures;
    private final RunCountsQuery runCounts;
    private final CatalogQuery catalog;

    QueryResolvers(GraphQlApi.Ports ports) {
        this.taskSummaries = ports.taskSummaries();
        this.runs = ports.runs();
        this.tenantLoads = ports.tenantLoads();
        this.schedules = ports.schedules();
        this.sources = ports.sources();
        this.windows = ports.windows();
        this.series = ports.series();
        this.failures = ports.failures();
        this.runCounts = ports.runCounts();
        this.catalog = ports.catalog();
    }

    TaskSeries taskSeries(DataFetchingEnvironment env) {
        Arguments args = new Arguments(env.getArguments());
        TaskSeriesQuery.Request request = new TaskSeriesQuery.Request(args.window(), args.bucketMinutes(),
                args.string("tenant"), args.string("dagName"), scope(env));
        try {
            return series.taskSeries(request);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("bucketMinutes", Objects.requireNonNullElse(e.getMessage(),
                    "too many buckets"));
        }
    }

    List<FailureGroup> failures(DataFetchingEnvironment env) {
        Arguments args = new Arguments(env.getArguments());
        return failures.failures(new FailureQuery.Request(args.window(), args.string("tenant"),
                args.string("dagName"), args.groups(), scope(env)));
    }

    RunCounts runCounts(DataFetchingEnvironment env) {
        Arguments args = new Arguments(env.getArguments());
        return runCounts.runCounts(args.staleAfter(), args.string("tenant"), args.string("dagName"), scope(env));
    }

    List<String> tenants(DataFetchingEnvironment env) {
        return catalog.tenants(scope(env));
    }

    List<String> dagNames(DataFetchingEnvironment env) {
        return catalog.dagNames(scope(env));
    }

    TaskSummary taskSummary(DataFetchingEnvironment env) {
        Arguments args = new Arguments(env.getArguments());
        return taskSummaries.taskSummary(new TaskSummaryQuery.Request(args.window(), args.string("tenant"),
                args.string("dagName"), scope(env)));
    }

    RunPage dagRuns(DataFetchingEnvironment env) {
        Arguments args = new Arguments(env.getArguments());
        Optional<String> after = args.string("after");
        // counting every matching run costs a scan: only when the caller asks for totalCount
        boolean countTotal = env.getSelectionSet() == null || env.getSelectionSet().contains("totalCount");
        DagRunQuery.Request request = new DagRunQuery.Request(args.first(), after, args.filter(), scope(env),
                countTotal);
        try {
            return runs.dagRuns(request);
        } catch (IllegalArgumentException e) {
            if (after.isEmpty()) {
                throw e; // not about the cursor: the port's contract names no other bad input, so it is ours
            }
            // the port's message quotes the cursor, which the caller chose and may be anything of any length
            throw new InvalidArgumentException("after", "Invalid cursor in after: not a cursor from a page of "
                    + "dagRuns; pass an endCursor or an edge's cursor as it was given");
        }
    }

    DagRun dagRun(DataFetchingEnvironment env) {
        return runs.dagRun(new Arguments(env.getArguments()).requiredString("id"), scope(env)).orElse(null);
    }

    List<TenantLoad> tenantLoad(DataFetchingEnvironment env) {
        return tenantLoads.tenantLoad(new Arguments(env.getArguments()).window(), scope(env));
    }

    List<ScheduleSummary> schedules(DataFetchingEnvironment env) {
        return schedules.schedules(new Arguments(env.getArguments()).window(), scope(env));
    }

    /**
     * Sources hold every tenant's events and the port cannot narrow them, so only an unscoped caller may read them;
     * a scoped caller is told so rather than shown an empty list it could take for "no sources".
     */
    List<SourceStatus> sources(DataFetchingEnvironment env) {
        if (!scope(env).isAll()) {
            throw new ForbiddenException("sources needs an admin token: sources hold every tenant's events, and this "
                    + "caller may see only some tenants");
        }
        return sources.sources();
    }

    TimeWindow windowOf(DataFetchingEnvironment env) {
        return windows.resolveWindow(new Arguments(env.getArguments()).window());
    }

    /**
     * The caller's scope, which {@link GraphQlApi#executionInput} puts in the GraphQL context. Its absence is a
     * wiring mistake in the server; failing closed keeps it from showing every tenant.
     */
    private static TenantScope scope(DataFetchingEnvironment env) {
        TenantScope scope = env.getGraphQlContext().get(TenantScope.class);
        if (scope == null) {
            throw new IllegalStateException("no TenantScope in the GraphQL context: build the ExecutionInput with "
                    + "GraphQlApi.executionInput");
        }
        return scope;
    }
}
