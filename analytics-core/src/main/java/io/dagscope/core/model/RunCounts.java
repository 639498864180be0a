package io.dagscope.core.model;

import java.time.Instant;

/**
 * How many runs are in each state now.
 *
 * @param asOf the instant "now" means
 * @param running runs running, with an event within the stale time
 * @param paused runs paused for approval, with an event within the stale time
 * @param stale runs running or paused with no event for longer than the stale time (crashed runners and rejected
 *     approvals leave runs open forever); counted neither as running nor as paused
 * @param succeeded runs that succeeded
 * @param failed runs that failed
 */
public record RunCounts(Instant asOf, long running, long paused, long stale, long succeeded, long failed) {
}
