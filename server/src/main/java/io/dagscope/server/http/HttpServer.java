package io.dagscope.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * dagscope's HTTP server: the dashboard on {@code /} (its assets under {@code /assets/}), GraphQL over HTTP and
 * WebSocket on {@code /graphql}, the explorer on {@code /graphiql}, {@code /health}, {@code /health/ready} and
 * {@code /metrics}. It takes everything it serves in its constructor and
 * registers each route as a method reference to the class that handles it; handlers do I/O only.
 */
public final class HttpServer implements AutoCloseable {

    /** Request attribute: the GraphQL operation's metrics label, for the request log. */
    static final String OPERATION_ATTRIBUTE = "dagscope.operation";
    /** Request attribute: the caller's name, for the request log. */
    static final String CALLER_ATTRIBUTE = "dagscope.caller";
    /** How often, at most, a subscription gets a new answer. */
    static final Duration SUBSCRIPTION_INTERVAL = Duration.ofSeconds(1);

    private static final Set<String> ROUTES = Set.of("/", "/graphql", "/graphiql", "/health", "/health/live",
            "/health/ready", "/metrics");

    private final ServerOptions options;
    private final ServerLog log;
    private final ServerMetrics metrics;
    private final GraphQlService service;
    private final SubscriptionHub hub;
    private final Cors cors;
    private final GraphQlRoutes graphql;
    private final SubscriptionSocket socket;
    private final HealthRoutes health;
    private final MetricsRoutes metricsRoutes;
    private final ExplorerRoutes explorer;
    private final DashboardRoutes dashboard;
    private final Javalin app;

    /**
     * Builds the server; {@link #start()} listens.
     *
     * @param options where to listen and the limits
     * @param backend what to serve
     * @param authenticator who may call (see {@link Authenticator#off()})
     * @param redactor masks secrets in health, metrics and logs
     * @param log the server's log (standard error)
     */
    public HttpServer(ServerOptions options, Backend backend, Authenticator authenticator, Redactor redactor,
            ServerLog log) {
        this(options, backend, authenticator, redactor, log, System::nanoTime, GraphQlService::threadCpuNanos);
    }

    /**
     * Builds the server with the clocks that callers' rate budgets are kept by (a test's own).
     *
     * @param options where to listen and the limits
     * @param backend what to serve
     * @param authenticator who may call
     * @param redactor masks secrets
     * @param log the server's log
     * @param nanoClock nanoseconds, as {@link System#nanoTime}
     * @param cpuClock the current thread's CPU time in nanoseconds, which executions are charged by
     */
    HttpServer(ServerOptions options, Backend backend, Authenticator authenticator, Redactor redactor, ServerLog log,
            java.util.function.LongSupplier nanoClock, java.util.function.LongSupplier cpuClock) {
        this.options = Objects.requireNonNull(options, "options");
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = new ServerMetrics(backend.sources(), backend.eventsIngested(), backend.engineStats(), redactor);
        DataVersion version = new DataVersion(backend.dataVersion(), backend.sources());
        this.service = new GraphQlService(backend.api(), version, backend.windows(), options, metrics, log, redactor,
                nanoClock, cpuClock);
        this.hub = new SubscriptionHub(service, version, backend.windows(), metrics, log, SUBSCRIPTION_INTERVAL);
        this.cors = new Cors(options.corsOrigins());
        Access access = new Access(authenticator, options.fairShare().trustProxy());
        this.graphql = new GraphQlRoutes(service, access, options.maxBodyBytes());
        this.socket = new SubscriptionSocket(service, hub, authenticator, access, metrics, log);
        this.health = new HealthRoutes(backend.sources(), access, redactor);
        this.metricsRoutes = new MetricsRoutes(metrics, access);
        this.explorer = new ExplorerRoutes();
        this.dashboard = new DashboardRoutes();
        this.app = Javalin.create(this::configure);
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = options.maxBodyBytes();
        config.jetty.modifyWebSocketServletFactory(factory -> {
            factory.setMaxTextMessageSize(options.maxBodyBytes());
            factory.setIdleTimeout(Duration.ofMinutes(5));
        });
        config.requestLogger.http(this::logRequest);
        if (cors.enabled()) {
            config.routes.before(cors::apply);
        }
        config.routes.post("/graphql", graphql::post);
        config.routes.get("/graphql", graphql::get);
        config.routes.wsBeforeUpgrade("/graphql", this::checkUpgrade);
        config.routes.ws("/graphql", ws -> {
            ws.onConnect(socket::onConnect);
            ws.onMessage(socket::onMessage);
            ws.onClose(socket::onClose);
            ws.onError(socket::onError);
        });
        config.routes.get("/", dashboard::page);
        config.routes.get("/assets/{version}/<path>", dashboard::asset);
        config.routes.get("/graphiql", explorer::page);
        config.routes.get("/graphiql/assets/{name}", explorer::asset);
        config.routes.get("/health", health::live);
        config.routes.get("/health/live", health::live);
        config.routes.get("/health/ready", health::ready);
        config.routes.get("/metrics", metricsRoutes::metrics);
        config.routes.exception(HttpProblem.class, this::problem);
        config.routes.exception(Exception.class, this::failure);
    }

    /**
     * Listens on the configured address and port.
     *
     * @return this
     */
    public HttpServer start() {
        app.start(options.bind(), options.port());
        log.info("serving on http://" + hostForUrl(options.bind()) + ":" + port() + " (dashboard on /, GraphQL on "
                + "/graphql, explorer on /graphiql, /health, /health/ready, /metrics)");
        return this;
    }

    /** @return the port it listens on (the real one when started on port 0) */
    public int port() {
        return app.port();
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private void checkUpgrade(Context ctx) {
        if (!cors.allowsWebSocket(ctx.header("Origin"), ctx.header("Host"))) {
            throw HttpProblem.forbidden("WebSocket connections from this origin are not allowed; list it with "
                    + "dagscope serve --cors-origin");
        }
    }

    private void problem(HttpProblem problem, Context ctx) {
        problem.headers().forEach(ctx::header);
        ctx.status(problem.status()).contentType("application/json; charset=utf-8").result(problem.body());
    }

    private void failure(Exception e, Context ctx) {
        String incident = UUID.randomUUID().toString();
        log.error(ctx.method() + " " + ctx.path() + " failed (incident " + incident + ")", e);
        problem(new HttpProblem(500, "INTERNAL_ERROR", "Internal error; the server's log has the details under "
                + "incident " + incident), ctx);
    }

    private void logRequest(Context ctx, Float millis) {
        String path = ctx.path();
        String route = ROUTES.contains(path) ? path : path.startsWith("/graphiql/assets/") ? "/graphiql/assets/{name}"
                : path.startsWith("/assets/") ? "/assets/{version}/{path}" : "other";
        metrics.response(route, ctx.statusCode());
        if (!options.accessLog() && ctx.statusCode() < 500) {
            return;
        }
        Object operation = ctx.attribute(OPERATION_ATTRIBUTE);
        Object caller = ctx.attribute(CALLER_ATTRIBUTE);
        log.info(ctx.method() + " " + (route.equals("other") ? "(unknown path)" : path) + " " + ctx.statusCode() + " "
                + String.format(Locale.ROOT, "%.1f ms", millis) + (operation == null ? "" : " operation=" + operation)
                + (caller == null ? "" : " caller=" + caller));
    }

    /** Stops listening, closes every WebSocket and ends the executions' threads. */
    @Override
    public void close() {
        app.stop();
        hub.close();
        service.close();
    }
}
