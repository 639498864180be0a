package io.dagscope.graphql;

import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Implements every port with fixed answers and records what it was asked, so a test can check both what the API
 * returns and what reached the core.
 */
final class FakeEngine implements TaskSummaryQuery, DagRunQuery, TenantLoadQuery, ScheduleQuery, SourceStatusQuery,
        ResolveWindowUseCase, io.dagscope.core.port.in.TaskSeriesQuery, io.dagscope.core.port.in.FailureQuery,
        io.dagscope.core.port.in.RunCountsQuery, io.dagscope.core.port.in.CatalogQuery {

    static final Instant NOW = Instant.parse("2025-10-21T18:00:00Z");
    static final String CURSOR_PREFIX = "cursor:";

    /** Past 2^31, so an Int would overflow. */
    static final long BIG = 5_000_000_000L;

    static final TaskStats ALL_TIME = new TaskStats(BIG, BIG - 10, 7, 3, 7.0 / (BIG - 3), OptionalDouble.of(1.5),
            OptionalDouble.of(1.25), OptionalDouble.of(4.0), OptionalDouble.of(9.75), BIG - 3);

    static final DagRun FINISHED = new DagRun("run-1", "nightly_rollup", "acme", RunStatus.FAILED,
            Instant.parse("2025-10-21T17:00:00.123456Z"), Optional.of(Instant.parse("2025-10-21T17:01:00Z")),
            OptionalDouble.of(59.876544), OptionalInt.of(3), 1, 1, 2, Optional.of("boom"),
            List.of(new TaskRun("extract", RunStatus.SUCCEEDED, Optional.of(Instant.parse("2025-10-21T17:00:01Z")),
                    Optional.of(Instant.parse("2025-10-21T17:00:31Z")), OptionalDouble.of(30.0), 3,
                    Optional.of("retried: timeout"), false, List.of(new TaskRun.Retry(
                            Instant.parse("2025-10-21T17:00:11Z"), OptionalInt.of(1), Optional.of("timeout")),
                            new TaskRun.Retry(Instant.parse("2025-10-21T17:00:21Z"), OptionalInt.empty(),
                                    Optional.empty()))),
                    new TaskRun("approve", RunStatus.PAUSED, Optional.empty(), Optional.empty(),
                            OptionalDouble.empty(), 0, Optional.empty(), true, List.of())),
            Instant.parse("2025-10-21T17:01:00Z"), false);

    static final DagRun RUNNING = new DagRun("inferred-2", "data_digest", "local-dev", RunStatus.RUNNING,
            Instant.parse("2025-10-21T16:00:00Z"), Optional.empty(), OptionalDouble.empty(), OptionalInt.empty(), 0,
            0, 0, Optional.empty(), List.of(), Instant.parse("2025-10-21T16:30:00Z"), true);

    static final TenantLoad ACME = new TenantLoad("acme", BIG, 12, 0.25, OptionalDouble.of(2.5),
            OptionalDouble.of(8.0));
    static final TenantLoad QUIET = new TenantLoad("quiet", 1, 0, 0.0, OptionalDouble.empty(), OptionalDouble.empty());

    static final ScheduleSummary DEFINED = new ScheduleSummary("nightly", Optional.of("acme"),
            Optional.of("dags/nightly.yaml"), Optional.of("0 2 * * *"), Optional.of(true),
            Optional.of(Instant.parse("2025-10-21T02:00:00Z")), Optional.of("success"),
            Optional.of(Instant.parse("2025-10-22T02:00:00Z")), OptionalInt.of(2), BIG, 4, 3, 2, 1, 0,
            OptionalDouble.of(12.5), Optional.of(Instant.parse("2025-10-01T02:00:00Z")), Optional.empty(),
            Optional.of("every day at 02:00 UTC"), List.of(new ScheduleSummary.Outcome(
                    Instant.parse("2025-10-21T02:00:12.5Z"), "success", OptionalDouble.of(12.5))));
    static final ScheduleSummary BROKEN = new ScheduleSummary("weekly", Optional.empty(), Optional.empty(),
            Optional.of("not a cron"), Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalInt.empty(), 0, 0, 0, 0, 0, 0, OptionalDouble.empty(), Optional.empty(),
            Optional.of("cannot parse cron 'not a cron'"), Optional.empty(), List.of());

    static final SourceStatus FOLLOWED = new SourceStatus("events", "jsonl", "/var/log/orch/events.jsonl", BIG,
            Map.of("malformed_json", 3L, "bad_timestamp", BIG), 2, Optional.of(Instant.parse("2025-10-01T00:00:00Z")),
            Optional.of(Instant.parse("2025-10-21T17:59:59.5Z")), true, Optional.empty(), OptionalLong.of(BIG),
            OptionalLong.empty());
    static final SourceStatus BROKEN_SOURCE = new SourceStatus("archive", "s3", "s3://bucket/prefix", 0, Map.of(), 0,
            Optional.empty(), Optional.empty(), false, Optional.of("access denied"), OptionalLong.empty(),
            OptionalLong.of(4));

    final List<Object> requests = new ArrayList<>();
    final List<TenantScope> scopes = new ArrayList<>();
    RuntimeException failure;

    @Override
    public TaskSummary taskSummary(TaskSummaryQuery.Request request) {
        record(request, request.scope());
        TimeWindow window = resolveWindow(request.window());
        return new TaskSummary(window.start(), window.end(), ALL_TIME, TaskStats.EMPTY);
    }

    @Override
    public RunPage dagRuns(DagRunQuery.Request request) {
        record(request, request.scope());
        List<DagRun> runs = List.of(FINISHED, RUNNING);
        int from = 0;
        if (request.after().isPresent()) {
            String after = request.after().get();
            if (!after.startsWith(CURSOR_PREFIX)) {
                throw new IllegalArgumentException("not a cursor this engine gave out: " + after);
            }
            from = Integer.parseInt(after.substring(CURSOR_PREFIX.length())) + 1;
        }
        List<RunPage.Entry> entries = new ArrayList<>();
        for (int i = from; i < runs.size() && entries.size() < request.first(); i++) {
            entries.add(new RunPage.Entry(CURSOR_PREFIX + i, runs.get(i)));
        }
        boolean more = from + entries.size() < runs.size();
        Optional<String> end = entries.isEmpty() ? Optional.empty()
                : Optional.of(entries.get(entries.size() - 1).cursor());
        return new RunPage(entries, more, end, runs.size());
    }

    @Override
    public Optional<DagRun> dagRun(String id, TenantScope scope) {
        record(id, scope);
        return List.of(FINISHED, RUNNING).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    @Override
    public List<TenantLoad> tenantLoad(WindowRequest window, TenantScope scope) {
        record(window, scope);
        return List.of(ACME, QUIET);
    }

    @Override
    public List<ScheduleSummary> schedules(WindowRequest window, TenantScope scope) {
        record(window, scope);
        return List.of(DEFINED, BROKEN);
    }

    @Override
    public List<SourceStatus> sources() {
        record("sources", null);
        return List.of(FOLLOWED, BROKEN_SOURCE);
    }

    @Override
    public TimeWindow resolveWindow(WindowRequest request) {
        if (failure != null) {
            throw failure;
        }
        return TimeWindow.ending(Timestamps.toMicros(request.end().orElse(NOW)), request.hours().orElse(24));
    }

    /** The last request a port received. */
    Object lastRequest() {
        return requests.get(requests.size() - 1);
    }

    private void record(Object request, TenantScope scope) {
        if (failure != null) {
            throw failure;
        }
        requests.add(request);
        scopes.add(scope);
    }

    /** The series requests seen. */
    final java.util.List<io.dagscope.core.port.in.TaskSeriesQuery.Request> seriesRequests = new java.util.ArrayList<>();

    @Override
    public io.dagscope.core.model.TaskSeries taskSeries(io.dagscope.core.port.in.TaskSeriesQuery.Request request) {
        seriesRequests.add(request);
        if (request.bucketMinutes().orElse(60) == 1) {
            throw new IllegalArgumentException("bucketMinutes 1 makes 1440 buckets over a 1440-minute window");
        }
        return new io.dagscope.core.model.TaskSeries(NOW.minusSeconds(7200), NOW, 60, List.of(
                new io.dagscope.core.model.TaskBucket(NOW.minusSeconds(7200), NOW.minusSeconds(3600), ALL_TIME, 4),
                new io.dagscope.core.model.TaskBucket(NOW.minusSeconds(3600), NOW, TaskStats.EMPTY, 0)));
    }

    @Override
    public List<io.dagscope.core.model.FailureGroup> failures(io.dagscope.core.port.in.FailureQuery.Request request) {
        return List.of(new io.dagscope.core.model.FailureGroup("KeyError <str>", "KeyError 'thread_id'", 3,
                NOW.minusSeconds(600), NOW.minusSeconds(60), List.of("crm_sync"), List.of("acme"),
                Optional.of("run-1"), "fetch"));
    }

    @Override
    public io.dagscope.core.model.RunCounts runCounts(java.time.Duration staleAfter, Optional<String> tenant,
            Optional<String> dagName, TenantScope scope) {
        // the arguments come back in the counts, so a test can see that they reached the port
        return new io.dagscope.core.model.RunCounts(NOW, staleAfter.toHours(), tenant.map(String::length).orElse(2),
                dagName.map(String::length).orElse(3), BIG, 5);
    }

    @Override
    public List<String> tenants(TenantScope scope) {
        return scope.isAll() ? List.of("acme", "globex") : List.copyOf(new java.util.TreeSet<>(scope.tenants().get()));
    }

    @Override
    public List<String> dagNames(TenantScope scope) {
        return List.of("crm_sync", "nightly_rollup");
    }
}
