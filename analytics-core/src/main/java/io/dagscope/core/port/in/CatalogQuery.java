package io.dagscope.core.port.in;

import java.util.List;

/** The tenants and DAGs seen, for a caller's filters. */
public interface CatalogQuery {

    /**
     * @param scope the tenants the caller may see
     * @return the tenants that have runs or tasks, sorted
     */
    List<String> tenants(TenantScope scope);

    /**
     * @param scope the tenants the caller may see
     * @return the DAGs that have runs or tasks under those tenants, sorted
     */
    List<String> dagNames(TenantScope scope);
}
