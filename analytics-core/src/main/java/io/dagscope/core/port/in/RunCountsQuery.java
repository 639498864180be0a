package io.dagscope.core.port.in;

import io.dagscope.core.model.RunCounts;
import java.time.Duration;
import java.util.Optional;

/** How many runs are running, paused, stale, succeeded and failed now. */
public interface RunCountsQuery {

    /** The default time after which an open run with no event is stale. */
    Duration DEFAULT_STALE_AFTER = Duration.ofHours(6);

    /**
     * The counts as of the engine's clock, over every run the caller may see.
     *
     * @param staleAfter an open run with no event for longer than this is stale
     * @param scope the tenants the caller may see
     * @return the counts
     */
    default RunCounts runCounts(Duration staleAfter, TenantScope scope) {
        return runCounts(staleAfter, Optional.empty(), Optional.empty(), scope);
    }

    /**
     * The counts as of the engine's clock, over the runs of one tenant and/or one DAG.
     *
     * @param staleAfter an open run with no event for longer than this is stale
     * @param tenant only this tenant's runs, when present
     * @param dagName only this DAG's runs, when present
     * @param scope the tenants the caller may see
     * @return the counts
     */
    RunCounts runCounts(Duration staleAfter, Optional<String> tenant, Optional<String> dagName, TenantScope scope);
}
