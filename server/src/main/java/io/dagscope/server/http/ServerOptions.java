package io.dagscope.server.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP server listens and what it accepts.
 *
 * @param bind the address to listen on; {@code 127.0.0.1} unless the operator asks for more
 * @param port the port, 0 for any free one
 * @param corsOrigins the browser origins allowed to call the API from other sites; empty turns CORS off
 * @param maxBodyBytes the largest request body (and WebSocket message) accepted
 * @param maxQueryDepth the deepest nesting of fields a query may have
 * @param maxQueryComplexity the most fields a query may select (each selected field counts one, fragments expanded)
 * @param queryTimeout how long one execution may run before it is cancelled
 * @param accessLog whether every request is logged (server errors always are)
 * @param allowedHosts the host names, besides loopback names and IP literals, that requests may name in their
 *     {@code Host} header: {@code name}, {@code .suffix} (the name and every name under it) or {@code *} (any)
 * @param fairShare the cost and answer limits, and how executions are shared between callers
 * @param metrics what bounds the orchestration's metrics on {@code /metrics}
 */
public record ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
        int maxQueryComplexity, Duration queryTimeout, boolean accessLog, List<String> allowedHosts,
        FairShare fairShare, MetricsLimits metrics) {

    /** The default address: this machine only. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    /** The default depth limit; the deepest useful query of this schema is 5 deep. */
    public static final int DEFAULT_MAX_QUERY_DEPTH = 12;
    /** The default complexity limit: a full dashboard selects about 150 fields. */
    public static final int DEFAULT_MAX_QUERY_COMPLEXITY = 1000;
    /** The default execution timeout. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @throws IllegalArgumentException if a limit is not positive or the port is out of range
     */
    public ServerOptions {
        Objects.requireNonNull(bind, "bind");
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = allowedHosts.stream().map(AllowedHosts::normalize).toList();
        Objects.requireNonNull(metrics, "metrics");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxQueryDepth < 1 || maxQueryComplexity < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("the query timeout must be positive");
        }
        Objects.requireNonNull(fairShare, "fairShare");
    }

    /**
     * Options that answer loopback names and IP literals only, with the default cost limits and sharing.
     *
     * @param bind the address
     * @param port the port
     * @param corsOrigins the allowed origins
     * @param maxBodyBytes the body limit
     * @param maxQueryDepth the depth limit
     * @param maxQueryComplexity the complexity limit
     * @param queryTimeout the execution timeout
     * @param accessLog whether every request is logged
     */
    public ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
            int maxQueryComplexity, Duration queryTimeout, boolean accessLog) {
        this(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout, accessLog,
                List.of(), FairShare.defaults(), MetricsLimits.defaults());
    }

    /**
     * Options with the default limits of the orchestration's metrics.
     *
     * @param bind the address
     * @param port the port
     * @param corsOrigins the allowed origins
     * @param maxBodyBytes the body limit
     * @param maxQueryDepth the depth limit
     * @param maxQueryComplexity the complexity limit
     * @param queryTimeout the execution timeout
     * @param accessLog whether every request is logged
     * @param allowedHosts the host names answered besides loopback names and IP literals
     */
    public ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
            int maxQueryComplexity, Duration queryTimeout, boolean accessLog, List<String> allowedHosts) {
        this(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout, accessLog,
                allowedHosts, FairShare.defaults(), MetricsLimits.defaults());
    }

    /**
     * Options with the default limits of the orchestration's metrics.
     *
     * @param bind the address
     * @param port the port
     * @param corsOrigins the allowed origins
     * @param maxBodyBytes the body limit
     * @param maxQueryDepth the depth limit
     * @param maxQueryComplexity the complexity limit
     * @param queryTimeout the execution timeout
     * @param accessLog whether every request is logged
     * @param allowedHosts the host names answered besides loopback names and IP literals
     * @param fairShare the cost limits and how executions are shared
     */
    public ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
            int maxQueryComplexity, Duration queryTimeout, boolean accessLog, List<String> allowedHosts,
            FairShare fairShare) {
        this(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout, accessLog,
                allowedHosts, fairShare, MetricsLimits.defaults());
    }

    /**
     * Options with the default cost limits and sharing.
     *
     * @param bind the address
     * @param port the port
     * @param corsOrigins the allowed origins
     * @param maxBodyBytes the body limit
     * @param maxQueryDepth the depth limit
     * @param maxQueryComplexity the complexity limit
     * @param queryTimeout the execution timeout
     * @param accessLog whether every request is logged
     * @param allowedHosts the host names answered besides loopback names and IP literals
     * @param metrics what bounds the orchestration's metrics
     */
    public ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
            int maxQueryComplexity, Duration queryTimeout, boolean accessLog, List<String> allowedHosts,
            MetricsLimits metrics) {
        this(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout, accessLog,
                allowedHosts, FairShare.defaults(), metrics);
    }

    /**
     * Options without an access log.
     *
     * @param bind the address
     * @param port the port
     * @param corsOrigins the allowed origins
     * @param maxBodyBytes the body limit
     * @param maxQueryDepth the depth limit
     * @param maxQueryComplexity the complexity limit
     * @param queryTimeout the execution timeout
     */
    public ServerOptions(String bind, int port, List<String> corsOrigins, long maxBodyBytes, int maxQueryDepth,
            int maxQueryComplexity, Duration queryTimeout) {
        this(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout, false);
    }

    /**
     * @param on whether to log every request
     * @return these options with the access log on or off
     */
    public ServerOptions withAccessLog(boolean on) {
        return new ServerOptions(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity,
                queryTimeout, on, allowedHosts, fairShare, metrics);
    }

    /**
     * The defaults, on a given port.
     *
     * @param port the port, 0 for any free one
     * @return the options
     */
    public static ServerOptions defaults(int port) {
        return new ServerOptions(DEFAULT_BIND, port, List.of(), DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUERY_DEPTH,
                DEFAULT_MAX_QUERY_COMPLEXITY, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * @param origins the origins allowed by CORS
     * @return these options with those origins
     */
    public ServerOptions withCorsOrigins(List<String> origins) {
        return new ServerOptions(bind, port, origins, maxBodyBytes, maxQueryDepth, maxQueryComplexity, queryTimeout,
                accessLog, allowedHosts, fairShare, metrics);
    }

    /**
     * @param bytes the body limit
     * @param depth the depth limit
     * @param complexity the complexity limit
     * @param timeout the execution timeout
     * @return these options with those limits
     */
    public ServerOptions withLimits(long bytes, int depth, int complexity, Duration timeout) {
        return new ServerOptions(bind, port, corsOrigins, bytes, depth, complexity, timeout, accessLog, allowedHosts,
                fairShare, metrics);
    }

    /**
     * @param share the cost limits and how executions are shared
     * @return these options with them
     */
    public ServerOptions withFairShare(FairShare share) {
        return new ServerOptions(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity,
                queryTimeout, accessLog, allowedHosts, share, metrics);
    }

    /**
     * @param limits what bounds the orchestration's metrics
     * @return these options with those limits
     */
    public ServerOptions withMetrics(MetricsLimits limits) {
        return new ServerOptions(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity,
                queryTimeout, accessLog, allowedHosts, fairShare, limits);
    }

    /**
     * Checks a name given for {@link #allowedHosts()}.
     *
     * @param name a host name ({@code dagscope.example.com}), {@code .suffix} (the name and every name under it) or
     *     {@code *} (any name)
     * @return the name in lower case, without a trailing dot
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String allowedHost(String name) {
        return AllowedHosts.normalize(name);
    }

    /**
     * @param hosts the host names requests may name besides loopback names and IP literals
     * @return these options with those names
     */
    public ServerOptions withAllowedHosts(List<String> hosts) {
        return new ServerOptions(bind, port, corsOrigins, maxBodyBytes, maxQueryDepth, maxQueryComplexity,
                queryTimeout, accessLog, hosts, fairShare, metrics);
    }
}
