package io.dagscope.server.http;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /health} (and {@code /health/live}): the process can answer queries ({@link Liveness}: no fatal error, and
 * its execution pool runs a trivial query), 200 {@code UP}, else 503 {@code DOWN} with the reason: a supervisor should
 * restart it. {@code /health/ready}: that, and every source can read its location (200, else 503), with each source's
 * name, kind, health, error and events read for a caller who sees every tenant; other callers get the status alone.
 * Locations and option values are never shown, and errors pass through the {@link Redactor}.
 */
final class HealthRoutes {

    private final SourceStatusQuery sources;
    private final Access access;
    private final Redactor redactor;
    private final Liveness liveness;

    HealthRoutes(SourceStatusQuery sources, Access access, Redactor redactor, Liveness liveness) {
        this.sources = sources;
        this.access = access;
        this.redactor = redactor;
        this.liveness = liveness;
    }

    void live(Context ctx) {
        Optional<String> down = liveness.down();
        if (down.isPresent()) {
            json(ctx, 503, Map.of("status", "DOWN", "reason", down.get()));
        } else {
            json(ctx, 200, Map.of("status", "UP"));
        }
    }

    void ready(Context ctx) {
        Optional<String> down = liveness.down();
        List<SourceStatus> statuses = sources.sources();
        boolean ready = down.isEmpty() && statuses.stream().allMatch(SourceStatus::healthy);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        down.ifPresent(reason -> body.put("reason", reason));
        boolean details = access.optional(ctx).map(Caller::admin).orElse(false);
        if (details) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SourceStatus s : statuses) {
                Map<String, Object> source = new LinkedHashMap<>();
                source.put("name", redactor.redact(s.name()));
                source.put("kind", s.kind());
                source.put("healthy", s.healthy());
                source.put("error", s.error().map(redactor::redact).orElse(null));
                source.put("eventsRead", s.eventsRead());
                source.put("linesSkipped", s.linesSkipped());
                source.put("lastEventAt", s.lastEventAt().map(Object::toString).orElse(null));
                list.add(source);
            }
            body.put("sources", list);
        } else {
            body.put("details", "each source's status is shown to an admin token only");
        }
        json(ctx, ready ? 200 : 503, body);
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("application/json; charset=utf-8").result(GraphQlService.serialize(body));
    }
}
