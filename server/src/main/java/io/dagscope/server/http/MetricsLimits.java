package io.dagscope.server.http;

import io.dagscope.server.config.ServerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What bounds the orchestration's metrics.
 *
 * @param maxSeries the most (tenant, DAG) series, and separately the most schedule series, on {@code /metrics};
 *     beyond it the rest are summed into one series labelled {@code other}
 * @param staleAfter an open run with no event for longer than this counts as stale, not running or paused
 */
public record MetricsLimits(int maxSeries, Duration staleAfter) {

    /** The default cap on series. */
    public static final int DEFAULT_MAX_SERIES = ServerSettings.DEFAULT_METRICS_MAX_SERIES;
    /** The most series the cap may allow. */
    public static final int MOST_SERIES = ServerSettings.MOST_METRICS_SERIES;

    /**
     * @throws IllegalArgumentException if the cap is below 1 or above {@value #MOST_SERIES}, or the stale time is not
     *     positive
     */
    public MetricsLimits {
        if (maxSeries < 1 || maxSeries > MOST_SERIES) {
            throw new IllegalArgumentException("the metrics series cap must be 1 to " + MOST_SERIES + ", got "
                    + maxSeries);
        }
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("the stale time must be positive");
        }
    }

    /** @return the defaults: {@value #DEFAULT_MAX_SERIES} series, runs stale after 6 hours without an event */
    public static MetricsLimits defaults() {
        return new MetricsLimits(DEFAULT_MAX_SERIES,
                io.dagscope.core.port.in.RunCountsQuery.DEFAULT_STALE_AFTER);
    }
}
