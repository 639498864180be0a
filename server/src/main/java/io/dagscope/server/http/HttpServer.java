package io.dagscope.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.servlet.JavalinWsServletContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** Open HTTP connections (WebSockets included) at most. */
    static final int MAX_CONNECTIONS = 1024;
    /** How long {@code /health} waits for the execution pool to run a trivial query. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(2);
    /** How often, at most, a subscription gets a new answer. */
    static final Duration SUBSCRIPTION_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Set<String> ROUTES = Set.of("/", "/graphql", "/graphiql", "/health", "/health/live",
            "/health/ready", "/metrics");

    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final GraphQlService service;
    private final SubscriptionHub hub;
    private final Cors cors;
    private final AllowedHosts hosts;
    private final GraphQlRoutes graphql;
    private final SubscriptionSocket socket;
    private final HealthRoutes health;
    private final Liveness liveness;
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
     */
    public HttpServer(ServerOptions options, Backend backend, Authenticator authenticator, Redactor redactor) {
        this(options, backend, authenticator, redactor, System::nanoTime, GraphQlService::threadCpuNanos);
    }

    /**
     * Builds the server with the clocks that callers' rate budgets are kept by (a test's own).
     *
     * @param options where to listen and the limits
     * @param backend what to serve
     * @param authenticator who may call
     * @param redactor masks secrets
     * @param nanoClock nanoseconds, as {@link System#nanoTime}
     * @param cpuClock the current thread's CPU time in nanoseconds, which executions are charged by
     */
    HttpServer(ServerOptions options, Backend backend, Authenticator authenticator, Redactor redactor,
            java.util.function.LongSupplier nanoClock, java.util.function.LongSupplier cpuClock) {
        this.options = Objects.requireNonNull(options, "options");
        this.metrics = new ServerMetrics(backend.sources(), backend.eventsIngested(), backend.engineStats(),
                backend.fleet(), options.metrics(), backend.snapshots(), redactor);
        DataVersion version = new DataVersion(backend.dataVersion(), backend.sources());
        this.service = new GraphQlService(backend.api(), version, backend.windows(), options, metrics, redactor,
                nanoClock, cpuClock);
        this.hub = new SubscriptionHub(service, version, backend.windows(), metrics, SUBSCRIPTION_INTERVAL);
        this.cors = new Cors(options.corsOrigins());
        this.hosts = new AllowedHosts(options.allowedHosts());
        Access access = new Access(authenticator, options.fairShare().trustProxy());
        this.graphql = new GraphQlRoutes(service, access, options.maxBodyBytes());
        this.socket = new SubscriptionSocket(service, hub, authenticator, access, metrics, options.accessLog());
        this.liveness = new Liveness(() -> service.probe(PROBE_DEADLINE));
        this.health = new HealthRoutes(backend.sources(), access, redactor, liveness);
        this.metricsRoutes = new MetricsRoutes(metrics, access);
        this.explorer = new ExplorerRoutes();
        this.dashboard = new DashboardRoutes();
        this.app = Javalin.create(this::configure);
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = options.maxBodyBytes();
        config.http.prefer405over404 = true;
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new ErrorPages.ForServer());
            // below the process's file descriptor limit, so that a flood of idle connections cannot keep the sources
            // from opening their files; beyond it, new connections wait to be accepted
            server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
            server.insertHandler(new HostCheck(hosts, this::refusedHost));
            server.insertHandler(new BaselineHeaders());
        });
        config.jetty.modifyServletContextHandler(context -> {
            context.setErrorHandler(new ErrorPages.ForContext());
            context.addFilter(new FilterHolder(new NoSessions()), "/*", EnumSet.allOf(DispatcherType.class));
            // never asked for a session now; should anything reach it, no cookie and no session that outlives a minute
            context.getSessionHandler().setUsingCookies(false);
            context.getSessionHandler().setMaxInactiveInterval(60);
        });
        config.jetty.modifyWebSocketServletFactory(factory -> {
            factory.setMaxTextMessageSize(options.maxBodyBytes());
            factory.setIdleTimeout(Duration.ofMinutes(5));
        });
        config.requestLogger.http(this::logRequest);
        config.router.javaLangErrorHandler(this::error);
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
        config.routes.exception(HttpResponseException.class, this::refused);
        config.routes.exception(Exception.class, this::failure);
    }

    /**
     * Listens on the configured address and port.
     *
     * @return this
     */
    public HttpServer start() {
        app.start(options.bind(), options.port());
        LOG.info("serving on http://" + hostForUrl(options.bind()) + ":" + port() + " (dashboard on /, GraphQL on "
                + "/graphql, explorer on /graphiql, /health, /health/ready, /metrics)");
        return this;
    }

    /** @return the port it listens on (the real one when started on port 0) */
    public int port() {
        return app.port();
    }

    /** @return how many connections are open */
    int connections() {
        return app.jettyServer().server().getBean(NetworkConnectionLimit.class).getNetworkConnectionCount();
    }

    /** @return how many tasks have ended on the execution threads, liveness probes included */
    long executionsCompleted() {
        return service.executionsCompleted();
    }

    /** @return how many WebSockets are open */
    int webSockets() {
        return socket.connectionCount();
    }

    /** @return the characters of WebSocket messages waiting to be written */
    long webSocketCharsWaiting() {
        return socket.waitingChars();
    }

    /**
     * Runs the liveness probe now, whenever it last ran (for tests: {@code /health} runs it at most once a second).
     *
     * @param deadline how long the trivial query may take
     * @return empty when executions run, else why they do not
     */
    Optional<String> probe(Duration deadline) {
        return service.probe(deadline);
    }

    /** @return how many HTTP sessions the server has ever created (for tests: it needs none) */
    long sessionsCreated() {
        return app.jettyServer().server().getContainedBeans(AbstractSessionManager.class).stream()
                .mapToLong(AbstractSessionManager::getSessionsCreated).sum();
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private void checkUpgrade(Context ctx) {
        if (!cors.allowsWebSocket(ctx.header("Origin"), ctx.header("Host"))) {
            throw HttpProblem.forbidden("WebSocket connections from this origin are not allowed; list it with "
                    + "dagscope serve --cors-origin");
        }
        if (!offersSubprotocol(ctx)) {
            throw new HttpProblem(400, "BAD_REQUEST", "A WebSocket on /graphql speaks the "
                    + SubscriptionSocket.PROTOCOL + " protocol only: offer it in the Sec-WebSocket-Protocol header");
        }
        if (socket.connectionCount() >= SubscriptionSocket.MAX_CONNECTIONS) {
            throw new HttpProblem(503, "BUSY", "The server holds " + SubscriptionSocket.MAX_CONNECTIONS
                    + " WebSockets, the most it keeps open; try again later", Map.of("Retry-After", "5"));
        }
        // Javalin answers with the first protocol offered, whatever it is
        ctx.header("Sec-WebSocket-Protocol", SubscriptionSocket.PROTOCOL);
    }

    /** Whether the client offers graphql-transport-ws among its subprotocols (names are case-sensitive). */
    private static boolean offersSubprotocol(Context ctx) {
        for (String header : Collections.list(ctx.req().getHeaders("Sec-WebSocket-Protocol"))) {
            for (String offered : header.split(",")) {
                if (offered.strip().equals(SubscriptionSocket.PROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void problem(HttpProblem problem, Context ctx) {
        problem.headers().forEach(ctx::header);
        ctx.status(problem.status()).contentType("application/json; charset=utf-8");
        if (ctx instanceof JavalinWsServletContext) { // a refused upgrade: Javalin writes no result for it
            try {
                ctx.res().getOutputStream().write(problem.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            ctx.result(problem.body());
        }
    }

    /** Javalin's own refusals (no such path, a method the path does not take), in the API's words. */
    private void refused(HttpResponseException e, Context ctx) {
        String allowed = e.getDetails().getOrDefault("availableMethods", e.getDetails().get("Available methods"));
        if (e.getStatus() == 405 && allowed != null) {
            ctx.header("Allow", allowed);
        }
        problem(HttpProblem.forStatus(e.getStatus()), ctx);
    }

    /** An {@link Error} thrown by a route: a 500; if the JVM may not recover from it, {@code /health} is down. */
    private void error(HttpServletResponse response, Error error) {
        String incident = UUID.randomUUID().toString();
        LOG.error("a request failed (incident " + incident + ")", error);
        if (Liveness.isFatal(error)) {
            liveness.fatal("a request failed", error);
        }
        HttpProblem problem = new HttpProblem(500, "INTERNAL_ERROR", "Internal error; the server's log has the "
                + "details under incident " + incident);
        if (!response.isCommitted()) {
            response.setStatus(500);
            response.setContentType("application/json; charset=utf-8");
            try {
                response.getOutputStream().write(problem.body());
            } catch (IOException | RuntimeException e) {
                // the client is gone or the response cannot be written: the log has the incident
            }
        }
    }

    /**
     * What to do with a throwable no one caught, which ended a thread: log it, and take {@code /health} down if it
     * is fatal or the thread was one of dagscope's (following the logs, answering subscriptions), which no longer
     * runs. For {@link Thread#setDefaultUncaughtExceptionHandler}, by {@code dagscope serve}.
     *
     * @return the handler
     */
    public Thread.UncaughtExceptionHandler uncaughtExceptions() {
        return (thread, error) -> {
            LOG.error("the thread " + thread.getName() + " stopped", error);
            if (Liveness.isFatal(error) || thread.getName().startsWith("dagscope-")) {
                liveness.fatal("the thread " + thread.getName() + " stopped", error);
            }
        };
    }

    private void failure(Exception e, Context ctx) {
        String incident = UUID.randomUUID().toString();
        String route = route(ctx.path());
        LOG.error(ctx.method() + " " + (route.equals("other") ? "(unknown path)" : route) + " failed (incident "
                + incident + ")", e);
        if (Liveness.isFatal(e)) {
            liveness.fatal("a request failed", e);
        }
        problem(new HttpProblem(500, "INTERNAL_ERROR", "Internal error; the server's log has the details under "
                + "incident " + incident), ctx);
    }

    private static String route(String path) {
        return ROUTES.contains(path) ? path : path.startsWith("/graphiql/assets/") ? "/graphiql/assets/{name}"
                : path.startsWith("/assets/") ? "/assets/{version}/{path}" : "other";
    }

    private void refusedHost(org.eclipse.jetty.server.Request request) {
        String route = route(request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath());
        metrics.response(route, HostCheck.STATUS);
        if (options.accessLog()) {
            LOG.info(request.getMethod() + " " + (route.equals("other") ? "(unknown path)" : route) + " "
                    + HostCheck.STATUS + " (a host this server does not answer for)");
        }
    }

    private void logRequest(Context ctx, Float millis) {
        String path = ctx.path();
        String route = route(path);
        metrics.response(route, ctx.statusCode());
        if (!options.accessLog() && ctx.statusCode() < 500) {
            return;
        }
        Object operation = ctx.attribute(OPERATION_ATTRIBUTE);
        Object caller = ctx.attribute(CALLER_ATTRIBUTE);
        LOG.info(ctx.method() + " " + (route.equals("other") ? "(unknown path)" : path) + " " + ctx.statusCode() + " "
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
