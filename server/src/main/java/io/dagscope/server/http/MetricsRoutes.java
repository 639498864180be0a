package io.dagscope.server.http;

import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /metrics}: the server's figures in the Prometheus text format, or OpenMetrics when the scraper's
 * {@code Accept} header asks for it; an admin token when auth is on.
 */
final class MetricsRoutes {

    private final ServerMetrics metrics;
    private final Access access;

    MetricsRoutes(ServerMetrics metrics, Access access) {
        this.metrics = metrics;
        this.access = access;
    }

    void metrics(Context ctx) throws IOException {
        access.requireAdmin(ctx, "/metrics");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Vary", "Accept");
        ExpositionFormatWriter writer = metrics.writerFor(ctx.header("Accept"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        writer.write(out, metrics.scrape());
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }
}
