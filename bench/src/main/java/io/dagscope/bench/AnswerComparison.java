package io.dagscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Compares two {@link Answers} field by field within METRICS.md's tolerances: counts, ids, statuses and instants
 * exactly; error rates to 1e-9 (they are ratios of exact counts); mean durations and run durations within 1 ms;
 * quantiles within 1 % of the reference value plus 1 ms (the relative error METRICS.md allows a sketch, and the
 * absolute allowance it gives durations near zero). Lists must have the same length and order.
 */
public final class AnswerComparison {

    /** Allowed absolute error of a duration, in seconds. */
    public static final double DURATION_TOLERANCE_SECONDS = 0.001;
    /** Allowed relative error of a quantile. */
    public static final double QUANTILE_RELATIVE_TOLERANCE = 0.01;
    /** Allowed absolute error of an error rate. */
    public static final double RATE_TOLERANCE = 1e-9;

    private final String actualName;
    private final String referenceName;
    private final List<String> differences = new ArrayList<>();

    private AnswerComparison(String actualName, String referenceName) {
        this.actualName = actualName;
        this.referenceName = referenceName;
    }

    /**
     * The differences between two sets of answers.
     *
     * @param actual the answers under test (dagscope's)
     * @param reference the answers they are checked against (DuckDB's)
     * @param actualName how the report names the first
     * @param referenceName how the report names the second
     * @return one line per difference, naming the field and both values; empty when they agree
     */
    public static List<String> differences(Answers actual, Answers reference, String actualName,
            String referenceName) {
        AnswerComparison c = new AnswerComparison(actualName, referenceName);
        c.compare(actual, reference);
        return List.copyOf(c.differences);
    }

    private void compare(Answers a, Answers r) {
        exact("events", a.events(), r.events());
        exact("window.start", a.windowStartMicros(), r.windowStartMicros());
        exact("window.end", a.windowEndMicros(), r.windowEndMicros());
        stats("taskSummary.allTime", a.allTime(), r.allTime());
        stats("taskSummary.window", a.window(), r.window());
        if (sameSize("tenantLoad", a.tenants().size(), r.tenants().size())) {
            for (int i = 0; i < a.tenants().size(); i++) {
                Answers.Tenant x = a.tenants().get(i);
                Answers.Tenant y = r.tenants().get(i);
                String at = "tenantLoad[" + i + "]";
                exact(at + ".tenant", x.tenant(), y.tenant());
                exact(at + ".runs", x.runs(), y.runs());
                exact(at + ".tasks", x.tasks(), y.tasks());
                rate(at + ".errorRate", x.errorRate(), y.errorRate());
                duration(at + ".avgLatencySeconds", x.avg(), y.avg());
                quantile(at + ".p95LatencySeconds", x.p95(), y.p95());
            }
        }
        exact("dagRuns.totalCount", a.totalRuns(), r.totalRuns());
        if (sameSize("dagRuns", a.newestRuns().size(), r.newestRuns().size())) {
            for (int i = 0; i < a.newestRuns().size(); i++) {
                run("dagRuns[" + i + "]", a.newestRuns().get(i), r.newestRuns().get(i));
            }
        }
        if (sameSize("schedules", a.schedules().size(), r.schedules().size())) {
            for (int i = 0; i < a.schedules().size(); i++) {
                Answers.Schedule x = a.schedules().get(i);
                Answers.Schedule y = r.schedules().get(i);
                String at = "schedules[" + i + "]";
                exact(at + ".id", x.id(), y.id());
                exact(at + ".enqueued", x.enqueued(), y.enqueued());
                exact(at + ".started", x.started(), y.started());
                exact(at + ".finished", x.finished(), y.finished());
                exact(at + ".succeeded", x.succeeded(), y.succeeded());
                exact(at + ".failed", x.failed(), y.failed());
                exact(at + ".retried", x.retried(), y.retried());
                duration(at + ".avgDurationSeconds", x.avgDurationSeconds(), y.avgDurationSeconds());
                exact(at + ".lastRunAt", x.lastRunAtMicros(), y.lastRunAtMicros());
                exact(at + ".lastStatus", x.lastStatus(), y.lastStatus());
            }
        }
    }

    private void stats(String at, Answers.Stats x, Answers.Stats y) {
        exact(at + ".started", x.started(), y.started());
        exact(at + ".succeeded", x.succeeded(), y.succeeded());
        exact(at + ".failed", x.failed(), y.failed());
        exact(at + ".retried", x.retried(), y.retried());
        rate(at + ".errorRate", x.errorRate(), y.errorRate());
        exact(at + ".durations", x.durations(), y.durations());
        duration(at + ".avgDurationSeconds", x.avg(), y.avg());
        quantile(at + ".p50DurationSeconds", x.p50(), y.p50());
        quantile(at + ".p95DurationSeconds", x.p95(), y.p95());
        quantile(at + ".p99DurationSeconds", x.p99(), y.p99());
    }

    private void run(String at, Answers.Run x, Answers.Run y) {
        exact(at + ".id", x.id(), y.id());
        exact(at + ".dagName", x.dagName(), y.dagName());
        exact(at + ".tenant", x.tenant(), y.tenant());
        exact(at + ".status", x.status(), y.status());
        exact(at + ".startedAt", x.startedAtMicros(), y.startedAtMicros());
        exact(at + ".endedAt", x.endedAtMicros(), y.endedAtMicros());
        duration(at + ".durationSeconds", x.durationSeconds(), y.durationSeconds());
        exact(at + ".taskCount", x.taskCount(), y.taskCount());
        exact(at + ".tasksSucceeded", x.tasksSucceeded(), y.tasksSucceeded());
        exact(at + ".tasksFailed", x.tasksFailed(), y.tasksFailed());
        exact(at + ".tasksRetried", x.tasksRetried(), y.tasksRetried());
        exact(at + ".error", x.error(), y.error());
    }

    private boolean sameSize(String at, int x, int y) {
        if (x != y) {
            differ(at, x + " rows", y + " rows", "");
            return false;
        }
        return true;
    }

    private void exact(String at, Object x, Object y) {
        if (!Objects.equals(x, y)) {
            differ(at, x, y, "");
        }
    }

    private void rate(String at, double x, double y) {
        if (!(Math.abs(x - y) <= RATE_TOLERANCE)) {
            differ(at, x, y, "");
        }
    }

    private void duration(String at, Double x, Double y) {
        if (nullMismatch(at, x, y)) {
            return;
        }
        if (x != null && !(Math.abs(x - y) <= DURATION_TOLERANCE_SECONDS)) {
            differ(at, x, y, String.format(Locale.ROOT, " (off by %.6f s, more than 1 ms)", Math.abs(x - y)));
        }
    }

    private void quantile(String at, Double x, Double y) {
        if (nullMismatch(at, x, y)) {
            return;
        }
        if (x != null && !(Math.abs(x - y) <= QUANTILE_RELATIVE_TOLERANCE * Math.abs(y)
                + DURATION_TOLERANCE_SECONDS)) {
            differ(at, x, y, String.format(Locale.ROOT, " (off by %.3f %%, more than 1 %% + 1 ms)",
                    100 * Math.abs(x - y) / Math.abs(y)));
        }
    }

    private boolean nullMismatch(String at, Double x, Double y) {
        if ((x == null) != (y == null)) {
            differ(at, x, y, "");
            return true;
        }
        return false;
    }

    private void differ(String at, Object x, Object y, String why) {
        differences.add(at + ": " + actualName + " " + x + ", " + referenceName + " " + y + why);
    }
}
