package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One dashboard polling over HTTP, as the dashboard does when it polls: each of its operations in turn, with a token,
 * the views a user goes through (window 1 h, 6 h, 24 h, 7 d or the default; status filters; an admin's tenant filter;
 * a run opened from the runs table). Requests are paced at a fixed rate; each one's latency is counted from when it
 * was due, not from when it was sent, so a stalled server shows in the figures instead of slowing the caller down.
 */
final class DashboardCaller implements Runnable {

    private static final List<Double> HOURS = Arrays.asList(null, 1.0, 6.0, 24.0, 168.0);
    private static final List<List<String>> STATUSES = Arrays.asList(null, List.of("FAILED"),
            List.of("RUNNING", "PAUSED"));

    private final GraphQlHttp http;
    private final Map<String, String> operations;
    private final List<String> tenantFilters;
    private final boolean admin;
    private final long intervalNanos;
    private final Instant defaultEnd;
    private final double defaultHours;
    private final CallerStats stats;
    private final long soakStart;
    private final long stopAt;

    /**
     * @param http the caller's connection, with its token
     * @param operations the dashboard's operations ({@link DashboardDocuments})
     * @param admin whether the token is an admin's (it reads {@code Sources}; a scoped dashboard, told it may not,
     *     asks {@code NewestRun} instead)
     * @param tenantFilters the tenant filters it goes through (null: none)
     * @param ratePerSecond requests a second
     * @param defaultEnd the server's default window end
     * @param defaultHours the server's default window length
     * @param stats where its requests are recorded
     * @param soakStart {@link System#nanoTime} when the soak started
     * @param stopAt {@link System#nanoTime} when it stops
     */
    DashboardCaller(GraphQlHttp http, Map<String, String> operations, boolean admin, List<String> tenantFilters,
            double ratePerSecond, Instant defaultEnd, double defaultHours, CallerStats stats, long soakStart,
            long stopAt) {
        this.http = http;
        this.operations = Map.copyOf(operations);
        this.admin = admin;
        this.tenantFilters = new ArrayList<>(tenantFilters);
        this.intervalNanos = (long) (1e9 / ratePerSecond);
        this.defaultEnd = defaultEnd;
        this.defaultHours = defaultHours;
        this.stats = stats;
        this.soakStart = soakStart;
        this.stopAt = stopAt;
    }

    @Override
    public void run() {
        long due = System.nanoTime();
        String runId = null;
        List<String> order = new ArrayList<>(operations.keySet());
        order.sort(null);
        try {
            for (int cycle = 0; ; cycle++) {
                DashboardDocuments.View view = new DashboardDocuments.View(HOURS.get(cycle % HOURS.size()),
                        tenantFilters.get(cycle % tenantFilters.size()), STATUSES.get(cycle % STATUSES.size()), runId,
                        defaultEnd, defaultHours);
                for (String op : order) {
                    if ((op.equals("Sources") && !admin) || (op.equals("NewestRun") && admin)
                            || (op.equals("Run") && runId == null)) {
                        continue;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (due >= stopAt || System.nanoTime() >= stopAt) {
                        long missed = (stopAt - due) / intervalNanos;
                        if (missed > 0) {
                            // behind schedule: these were due before the end, and never sent
                            stats.error("due but not sent when the soak ended", missed);
                        }
                        return;
                    }
                    GraphQlHttp.Response r = http.call(stats, soakStart, due, "query " + operations.get(op),
                            DashboardDocuments.variables(op, view));
                    due += intervalNanos;
                    if (r != null && op.equals("Runs")) {
                        JsonNode edges = r.data().path("dagRuns").path("edges");
                        if (edges.size() > 0) {
                            runId = edges.get(cycle % edges.size()).path("node").path("id").asText();
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
