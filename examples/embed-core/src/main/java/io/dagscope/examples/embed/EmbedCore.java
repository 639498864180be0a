package io.dagscope.examples.embed;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.time.Timestamps;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A program of its own that embeds dagscope's analytics core: it feeds the core the events of three DAG runs, asks
 * it the questions the dagscope server asks, and prints the answers. docs/embedding.md walks through it.
 */
public final class EmbedCore {

    /** "Now" for this example, so that it prints the same every day; a live program passes the system clock. */
    static final Instant NOW = Instant.parse("2025-10-21T12:00:00Z");

    private EmbedCore() {
    }

    /**
     * Feeds the events, asks, prints.
     *
     * @param args none
     */
    public static void main(String[] args) {
        // the clock says "now" for windows without an end; history the engine no longer changes stays on the heap
        try (AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC))) {
            SourceFeed feed = engine.feed("my-runner");
            record(feed);
            feed.flush();
            report(engine, System.out);
        }
    }

    /**
     * The events a runner of your own reports as it goes, in the order it reports them: a nightly ETL that runs
     * twice (a retried transform the first night, a failed load the second) and a report still running.
     *
     * @param sink where they go: an engine's {@link SourceFeed}, or any other sink
     */
    static void record(EventSink sink) {
        sink.accept(new DagStart(at("2025-10-20T02:00:00Z"), "nightly-etl", "etl-0001", "acme", 3));
        sink.accept(new TaskStart(at("2025-10-20T02:00:01Z"), "nightly-etl", "etl-0001", "extract"));
        sink.accept(new TaskOk(at("2025-10-20T02:01:31Z"), "nightly-etl", "etl-0001", "extract", 1));
        sink.accept(new TaskStart(at("2025-10-20T02:01:32Z"), "nightly-etl", "etl-0001", "transform"));
        sink.accept(new TaskRetry(at("2025-10-20T02:02:02Z"), "nightly-etl", "etl-0001", "transform", 1,
                "worker 7 lost"));
        sink.accept(new TaskOk(at("2025-10-20T02:05:32Z"), "nightly-etl", "etl-0001", "transform", 2));
        sink.accept(new TaskStart(at("2025-10-20T02:05:33Z"), "nightly-etl", "etl-0001", "load"));
        sink.accept(new TaskOk(at("2025-10-20T02:06:33Z"), "nightly-etl", "etl-0001", "load", 1));
        sink.accept(new DagDone(at("2025-10-20T02:06:34Z"), "nightly-etl", "etl-0001", "acme", 3, 0, 394.0));

        sink.accept(new DagStart(at("2025-10-21T02:00:00Z"), "nightly-etl", "etl-0002", "acme", 3));
        sink.accept(new TaskStart(at("2025-10-21T02:00:01Z"), "nightly-etl", "etl-0002", "extract"));
        sink.accept(new TaskOk(at("2025-10-21T02:01:41Z"), "nightly-etl", "etl-0002", "extract", 1));
        sink.accept(new TaskStart(at("2025-10-21T02:01:42Z"), "nightly-etl", "etl-0002", "transform"));
        sink.accept(new TaskOk(at("2025-10-21T02:04:12Z"), "nightly-etl", "etl-0002", "transform", 1));
        sink.accept(new TaskStart(at("2025-10-21T02:04:13Z"), "nightly-etl", "etl-0002", "load"));
        sink.accept(new TaskFail(at("2025-10-21T02:04:43Z"), "nightly-etl", "etl-0002", "load",
                "connection to warehouse-3:5432 refused"));
        sink.accept(new DagDone(at("2025-10-21T02:04:44Z"), "nightly-etl", "etl-0002", "acme", 2, 1, 284.0));

        sink.accept(new DagStart(at("2025-10-21T11:30:00Z"), "weekly-report", "rep-0001", "globex", 2));
        sink.accept(new TaskStart(at("2025-10-21T11:30:01Z"), "weekly-report", "rep-0001", "render"));
    }

    /** An ISO-8601 instant as the core's events carry it: microseconds since the epoch. */
    private static long at(String isoInstant) {
        return Timestamps.parseMicros(isoInstant);
    }

    /**
     * Asks the engine what the dagscope server's API asks it, and prints the answers.
     *
     * @param engine the engine, fed
     * @param out where to print
     */
    static void report(AnalyticsEngine engine, PrintStream out) {
        TenantScope everyone = TenantScope.ALL;

        // task KPIs over the default window: the 24 hours before now
        TaskSummary summary = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.DEFAULT,
                Optional.empty(), Optional.empty(), everyone));
        TaskStats day = summary.window();
        out.printf(Locale.ROOT, "tasks from %s to %s: %d started, %d succeeded, %d failed, %d retried%n",
                summary.windowStart(), summary.windowEnd(), day.started(), day.succeeded(), day.failed(),
                day.retried());
        out.printf(Locale.ROOT, "  error rate %.2f, p50 %s, p95 %s; all time: %d started%n", day.errorRate(),
                seconds(day.p50DurationSeconds()), seconds(day.p95DurationSeconds()), summary.allTime().started());

        // runs, newest first: a page of 10, and a cursor to the next page
        RunPage page = engine.dagRuns(new DagRunQuery.Request(10, Optional.empty(), DagRunQuery.Filter.ALL,
                everyone));
        out.printf(Locale.ROOT, "runs, newest first (%d in all):%n", page.totalCount());
        for (RunPage.Entry entry : page.entries()) {
            DagRun run = entry.run();
            out.printf(Locale.ROOT, "  %-8s %-13s %-6s %-9s %s%n", run.id(), run.dagName(), run.tenant(),
                    run.status(), seconds(run.durationSeconds()));
        }

        // one run with its tasks
        DagRun failed = engine.dagRun("etl-0002", everyone).orElseThrow();
        out.printf(Locale.ROOT, "run %s: %s, %s%n", failed.id(), failed.status(), failed.error().orElse("no error"));
        for (TaskRun task : failed.tasks()) {
            out.printf(Locale.ROOT, "  %-9s %-9s %s, %d attempt(s)%n", task.taskId(), task.status(),
                    seconds(task.durationSeconds()), task.attempts());
        }

        // the week's failures, grouped by error signature
        WindowRequest week = new WindowRequest(OptionalDouble.of(7 * 24), Optional.empty());
        List<FailureGroup> failures = engine.failures(new FailureQuery.Request(week, Optional.empty(),
                Optional.empty(), 10, everyone));
        out.printf(Locale.ROOT, "failures in the week to %s:%n", NOW);
        for (FailureGroup group : failures) {
            out.printf(Locale.ROOT, "  %d x %s (%s, last in %s)%n", group.count(), group.signature(),
                    String.join(", ", group.dags()), group.exampleRunId().orElse("a run no longer kept"));
        }

        // a caller limited to some tenants sees only theirs
        RunPage globex = engine.dagRuns(new DagRunQuery.Request(10, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.of(Set.of("globex"))));
        out.printf(Locale.ROOT, "runs globex may see: %d%n", globex.totalCount());
    }

    private static String seconds(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f s", value.getAsDouble()) : "-";
    }
}
