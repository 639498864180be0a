package io.dagscope.server.http;

import io.javalin.http.Context;

/** {@code GET /metrics}: the server's figures in the Prometheus text format; an admin token when auth is on. */
final class MetricsRoutes {

    private final ServerMetrics metrics;
    private final Access access;

    MetricsRoutes(ServerMetrics metrics, Access access) {
        this.metrics = metrics;
        this.access = access;
    }

    void metrics(Context ctx) {
        access.requireAdmin(ctx, "/metrics");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render());
    }
}
