package io.dagscope.core.engine;

import io.dagscope.core.port.in.TenantScope;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The engine's two vocabularies, tenants and DAG names, numbered so that aggregates key on ints; and the keys of the
 * (tenant, DAG) series built from those numbers, with the selections a query makes of them.
 */
final class Dictionaries {

    /** The tenant of task events that belong to no run: counted overall and per DAG, in no tenant's figures. */
    static final int NO_TENANT = -1;

    final Dictionary tenants = new Dictionary();
    final Dictionary dags = new Dictionary();

    static long seriesKey(int tenant, int dag) {
        return ((long) (tenant + 1) << 32) | (dag & 0xffffffffL);
    }

    static int tenantOfKey(long key) {
        return (int) (key >>> 32) - 1;
    }

    static int dagOfKey(long key) {
        return (int) key;
    }

    /** Numbers the names of another dictionary here too; returns the other's ids mapped to this one's. */
    static int[] absorb(Dictionary into, Dictionary from) {
        int[] ids = new int[from.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = into.id(from.name(i));
        }
        return ids;
    }

    /** Writes both vocabularies in id order, for a snapshot. */
    void write(StateOutput out) throws IOException {
        for (Dictionary d : new Dictionary[] {tenants, dags}) {
            out.unsigned(d.size());
            for (int i = 0; i < d.size(); i++) {
                out.string(d.name(i));
            }
        }
    }

    /** Reads into these empty dictionaries what {@link #write} wrote: every name gets its id again. */
    void read(StateInput in) throws IOException {
        for (Dictionary d : new Dictionary[] {tenants, dags}) {
            int n = in.count(Integer.MAX_VALUE, "names");
            for (int i = 0; i < n; i++) {
                String name = in.string();
                if (name == null || d.id(name) != i) {
                    throw StateInput.corrupt("name '" + name + "' twice, or missing");
                }
            }
        }
    }

    /** The id of a run's tenant, remembered while the tenant's name stays the same string. */
    int tenantId(Run run) {
        String name = run.tenant();
        if (name != run.tenantName) {
            run.tenantName = name;
            run.tenantId = tenants.id(name);
        }
        return run.tenantId;
    }

    /** Whether a caller of this scope sees a tenant's figures (nobody's but an unscoped caller's: no tenant's). */
    boolean visible(int tenant, TenantScope scope) {
        if (scope.isAll()) {
            return true;
        }
        return tenant != NO_TENANT && scope.allows(tenants.name(tenant));
    }

    /**
     * The keys of the (tenant, DAG) series a request covers: the tenant and DAG filters and the caller's scope. An
     * unknown tenant or DAG, or a tenant outside the scope, covers nothing.
     */
    LongPredicate selection(Optional<String> tenant, Optional<String> dagName, TenantScope scope) {
        int tenantFilter = -2;
        if (tenant.isPresent()) {
            tenantFilter = scope.allows(tenant.get()) ? tenants.find(tenant.get()) : -1;
            if (tenantFilter == -1) {
                return key -> false;
            }
        }
        int dagFilter = dagName.isPresent() ? dags.find(dagName.get()) : -2;
        if (dagFilter == -1) {
            return key -> false;
        }
        final int tf = tenantFilter;
        return key -> (tf == -2 || tenantOfKey(key) == tf) && visible(tenantOfKey(key), scope)
                && (dagFilter == -2 || dagOfKey(key) == dagFilter);
    }
}
