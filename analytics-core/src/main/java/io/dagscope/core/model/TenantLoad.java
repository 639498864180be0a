package io.dagscope.core.model;

import java.util.OptionalDouble;

/**
 * A tenant's load in a window (METRICS.md, "Tenants").
 *
 * @param tenant the tenant
 * @param runs runs started in the window
 * @param tasks tasks finished in the window
 * @param errorRate failed / finished
 * @param avgLatencySeconds mean finished-task duration
 * @param p95LatencySeconds nearest-rank 95th percentile of finished-task durations
 */
public record TenantLoad(String tenant, long runs, long tasks, double errorRate, OptionalDouble avgLatencySeconds,
        OptionalDouble p95LatencySeconds) {
}
