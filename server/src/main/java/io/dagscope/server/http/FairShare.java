package io.dagscope.server.http;

/**
 * What one query may cost and how the server's execution threads are shared between callers. A caller is a token
 * (its {@code name}) when authentication is on, else a client address: the socket's, or with {@code trustProxy} the
 * last address of {@code X-Forwarded-For} (the one the reverse proxy in front of dagscope saw).
 *
 * @param maxQueryCost the largest estimated cost a query may have (see {@code QueryCost}); larger ones are refused
 *     before they run
 * @param maxResponseBytes the largest answer sent; a larger one is replaced by an error, and its execution stopped
 * @param threads how many executions run at once, over every caller
 * @param callerConcurrency the most executions one caller may have running or waiting at once
 * @param callerCostPerSecond the cost one caller may spend per second, on average (its rate budget's refill); each
 *     query is charged its estimate before it runs, and the CPU time of its execution in microseconds beyond that
 *     after
 * @param callerBurstCost the most cost one caller may spend at once (its rate budget's size)
 * @param trustProxy whether the client address is taken from {@code X-Forwarded-For} (only behind a proxy that sets
 *     it: a client could otherwise choose its address)
 */
public record FairShare(long maxQueryCost, long maxResponseBytes, int threads, int callerConcurrency,
        long callerCostPerSecond, long callerBurstCost, boolean trustProxy) {

    /**
     * The default cost limit: a page of 1000 runs with every field, their tasks and retries fits (about 600,000);
     * the dashboard's costliest document costs 6,840 (see docs/security.md). A cost unit is meant as about a
     * microsecond of CPU.
     */
    public static final long DEFAULT_MAX_QUERY_COST = 1_000_000;
    /** The default answer limit: 16 MiB, over ten times a page of 1000 runs with every field and their tasks. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L << 20;
    /** The default per-caller concurrency budget: a dashboard opens about 12 subscriptions at once. */
    public static final int DEFAULT_CALLER_CONCURRENCY = 16;
    /**
     * The default rate budget's refill: cost units per second per caller, about a fifth of a core's CPU time; a live
     * dashboard on a busy log takes about half of it (subscribers of the same documents share answers).
     */
    public static final long DEFAULT_CALLER_COST_PER_SECOND = 200_000;
    /** The default rate budget's size: a dashboard's first load several times over, or four of the dearest queries. */
    public static final long DEFAULT_CALLER_BURST_COST = 2_000_000;

    /**
     * @throws IllegalArgumentException if a limit is not positive
     */
    public FairShare {
        if (maxQueryCost < 1 || maxResponseBytes < 1 || threads < 1 || callerConcurrency < 1
                || callerCostPerSecond < 1 || callerBurstCost < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** @return the default execution threads: two per core, at least 4 */
    public static int defaultThreads() {
        return Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    }

    /** @return every default */
    public static FairShare defaults() {
        return new FairShare(DEFAULT_MAX_QUERY_COST, DEFAULT_MAX_RESPONSE_BYTES, defaultThreads(),
                DEFAULT_CALLER_CONCURRENCY, DEFAULT_CALLER_COST_PER_SECOND, DEFAULT_CALLER_BURST_COST, false);
    }
}
