package io.dagscope.server.http;

import io.javalin.http.Context;
import java.util.Optional;

/** Who is calling over HTTP, from the {@code Authorization} header. */
final class Access {

    private final Authenticator authenticator;

    Access(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * @param ctx the request
     * @return the caller
     * @throws HttpProblem 401 when authentication is on and the request carries no valid token
     */
    Caller require(Context ctx) {
        return optional(ctx).orElseThrow(HttpProblem::unauthenticated);
    }

    /**
     * @param ctx the request
     * @return the caller when authentication is off or the request carries a valid token; else empty
     */
    Optional<Caller> optional(Context ctx) {
        Optional<Caller> caller = authenticator.fromAuthorizationHeader(ctx.header("Authorization"));
        caller.ifPresent(c -> ctx.attribute(HttpServer.CALLER_ATTRIBUTE, c.name()));
        return caller;
    }

    /**
     * @param ctx the request
     * @param what the resource, for the message
     * @return the caller, who sees every tenant
     * @throws HttpProblem 401 without a valid token, 403 for a token limited to some tenants
     */
    Caller requireAdmin(Context ctx, String what) {
        Caller caller = require(ctx);
        if (!caller.admin()) {
            throw HttpProblem.forbidden(what + " needs an admin token: it covers every tenant, and this token may see "
                    + "only some");
        }
        return caller;
    }

    /** @return whether requests must carry a token */
    boolean enabled() {
        return authenticator.enabled();
    }
}
