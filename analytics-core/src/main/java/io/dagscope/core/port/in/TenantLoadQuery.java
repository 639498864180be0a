package io.dagscope.core.port.in;

import io.dagscope.core.model.TenantLoad;
import java.util.List;

/** Each tenant's load in a window. */
public interface TenantLoadQuery {

    /**
     * Tenant load, ordered by runs descending, then tenant ascending; tenants with nothing in the window left out.
     *
     * @param window the window
     * @param scope the tenants the caller may see
     * @return one row per tenant
     */
    List<TenantLoad> tenantLoad(WindowRequest window, TenantScope scope);
}
