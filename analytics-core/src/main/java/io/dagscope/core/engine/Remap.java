package io.dagscope.core.engine;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * How the ids of an engine being merged in map to the ids of the engine it is merged into: its tenants, DAGs and
 * feeds, and, as the merge goes on, its runs (to the runs that hold them now) and the links its failures have to
 * them.
 */
final class Remap {

    private final int[] tenants;
    final int[] dags;
    final int[] feeds;
    /** The other engine's runs to this engine's runs holding them, or to null for a run that the merge dropped. */
    final Map<Run, Run> runs = new IdentityHashMap<>();
    /** The other engine's links of failures to runs, to this engine's. */
    final Map<Run.FailedRunRef, Run.FailedRunRef> failedRunRefs = new IdentityHashMap<>();

    Remap(int[] tenants, int[] dags, int[] feeds) {
        this.tenants = tenants;
        this.dags = dags;
        this.feeds = feeds;
    }

    /** @return this engine's id of the other's tenant {@code id}; {@link Dictionaries#NO_TENANT} stays so */
    int tenant(int id) {
        return id < 0 ? id : tenants[id];
    }

    int dag(int id) {
        return dags[id];
    }

    /** @return this engine's key of the other's (tenant, DAG) series key */
    long seriesKey(long key) {
        return Dictionaries.seriesKey(tenant(Dictionaries.tenantOfKey(key)), dag(Dictionaries.dagOfKey(key)));
    }
}
