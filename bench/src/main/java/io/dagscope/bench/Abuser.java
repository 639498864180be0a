package io.dagscope.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A caller with a valid token who asks for as much as the limits let a document ask: several threads, each sending
 * expensive documents back to back, flat out, whatever the server answers (its rate budget refuses most of them with
 * 429). Each document stays under the default field limit (1,000), depth (12) and estimated cost (1,000,000; see
 * docs/security.md), and each request moves its window's end by a random number of minutes, so no answer comes from
 * the server's cache: long series of sketches merged per bucket, 1,400 runs with their tasks, failures and summaries
 * over every tenant and long windows.
 */
final class Abuser implements Runnable {

    /**
     * Series in one document, windows of 1 to 40 days: 12 fields each, so 483 fields (the default limit: 1,000); with
     * buckets of {@value #SERIES_BUCKET_MINUTES} minutes, 6,560 buckets, an estimated cost of about 730,000.
     */
    static final int MAX_SERIES = 40;
    /** The series' bucket: 60 minutes would make 19,680 buckets, an estimated cost over twice the limit. */
    static final int SERIES_BUCKET_MINUTES = 180;
    /**
     * Runs a page, of the 4 pages (each with a status filter of its own) in one document: a run with every field,
     * its tasks and their retries costs about 600, so the document about 840,000.
     */
    static final int RUNS_PER_PAGE = 350;
    /** Blocks of failures, summary and run counts in one document, windows of 1 to 30 days: 771 fields in all. */
    static final int MAX_WIDE = 30;
    /** Failures a block: 48 a failure, so about 720,000 for the 30 blocks. */
    static final int FAILURES_PER_BLOCK = 500;
    /** How long the preflight waits, in all, for the abuser's rate budget to take its documents. */
    private static final long PREFLIGHT_WAIT_SECONDS = 120;

    private final GraphQlHttp http;
    private final Map<String, String> documents;
    private final Instant defaultEnd;
    private final CallerStats stats;
    private final long soakStart;
    private final long stopAt;
    private final SplittableRandom random;

    /**
     * @param http its connection, with its token
     * @param documents the documents ({@link #documents})
     * @param defaultEnd the server's default window end
     * @param stats where its requests are recorded
     * @param soakStart {@link System#nanoTime} when the soak started
     * @param stopAt {@link System#nanoTime} when it stops
     * @param seed this thread's random seed
     */
    Abuser(GraphQlHttp http, Map<String, String> documents, Instant defaultEnd, CallerStats stats, long soakStart,
            long stopAt, long seed) {
        this.http = http;
        this.documents = Map.copyOf(documents);
        this.defaultEnd = defaultEnd;
        this.stats = stats;
        this.soakStart = soakStart;
        this.stopAt = stopAt;
        this.random = new SplittableRandom(seed);
    }

    /**
     * The expensive documents.
     *
     * @param tenants the tenants (the aliases take them in turn, and every tenant at once)
     * @return name to text; every one takes {@code $end: DateTime} and {@code $hours: Float}
     */
    static Map<String, String> documents(List<String> tenants) {
        Map<String, String> d = new LinkedHashMap<>();
        List<String> scopes = withNull(tenants);
        StringBuilder series = new StringBuilder("query AbuseSeries($end: DateTime, $hours: Float) {\n");
        for (int i = 0; i < MAX_SERIES; i++) {
            series.append(String.format("  s%d: taskSeries(window: {hours: %d, end: $end}, bucketMinutes: %d%s) {"
                    + " buckets { start end runsStarted stats { succeeded failed retried errorRate p50DurationSeconds "
                    + "p95DurationSeconds } } }%n", i, 24 * (i + 1), SERIES_BUCKET_MINUTES,
                    tenantArgument(scopes.get(i % scopes.size()))));
        }
        series.append("  w: windowOf(window: {hours: $hours, end: $end}) { start end }\n");
        d.put("AbuseSeries", series.append("}\n").toString());

        StringBuilder runs = new StringBuilder("query AbuseRuns($end: DateTime, $hours: Float) {\n");
        String[] statuses = {"", ", statuses: [FAILED]", ", statuses: [SUCCEEDED]", ", statuses: [RUNNING, PAUSED]"};
        for (int i = 0; i < statuses.length; i++) {
            runs.append(String.format("  r%d: dagRuns(first: %d, filter: {startedBefore: $end%s}) { totalCount edges {"
                    + " cursor node { id dagName tenant status startedAt endedAt durationSeconds taskCount lastEventAt "
                    + "inferred tasksSucceeded tasksFailed tasksRetried error tasks { taskId status startedAt endedAt "
                    + "durationSeconds attempts error checkpoint retries { at attempt error } } } } }%n", i,
                    RUNS_PER_PAGE, statuses[i]));
        }
        runs.append("  w: windowOf(window: {hours: $hours, end: $end}) { start end }\n");
        d.put("AbuseRuns", runs.append("}\n").toString());

        StringBuilder wide = new StringBuilder("query AbuseWide($end: DateTime, $hours: Float) {\n");
        for (int i = 0; i < MAX_WIDE; i++) {
            String tenant = tenantArgument(scopes.get(i % scopes.size()));
            int hours = 24 * (i + 1);
            wide.append(String.format("  f%d: failures(window: {hours: %d, end: $end}, first: %d%s) { signature "
                    + "exampleError count firstSeen lastSeen dags tenants exampleRunId exampleTaskId }%n", i, hours,
                    FAILURES_PER_BLOCK, tenant));
            wide.append(String.format("  t%d: taskSummary(window: {hours: %d, end: $end}%s) { allTime { "
                    + "p50DurationSeconds p99DurationSeconds } window { started succeeded failed "
                    + "p50DurationSeconds p95DurationSeconds p99DurationSeconds } }%n", i, hours, tenant));
            wide.append(String.format("  c%d: runCounts(staleAfterHours: %d%s) { running paused stale }%n", i, i + 1,
                    tenant));
        }
        wide.append("  l: tenantLoad(window: {hours: $hours, end: $end}) { tenant runs tasks errorRate "
                + "avgLatencySeconds p95LatencySeconds }\n");
        wide.append("  sc: schedules(window: {hours: $hours, end: $end}) { id missedRuns nextRunAt enqueued started "
                + "finished succeeded failed avgDurationSeconds recentOutcomes { at status durationSeconds } }\n");
        d.put("AbuseWide", wide.append("}\n").toString());
        return d;
    }

    private static List<String> withNull(List<String> tenants) {
        List<String> l = new ArrayList<>();
        l.add(null);
        l.addAll(tenants);
        return l;
    }

    private static String tenantArgument(String tenant) {
        return tenant == null ? "" : ", tenant: \"" + tenant + "\"";
    }

    /**
     * Variables that make each request's answer a new one: the window ends up to two days before the server's
     * default end, on a random minute, and lasts 24 to 1,000 hours.
     */
    Map<String, Object> variables() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("end", defaultEnd.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(random.nextInt(2880)))
                .toString());
        v.put("hours", (double) (24 + random.nextInt(977)));
        return v;
    }

    /**
     * Sends each document once and checks the server takes it: the soak's abuse must be documents the limits let
     * through (a rate budget that is spent for now is waited for, as {@code Retry-After} says), else it measures
     * only refusals.
     *
     * @throws IOException naming the document and the answer when one is refused
     * @throws InterruptedException if interrupted
     */
    void preflight() throws IOException, InterruptedException {
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(PREFLIGHT_WAIT_SECONDS);
        for (Map.Entry<String, String> doc : documents.entrySet()) {
            GraphQlHttp.Response r = http.post(doc.getValue(), variables());
            while (r.status() == 429 && System.nanoTime() < waitUntil) {
                long retry = r.json() == null ? 1 : r.json().path("errors").path(0).path("extensions")
                        .path("retryAfterSeconds").asLong(1);
                Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, retry)));
                r = http.post(doc.getValue(), variables());
            }
            if (r.status() != 200 || r.errorKinds().stream().anyMatch(k -> !k.equals("GraphQL TIMEOUT"))) {
                throw new IOException("the abuser's document " + doc.getKey() + " is refused (" + r.status() + " "
                        + r.errorKinds() + "): " + (r.json() == null ? "" : r.json().path("errors")));
            }
        }
    }

    @Override
    public void run() {
        List<String> names = List.copyOf(documents.keySet());
        try {
            for (int i = random.nextInt(names.size()); System.nanoTime() < stopAt; i++) {
                http.call(stats, soakStart, System.nanoTime(), documents.get(names.get(i % names.size())),
                        variables());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
