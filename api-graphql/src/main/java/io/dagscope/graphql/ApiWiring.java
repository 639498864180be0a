package io.dagscope.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunCounts;
import io.dagscope.core.model.TaskBucket;
import io.dagscope.core.model.TaskSeries;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.time.TimeWindow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * Binds every field of the schema to Java: {@code Query} to the ports (through {@link QueryResolvers}),
 * {@code Subscription} to the same resolvers (each answer published once), the other types to the core's read models. Each type says which Java type stands behind it.
 */
final class ApiWiring {

    private ApiWiring() {
    }

    /**
     * The runtime wiring of the schema.
     *
     * @param query the resolvers of {@code Query}'s fields
     * @return the wiring
     */
    static RuntimeWiring runtimeWiring(QueryResolvers query) {
        // graphql-java 26 wires in strict mode by default: a field wired twice fails at startup
        return RuntimeWiring.newRuntimeWiring()
                .scalar(DateTimeScalar.INSTANCE)
                .scalar(LongScalar.INSTANCE)
                .type(TypeRuntimeWiring.newTypeWiring("RunStatus").enumValues(RunStatus::valueOf))
                .type(TypeRuntimeWiring.newTypeWiring("Query")
                        .dataFetcher("taskSummary", query::taskSummary)
                        .dataFetcher("dagRuns", query::dagRuns)
                        .dataFetcher("dagRun", query::dagRun)
                        .dataFetcher("tenantLoad", query::tenantLoad)
                        .dataFetcher("schedules", query::schedules)
                        .dataFetcher("sources", query::sources)
                        .dataFetcher("windowOf", query::windowOf)
                        .dataFetcher("taskSeries", query::taskSeries)
                        .dataFetcher("failures", query::failures)
                        .dataFetcher("runCounts", query::runCounts)
                        .dataFetcher("tenants", query::tenants)
                        .dataFetcher("dagNames", query::dagNames))
                .type(TypeRuntimeWiring.newTypeWiring("Subscription")
                        .dataFetcher("taskSummary", once(query::taskSummary))
                        .dataFetcher("dagRuns", once(query::dagRuns))
                        .dataFetcher("dagRun", once(query::dagRun))
                        .dataFetcher("tenantLoad", once(query::tenantLoad))
                        .dataFetcher("schedules", once(query::schedules))
                        .dataFetcher("sources", once(query::sources))
                        .dataFetcher("windowOf", once(query::windowOf))
                        .dataFetcher("taskSeries", once(query::taskSeries))
                        .dataFetcher("failures", once(query::failures))
                        .dataFetcher("runCounts", once(query::runCounts))
                        .dataFetcher("tenants", once(query::tenants))
                        .dataFetcher("dagNames", once(query::dagNames)))
                .type(window())
                .type(taskSummary())
                .type(taskStats())
                .type(dagRunConnection())
                .type(dagRunEdge())
                .type(pageInfo())
                .type(dagRun())
                .type(taskRun())
                .type(tenantLoad())
                .type(schedule())
                .type(sourceStatus())
                .type(skipCount())
                .type(scheduleOutcome())
                .type(taskRetry())
                .type(taskSeriesType())
                .type(taskBucket())
                .type(failureGroup())
                .type(runCountsType())
                .build();
    }

    /**
     * A {@code Subscription} field in-process: the {@code Query} field's answer, published once (see
     * {@link OnceValuePublisher}).
     */
    private static DataFetcher<Flow.Publisher<Object>> once(DataFetcher<?> queryField) {
        return env -> new OnceValuePublisher(queryField.get(env));
    }

    private static TypeRuntimeWiring window() {
        return TypeFields.of("Window", TimeWindow.class)
                .field("start", TimeWindow::start)
                .field("end", TimeWindow::end)
                .field("hours", w -> w.minutes() / 60.0)
                .build();
    }

    private static TypeRuntimeWiring taskSummary() {
        return TypeFields.of("TaskSummary", TaskSummary.class)
                .field("windowStart", TaskSummary::windowStart)
                .field("windowEnd", TaskSummary::windowEnd)
                .field("allTime", TaskSummary::allTime)
                .field("window", TaskSummary::window)
                .build();
    }

    private static TypeRuntimeWiring taskStats() {
        return TypeFields.of("TaskStats", TaskStats.class)
                .field("started", TaskStats::started)
                .field("succeeded", TaskStats::succeeded)
                .field("failed", TaskStats::failed)
                .field("retried", TaskStats::retried)
                .field("errorRate", TaskStats::errorRate)
                .field("avgDurationSeconds", TaskStats::avgDurationSeconds)
                .field("p50DurationSeconds", TaskStats::p50DurationSeconds)
                .field("p95DurationSeconds", TaskStats::p95DurationSeconds)
                .field("p99DurationSeconds", TaskStats::p99DurationSeconds)
                .field("durations", TaskStats::durations)
                .build();
    }

    private static TypeRuntimeWiring dagRunConnection() {
        return TypeFields.of("DagRunConnection", RunPage.class)
                .field("edges", RunPage::entries)
                .field("pageInfo", page -> page)
                .field("totalCount", RunPage::totalCount)
                .build();
    }

    private static TypeRuntimeWiring dagRunEdge() {
        return TypeFields.of("DagRunEdge", RunPage.Entry.class)
                .field("cursor", RunPage.Entry::cursor)
                .field("node", RunPage.Entry::run)
                .build();
    }

    private static TypeRuntimeWiring pageInfo() {
        return TypeFields.of("PageInfo", RunPage.class)
                .field("hasNextPage", RunPage::hasNextPage)
                .field("endCursor", RunPage::endCursor)
                .build();
    }

    private static TypeRuntimeWiring dagRun() {
        return TypeFields.of("DagRun", DagRun.class)
                .field("id", DagRun::id)
                .field("dagName", DagRun::dagName)
                .field("tenant", DagRun::tenant)
                .field("status", DagRun::status)
                .field("startedAt", DagRun::startedAt)
                .field("endedAt", DagRun::endedAt)
                .field("durationSeconds", DagRun::durationSeconds)
                .field("taskCount", DagRun::taskCount)
                .field("tasksSucceeded", DagRun::tasksSucceeded)
                .field("tasksFailed", DagRun::tasksFailed)
                .field("tasksRetried", DagRun::tasksRetried)
                .field("error", DagRun::error)
                .field("tasks", DagRun::tasks)
                .field("lastEventAt", DagRun::lastEventAt)
                .field("inferred", DagRun::inferred)
                .build();
    }

    private static TypeRuntimeWiring taskRun() {
        return TypeFields.of("TaskRun", TaskRun.class)
                .field("taskId", TaskRun::taskId)
                .field("status", TaskRun::status)
                .field("startedAt", TaskRun::startedAt)
                .field("endedAt", TaskRun::endedAt)
                .field("durationSeconds", TaskRun::durationSeconds)
                .field("attempts", TaskRun::attempts)
                .field("error", TaskRun::error)
                .field("checkpoint", TaskRun::checkpoint)
                .field("retries", TaskRun::retries)
                .build();
    }

    private static TypeRuntimeWiring taskRetry() {
        return TypeFields.of("TaskRetry", TaskRun.Retry.class)
                .field("at", TaskRun.Retry::at)
                .field("attempt", TaskRun.Retry::attempt)
                .field("error", TaskRun.Retry::error)
                .build();
    }

    private static TypeRuntimeWiring tenantLoad() {
        return TypeFields.of("TenantLoad", TenantLoad.class)
                .field("tenant", TenantLoad::tenant)
                .field("runs", TenantLoad::runs)
                .field("tasks", TenantLoad::tasks)
                .field("errorRate", TenantLoad::errorRate)
                .field("avgLatencySeconds", TenantLoad::avgLatencySeconds)
                .field("p95LatencySeconds", TenantLoad::p95LatencySeconds)
                .build();
    }

    private static TypeRuntimeWiring schedule() {
        return TypeFields.of("Schedule", ScheduleSummary.class)
                .field("id", ScheduleSummary::id)
                .field("tenant", ScheduleSummary::tenant)
                .field("dagPath", ScheduleSummary::dagPath)
                .field("cron", ScheduleSummary::cron)
                .field("enabled", ScheduleSummary::enabled)
                .field("lastRunAt", ScheduleSummary::lastRunAt)
                .field("lastStatus", ScheduleSummary::lastStatus)
                .field("nextRunAt", ScheduleSummary::nextRunAt)
                .field("missedRuns", ScheduleSummary::missedRuns)
                .field("enqueued", ScheduleSummary::enqueued)
                .field("started", ScheduleSummary::started)
                .field("finished", ScheduleSummary::finished)
                .field("succeeded", ScheduleSummary::succeeded)
                .field("failed", ScheduleSummary::failed)
                .field("retried", ScheduleSummary::retried)
                .field("avgDurationSeconds", ScheduleSummary::avgDurationSeconds)
                .field("firstEventAt", ScheduleSummary::firstEventAt)
                .field("error", ScheduleSummary::error)
                .field("cronDescription", ScheduleSummary::cronDescription)
                .field("recentOutcomes", ScheduleSummary::recentOutcomes)
                .build();
    }

    private static TypeRuntimeWiring scheduleOutcome() {
        return TypeFields.of("ScheduleOutcome", ScheduleSummary.Outcome.class)
                .field("at", ScheduleSummary.Outcome::at)
                .field("status", ScheduleSummary.Outcome::status)
                .field("durationSeconds", ScheduleSummary.Outcome::durationSeconds)
                .build();
    }

    private static TypeRuntimeWiring taskSeriesType() {
        return TypeFields.of("TaskSeries", TaskSeries.class)
                .field("windowStart", TaskSeries::windowStart)
                .field("windowEnd", TaskSeries::windowEnd)
                .field("bucketMinutes", TaskSeries::bucketMinutes)
                .field("buckets", TaskSeries::buckets)
                .build();
    }

    private static TypeRuntimeWiring taskBucket() {
        return TypeFields.of("TaskBucket", TaskBucket.class)
                .field("start", TaskBucket::start)
                .field("end", TaskBucket::end)
                .field("stats", TaskBucket::stats)
                .field("runsStarted", TaskBucket::runsStarted)
                .build();
    }

    private static TypeRuntimeWiring failureGroup() {
        return TypeFields.of("FailureGroup", FailureGroup.class)
                .field("signature", FailureGroup::signature)
                .field("exampleError", FailureGroup::exampleError)
                .field("count", FailureGroup::count)
                .field("firstSeen", FailureGroup::firstSeen)
                .field("lastSeen", FailureGroup::lastSeen)
                .field("dags", FailureGroup::dags)
                .field("tenants", FailureGroup::tenants)
                .field("exampleRunId", FailureGroup::exampleRunId)
                .field("exampleTaskId", FailureGroup::exampleTaskId)
                .build();
    }

    private static TypeRuntimeWiring runCountsType() {
        return TypeFields.of("RunCounts", RunCounts.class)
                .field("asOf", RunCounts::asOf)
                .field("running", RunCounts::running)
                .field("paused", RunCounts::paused)
                .field("stale", RunCounts::stale)
                .field("succeeded", RunCounts::succeeded)
                .field("failed", RunCounts::failed)
                .build();
    }

    private static TypeRuntimeWiring sourceStatus() {
        return TypeFields.of("SourceStatus", SourceStatus.class)
                .field("name", SourceStatus::name)
                .field("kind", SourceStatus::kind)
                .field("location", SourceStatus::location)
                .field("eventsRead", SourceStatus::eventsRead)
                .field("linesSkipped", SourceStatus::linesSkipped)
                .field("ignored", SourceStatus::ignored)
                .field("firstEventAt", SourceStatus::firstEventAt)
                .field("lastEventAt", SourceStatus::lastEventAt)
                .field("healthy", SourceStatus::healthy)
                .field("error", SourceStatus::error)
                .field("skippedByReason", ApiWiring::skipCounts)
                .field("lagBytes", SourceStatus::lagBytes)
                .field("lagObjects", SourceStatus::lagObjects)
                .build();
    }

    private static TypeRuntimeWiring skipCount() {
        return TypeFields.of("SkipCount", SkipCount.class)
                .field("reason", SkipCount::reason)
                .field("count", SkipCount::count)
                .build();
    }

    private static List<SkipCount> skipCounts(SourceStatus source) {
        return source.skippedByReason().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> new SkipCount(e.getKey(), e.getValue()))
                .toList();
    }

    /** One entry of {@link SourceStatus#skippedByReason()}. */
    record SkipCount(String reason, long count) {
    }
}
