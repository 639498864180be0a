package io.dagscope.server.config;

import io.dagscope.server.logging.LogLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server} section of the config file, read by {@code dagscope serve}: where it listens, who may call it
 * and which browser origins may. Its flags override these values; these override the defaults.
 *
 * @param port the TCP port, 0 to 65535 (0: any free port); default {@value #DEFAULT_PORT}
 * @param bind the address to listen on; default {@value #DEFAULT_BIND} (this machine only)
 * @param auth the file of API tokens, if any (a relative path in the config file is resolved against its folder)
 * @param corsOrigins browser origins allowed to call the API ({@code https://host[:port]}, or {@code *}); none by
 *     default
 * @param allowedHosts host names requests may name besides loopback names and IP literals ({@code name},
 *     {@code .suffix} or {@code *}); none by default
 * @param limits the query cost, answer size and fair-sharing settings the file gives, by key
 *     ({@link #LIMIT_KEYS}); a key it leaves out is absent, for the flag or the default to fill in
 * @param trustProxy whether client addresses come from {@code X-Forwarded-For} ({@code trust_proxy}); empty when not
 *     given
 * @param metricsMaxSeries the most (tenant, DAG) series, and the most schedule series, on {@code /metrics}; default
 *     {@value #DEFAULT_METRICS_MAX_SERIES}
 * @param logLevel the most detailed lines dagscope logs ({@code log_level}); empty when not given
 */
public record ServerSettings(int port, String bind, Optional<Path> auth, List<String> corsOrigins,
        List<String> allowedHosts, Map<String, Long> limits, Optional<Boolean> trustProxy, int metricsMaxSeries,
        Optional<LogLevel> logLevel) {

    /**
     * The whole-number limits of the {@code server} section, each the same as the {@code serve} flag whose name is
     * the key with {@code -} for {@code _}, and the lowest and highest values allowed.
     */
    public static final Map<String, long[]> LIMIT_KEYS = Map.of(
            "max_query_cost", new long[] {1, Long.MAX_VALUE},
            "max_response_bytes", new long[] {1, 1L << 40},
            "query_threads", new long[] {1, 1024},
            "caller_concurrency", new long[] {1, 100_000},
            "caller_cost_per_second", new long[] {1, Long.MAX_VALUE},
            "caller_burst_cost", new long[] {1, Long.MAX_VALUE});

    /** The port when neither a flag nor the config file names one. */
    public static final int DEFAULT_PORT = 8080;
    /** The address when neither a flag nor the config file names one: loopback, so nothing is exposed by default. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** The cap on metrics series when neither a flag nor the config file gives one. */
    public static final int DEFAULT_METRICS_MAX_SERIES = 1000;
    /** The highest cap on metrics series that may be given. */
    public static final int MOST_METRICS_SERIES = 1_000_000;
    /** Every default. */
    public static final ServerSettings DEFAULTS = new ServerSettings(DEFAULT_PORT, DEFAULT_BIND, Optional.empty(),
            List.of(), List.of(), Map.of(), Optional.empty(), DEFAULT_METRICS_MAX_SERIES, Optional.empty());

    /**
     * Settings without host names allowed beyond loopback and IP literals, and without limits or
     * {@code trust_proxy}: the defaults (or the flags) decide them.
     *
     * @param port the port
     * @param bind the address
     * @param auth the token file
     * @param corsOrigins the browser origins
     */
    public ServerSettings(int port, String bind, Optional<Path> auth, List<String> corsOrigins) {
        this(port, bind, auth, corsOrigins, List.of(), Map.of(), Optional.empty(), DEFAULT_METRICS_MAX_SERIES,
                Optional.empty());
    }

    /**
     * Settings without limits or {@code trust_proxy}, with the default cap on metrics series.
     *
     * @param port the TCP port
     * @param bind the address to listen on
     * @param auth the file of API tokens, if any
     * @param corsOrigins browser origins allowed to call the API
     * @param allowedHosts host names requests may name besides loopback names and IP literals
     */
    public ServerSettings(int port, String bind, Optional<Path> auth, List<String> corsOrigins,
            List<String> allowedHosts) {
        this(port, bind, auth, corsOrigins, allowedHosts, Map.of(), Optional.empty(), DEFAULT_METRICS_MAX_SERIES,
                Optional.empty());
    }

    /**
     * Settings with the default cap on metrics series.
     *
     * @param port the TCP port
     * @param bind the address to listen on
     * @param auth the file of API tokens, if any
     * @param corsOrigins browser origins allowed to call the API
     * @param allowedHosts host names requests may name besides loopback names and IP literals
     * @param limits the query cost, answer size and fair-sharing settings the file gives, by key
     * @param trustProxy whether client addresses come from {@code X-Forwarded-For}; empty when not given
     */
    public ServerSettings(int port, String bind, Optional<Path> auth, List<String> corsOrigins,
            List<String> allowedHosts, Map<String, Long> limits, Optional<Boolean> trustProxy) {
        this(port, bind, auth, corsOrigins, allowedHosts, limits, trustProxy, DEFAULT_METRICS_MAX_SERIES,
                Optional.empty());
    }

    /**
     * Settings without a log level (the flag or the default decides it).
     *
     * @param port the TCP port
     * @param bind the address to listen on
     * @param auth the file of API tokens, if any
     * @param corsOrigins browser origins allowed to call the API
     * @param allowedHosts host names requests may name besides loopback names and IP literals
     * @param limits the query cost, answer size and fair-sharing settings the file gives, by key
     * @param trustProxy whether client addresses come from {@code X-Forwarded-For}; empty when not given
     * @param metricsMaxSeries the most (tenant, DAG) series, and the most schedule series, on {@code /metrics}
     */
    public ServerSettings(int port, String bind, Optional<Path> auth, List<String> corsOrigins,
            List<String> allowedHosts, Map<String, Long> limits, Optional<Boolean> trustProxy, int metricsMaxSeries) {
        this(port, bind, auth, corsOrigins, allowedHosts, limits, trustProxy, metricsMaxSeries, Optional.empty());
    }

    /**
     * @throws IllegalArgumentException if the port is out of range or the address is blank
     */
    public ServerSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, not " + port);
        }
        Objects.requireNonNull(bind, "bind");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind cannot be blank");
        }
        Objects.requireNonNull(auth, "auth");
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        limits = Map.copyOf(limits);
        Objects.requireNonNull(trustProxy, "trustProxy");
        Objects.requireNonNull(logLevel, "logLevel");
        if (metricsMaxSeries < 1 || metricsMaxSeries > MOST_METRICS_SERIES) {
            throw new IllegalArgumentException("metrics_max_series must be 1 to " + MOST_METRICS_SERIES
                    + ", not " + metricsMaxSeries);
        }
    }
}
