package io.dagscope.core.port.in;

import io.dagscope.core.model.RunCounts;
import java.time.Duration;

/** How many runs are running, paused, stale, succeeded and failed now. */
public interface RunCountsQuery {

    /** The default time after which an open run with no event is stale. */
    Duration DEFAULT_STALE_AFTER = Duration.ofHours(6);

    /**
     * The counts as of the engine's clock.
     *
     * @param staleAfter an open run with no event for longer than this is stale
     * @param scope the tenants the caller may see
     * @return the counts
     */
    RunCounts runCounts(Duration staleAfter, TenantScope scope);
}
