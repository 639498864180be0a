package io.dagscope.server.http;

import io.javalin.http.Context;
import java.util.Optional;

/** Who is calling over HTTP, from the {@code Authorization} header, and whose budgets a request is charged to. */
final class Access {

    private final Authenticator authenticator;
    private final boolean trustProxy;

    Access(Authenticator authenticator) {
        this(authenticator, false);
    }

    /**
     * @param authenticator who may call
     * @param trustProxy whether the client's address is the last one of {@code X-Forwarded-For}
     */
    Access(Authenticator authenticator, boolean trustProxy) {
        this.authenticator = authenticator;
        this.trustProxy = trustProxy;
    }

    /**
     * @param ctx the request
     * @param caller who it is from
     * @return whose budgets it is charged to: the token when authentication is on, else the client's address
     */
    String budgetKey(Context ctx, Caller caller) {
        return budgetKey(caller, ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
    }

    /**
     * @param caller who calls
     * @param socketAddress the address the connection comes from
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     * @return whose budgets the caller's requests are charged to, as messages name it: {@code token 'name'} when
     *     authentication is on, else {@code address A}: the socket's, or with {@code --trust-proxy} the last address
     *     of {@code X-Forwarded-For} (the one the proxy saw)
     */
    String budgetKey(Caller caller, String socketAddress, String forwardedFor) {
        if (authenticator.enabled()) {
            return "token '" + caller.name() + "'";
        }
        String address = socketAddress;
        if (trustProxy && forwardedFor != null) {
            String[] hops = forwardedFor.split(",");
            String last = hops[hops.length - 1].strip();
            if (!last.isEmpty()) {
                address = last;
            }
        }
        return "address " + address;
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
