package io.dagscope.core.port.in;

import java.util.Optional;
import java.util.Set;

/**
 * Which tenants a caller may see. A scoped caller sees only its tenants' runs, tasks, schedules and totals, as if
 * the other tenants did not exist.
 *
 * @param tenants the tenants allowed, or empty for every tenant
 */
public record TenantScope(Optional<Set<String>> tenants) {

    /** Every tenant. */
    public static final TenantScope ALL = new TenantScope(Optional.empty());

    /**
     * A scope; the set of tenants is copied, so the record stays immutable.
     *
     * @param tenants the tenants allowed, or empty for every tenant
     */
    public TenantScope {
        tenants = tenants.map(Set::copyOf);
    }

    /**
     * A scope limited to some tenants.
     *
     * @param tenants the tenants
     * @return the scope
     */
    public static TenantScope of(Set<String> tenants) {
        return new TenantScope(Optional.of(tenants));
    }

    /** @return whether every tenant is visible */
    public boolean isAll() {
        return tenants.isEmpty();
    }

    /**
     * Whether a tenant is visible.
     *
     * @param tenant a tenant; null (events that belong to no run) is visible only to an unscoped caller
     * @return whether the caller may see it
     */
    public boolean allows(String tenant) {
        return tenants.isEmpty() || (tenant != null && tenants.get().contains(tenant));
    }
}
