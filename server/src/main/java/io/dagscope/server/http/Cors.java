package io.dagscope.server.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for the origins the operator lists, and for no other: without {@code --cors-origin} no CORS
 * header is ever sent, so browsers keep other sites' pages from reading the API. Also decides which browser pages may
 * open a WebSocket, which CORS does not cover.
 */
final class Cors {

    private final Set<String> origins;

    /**
     * @param origins the allowed origins, e.g. {@code https://dash.example.com}
     */
    Cors(List<String> origins) {
        this.origins = origins.stream().map(Cors::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** @return whether any origin is allowed */
    boolean enabled() {
        return !origins.isEmpty();
    }

    /**
     * Adds the CORS headers to a response when the request comes from an allowed origin, and answers a preflight.
     *
     * @param ctx the request
     */
    void apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !allows(origin)) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        if (ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * Whether a browser page may open a WebSocket: a client that sends no {@code Origin} (not a browser) may; a page
     * from this server's own origin may; so may a listed origin. Any other site may not, since a WebSocket is not
     * subject to CORS and would otherwise let any page read a server on the reader's own machine.
     *
     * @param origin the {@code Origin} header, or null
     * @param host the {@code Host} header, or null
     * @return whether to accept the upgrade
     */
    boolean allowsWebSocket(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String o = normalize(origin);
        if (allows(o)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    /** Whether an origin is listed, or every origin is ({@code *}). */
    private boolean allows(String origin) {
        return origins.contains("*") || origins.contains(normalize(origin));
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
