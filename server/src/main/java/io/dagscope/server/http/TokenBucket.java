package io.dagscope.server.http;

/**
 * A caller's rate budget, in cost units: it holds at most {@code burst} and refills at {@code perSecond}, so that a
 * caller may spend {@code burst} at once and {@code perSecond} for ever. A query is let through when the bucket holds
 * its cost (or, for a query dearer than {@code burst}, when the bucket is full), and its cost is taken, which may leave
 * the bucket in debt. Not thread-safe: its owner locks.
 */
final class TokenBucket {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long updatedNanos;

    /**
     * @param perSecond the refill rate, cost units per second
     * @param burst the most the bucket holds
     * @param nowNanos the current time, in the clock's nanoseconds
     */
    TokenBucket(double perSecond, double burst, long nowNanos) {
        if (!(perSecond > 0) || !(burst > 0)) {
            throw new IllegalArgumentException("the rate and the burst must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    /**
     * Takes a query's cost if the bucket allows it.
     *
     * @param cost the query's cost
     * @param nowNanos the current time
     * @return 0 when taken; else the whole seconds (at least 1) after which the same query would be let through (for a
     *     cost of 0: after which the bucket is no longer spent)
     */
    long tryTake(long cost, long nowNanos) {
        refill(nowNanos);
        // a cost of 0 (a request not read yet) needs a bucket that is not spent
        double needed = Math.max(Math.min(cost, burst), Double.MIN_VALUE);
        if (tokens >= needed) {
            tokens -= cost;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((needed - tokens) / perSecond));
    }

    /**
     * Takes a cost whatever the bucket holds (it may go into debt).
     *
     * @param cost the cost
     * @param nowNanos the current time
     */
    void take(long cost, long nowNanos) {
        refill(nowNanos);
        tokens -= cost;
    }

    /**
     * @param nowNanos the current time
     * @return what the bucket holds now (negative while in debt)
     */
    double available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    /**
     * @param nowNanos the current time
     * @return whether it is full, i.e. the same as a new bucket
     */
    boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed / 1e9 * perSecond);
            updatedNanos = nowNanos;
        }
    }
}
