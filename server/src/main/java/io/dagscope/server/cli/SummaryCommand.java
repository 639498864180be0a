package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.model.TaskStats;
import io.dagscope.core.model.TaskSummary;
import io.dagscope.core.model.TenantLoad;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.Settings;
import io.dagscope.server.plugins.PluginLoader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code dagscope summary}: the dashboard in the terminal. */
public final class SummaryCommand implements Command {

    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String summary() {
        return "Read the logs and print KPIs, recent runs, schedules, tenants and data quality as tables.";
    }

    @Override
    public String details() {
        return "Exit status: 0, 2 for bad usage, 4 when a source could not be read (the tables are partial;\n"
                + "--allow-partial makes that 0).";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(CommonOptions.FLAGS);
        flags.add(Flag.value("runs", "COUNT", "how many recent runs to list (default 20)"));
        flags.add(Flag.toggle(Io.ALLOW_PARTIAL, "exit 0 even when a source could not be read (by default that "
                + "exits " + Io.EXIT_PARTIAL + ": the tables lack its events)"));
        return flags;
    }

    @Override
    public int run(Args args, Io io) {
        int runCount = args.value("runs").map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= 0 && n <= DagRunQuery.MAX_PAGE_SIZE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--runs must be a whole number from 0 to " + DagRunQuery.MAX_PAGE_SIZE
                    + "; got '" + v + "'");
        }).orElse(20);
        Settings settings = CommonOptions.resolve(args, io.env(), note -> io.err().println("dagscope: " + note));
        settings.plugins().ifPresent(dir -> PluginLoader.loadInto(dir, io.factories(), io.err()));
        try (Dagscope app = Dagscope.create(settings, io.factories(), false, io.err())) {
            app.startFromSnapshot(Optional.empty(), note -> io.err().println("dagscope: " + note));
            load(app, io.err());
            int unread = Io.reportUnreadSources(app.ingestor().sources(), io.err());
            print(app, runCount, io.out());
            io.out().flush();
            if (unread > 0 && !args.has(Io.ALLOW_PARTIAL)) {
                io.err().println("dagscope summary: " + Io.partialMessage(unread));
                return Io.EXIT_PARTIAL;
            }
            return 0;
        }
    }

    /** Reads the logs, with a progress line on stderr while it takes more than a second. */
    private static void load(Dagscope app, PrintStream err) {
        AtomicBoolean done = new AtomicBoolean();
        long started = System.nanoTime();
        Thread progress = new Thread(() -> {
            boolean shown = false;
            while (!done.get()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get()) {
                    long secs = (System.nanoTime() - started) / 1_000_000_000L;
                    err.printf("\rdagscope: loading… %,d events (%d s)", app.ingestor().eventsDelivered(), secs);
                    shown = true;
                }
            }
            if (shown) {
                err.println();
            }
        }, "dagscope-progress");
        progress.setDaemon(true);
        progress.start();
        try {
            app.ingestor().pollOnce();
        } finally {
            done.set(true);
            progress.interrupt();
            try {
                progress.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void print(Dagscope app, int runCount, PrintStream out) {
        var engine = app.engine();
        TimeWindow window = engine.resolveWindow(WindowRequest.DEFAULT);
        TaskSummary summary = engine.taskSummary(new TaskSummaryQuery.Request(WindowRequest.DEFAULT, Optional.empty(),
                Optional.empty(), TenantScope.ALL));
        out.printf("dagscope summary: window %s to %s (%s h)%n%n", window.start(), window.end(),
                num(window.minutes() / 60.0));

        out.println("TASKS");
        Table kpi = new Table("", ">window", ">all time");
        TaskStats w = summary.window();
        TaskStats a = summary.allTime();
        kpi.row("started", w.started(), a.started());
        kpi.row("succeeded", w.succeeded(), a.succeeded());
        kpi.row("failed", w.failed(), a.failed());
        kpi.row("retried", w.retried(), a.retried());
        kpi.row("error rate", pct(w.errorRate()), pct(a.errorRate()));
        kpi.row("avg duration", secs(w.avgDurationSeconds()), secs(a.avgDurationSeconds()));
        kpi.row("p50 duration", secs(w.p50DurationSeconds()), secs(a.p50DurationSeconds()));
        kpi.row("p95 duration", secs(w.p95DurationSeconds()), secs(a.p95DurationSeconds()));
        kpi.row("p99 duration", secs(w.p99DurationSeconds()), secs(a.p99DurationSeconds()));
        kpi.print(out);

        RunPage page = engine.dagRuns(new DagRunQuery.Request(runCount, Optional.empty(), DagRunQuery.Filter.ALL,
                TenantScope.ALL));
        out.printf("%nRECENT RUNS (%d of %,d)%n", page.entries().size(), page.totalCount());
        Table runs = new Table("STARTED", "DAG", "TENANT", "STATUS", ">DURATION", ">OK", ">FAILED", ">RETRIED",
                "ERROR");
        for (RunPage.Entry e : page.entries()) {
            DagRun r = e.run();
            runs.row(time(r.startedAt()), r.dagName(), r.tenant(), r.status(), secs(r.durationSeconds()),
                    r.tasksSucceeded(), r.tasksFailed(), r.tasksRetried(), r.error().orElse(""));
        }
        printOrNone(runs, out);

        List<ScheduleSummary> schedules = engine.schedules(WindowRequest.DEFAULT, TenantScope.ALL);
        out.printf("%nSCHEDULES (%d)%n", schedules.size());
        Table sched = new Table("ID", "TENANT", "CRON", "LAST RUN", "LAST STATUS", "NEXT RUN", ">MISSED", ">ENQ",
                ">STARTED", ">FINISHED", ">OK", ">FAILED", ">RETRY", ">AVG");
        for (ScheduleSummary s : schedules) {
            sched.row(s.id(), s.tenant().orElse("-"), s.cron().orElse("-"), s.lastRunAt().map(SummaryCommand::time)
                    .orElse("-"), s.lastStatus().orElse("-"), s.nextRunAt().map(SummaryCommand::time).orElse("-"),
                    s.missedRuns().isPresent() ? s.missedRuns().getAsInt() : "-", s.enqueued(), s.started(),
                    s.finished(), s.succeeded(), s.failed(), s.retried(), secs(s.avgDurationSeconds()));
        }
        printOrNone(sched, out);

        List<TenantLoad> load = engine.tenantLoad(WindowRequest.DEFAULT, TenantScope.ALL);
        out.printf("%nTENANTS (window)%n");
        Table tenants = new Table("TENANT", ">RUNS", ">TASKS", ">ERROR RATE", ">AVG", ">P95");
        for (TenantLoad t : load) {
            tenants.row(t.tenant(), t.runs(), t.tasks(), pct(t.errorRate()), secs(t.avgLatencySeconds()),
                    secs(t.p95LatencySeconds()));
        }
        printOrNone(tenants, out);

        out.printf("%nDATA QUALITY%n");
        Table sources = new Table("SOURCE", "KIND", "LOCATION", ">EVENTS", ">SKIPPED", ">IGNORED", "FIRST EVENT",
                "LAST EVENT", "HEALTH");
        for (SourceStatus s : app.ingestor().sources()) {
            sources.row(s.name(), s.kind(), s.location(), s.eventsRead(), s.linesSkipped() == 0 ? "0"
                    : s.linesSkipped() + " " + s.skippedByReason(), s.ignored(),
                    s.firstEventAt().map(SummaryCommand::time).orElse("-"),
                    s.lastEventAt().map(SummaryCommand::time).orElse("-"),
                    s.healthy() ? "ok" : "UNHEALTHY: " + s.error().orElse(""));
        }
        printOrNone(sources, out);
    }

    private static void printOrNone(Table t, PrintStream out) {
        if (t.isEmpty()) {
            out.println("(none)");
        } else {
            t.print(out);
        }
    }

    private static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String pct(double rate) {
        return String.format(Locale.ROOT, "%.2f %%", rate * 100);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String secs(OptionalDouble d) {
        if (d.isEmpty()) {
            return "-";
        }
        double s = d.getAsDouble();
        if (Math.abs(s) >= 3600) {
            Duration dur = Duration.ofMillis(Math.round(s * 1000));
            return String.format(Locale.ROOT, "%dh%02dm", dur.toHours(), dur.toMinutesPart());
        }
        return String.format(Locale.ROOT, "%.2f s", s);
    }
}
