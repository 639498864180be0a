package io.dagscope.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one caller of the soak saw: each request's latency (kept whole, for exact nearest-rank percentiles) and when it
 * was due, its outcomes by status, and its errors by kind. Safe to use from several threads.
 */
final class CallerStats {

    private final String caller;
    private long[] dueNanos = new long[1024];
    private long[] latencyNanos = new long[1024];
    private int count;
    private final Map<String, Long> statuses = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();

    /** @param caller how the report names the caller */
    CallerStats(String caller) {
        this.caller = caller;
    }

    String caller() {
        return caller;
    }

    /**
     * Records one request.
     *
     * @param dueAt when it was due, in nanoseconds since the soak started
     * @param nanos from then to its answer (or its failure)
     * @param status its outcome: an HTTP status, or what happened instead ({@code timeout}, {@code refused}, ...)
     */
    synchronized void record(long dueAt, long nanos, String status) {
        if (count == latencyNanos.length) {
            dueNanos = Arrays.copyOf(dueNanos, count * 2);
            latencyNanos = Arrays.copyOf(latencyNanos, count * 2);
        }
        dueNanos[count] = dueAt;
        latencyNanos[count] = nanos;
        count++;
        statuses.merge(status, 1L, Long::sum);
    }

    /** Counts an error of a kind ({@code HTTP 503}, {@code GraphQL TIMEOUT}, {@code client timeout}, ...). */
    void error(String kind) {
        error(kind, 1);
    }

    /** Counts errors of a kind. */
    synchronized void error(String kind, long count) {
        errors.merge(kind, count, Long::sum);
    }

    /** @return every request so far */
    Summary summary() {
        return summary(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The requests due in a period.
     *
     * @param from the period's start, inclusive, in nanoseconds since the soak started
     * @param to its end, exclusive
     * @return their figures; the counts by status and kind are over every request
     */
    synchronized Summary summary(long from, long to) {
        return Summary.of(caller, latenciesMillis(from, to), statuses, errors);
    }

    /**
     * The latencies of the requests due in a period.
     *
     * @param from the period's start, inclusive, in nanoseconds since the soak started
     * @param to its end, exclusive
     * @return their latencies in milliseconds, in the order recorded
     */
    synchronized double[] latenciesMillis(long from, long to) {
        double[] millis = new double[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (dueNanos[i] >= from && dueNanos[i] < to) {
                millis[n++] = latencyNanos[i] / 1e6;
            }
        }
        return Arrays.copyOf(millis, n);
    }

    /**
     * One caller's figures.
     *
     * @param caller the caller
     * @param requests how many requests
     * @param p50Millis the median latency (nearest rank), NaN without requests
     * @param p99Millis the 99th percentile latency (nearest rank), NaN without requests
     * @param maxMillis the largest, NaN without requests
     * @param statuses requests by outcome
     * @param errors errors by kind
     */
    record Summary(String caller, long requests, double p50Millis, double p99Millis, double maxMillis,
            Map<String, Long> statuses, Map<String, Long> errors) {

        Summary {
            statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
            errors = Collections.unmodifiableMap(new TreeMap<>(errors));
        }

        static Summary of(String caller, double[] millis, Map<String, Long> statuses, Map<String, Long> errors) {
            if (millis.length == 0) {
                return new Summary(caller, 0, Double.NaN, Double.NaN, Double.NaN, statuses, errors);
            }
            return new Summary(caller, millis.length, StateBench.percentile(millis, 0.5),
                    StateBench.percentile(millis, 0.99), StateBench.percentile(millis, 1.0), statuses, errors);
        }
    }
}
