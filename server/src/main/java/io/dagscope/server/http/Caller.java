package io.dagscope.server.http;

import io.dagscope.core.port.in.TenantScope;
import java.util.Objects;

/**
 * Who made a request, as far as the server knows.
 *
 * @param name how logs name the caller: a token's {@code name}, its position in the token file, or
 *     {@code anonymous} when authentication is off; never the token
 * @param scope the tenants the caller may see
 */
public record Caller(String name, TenantScope scope) {

    /** The caller when authentication is off: sees every tenant. */
    public static final Caller ANONYMOUS = new Caller("anonymous", TenantScope.ALL);

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
    }

    /** @return whether the caller sees every tenant (an admin token, or authentication off) */
    public boolean admin() {
        return scope.isAll();
    }
}
