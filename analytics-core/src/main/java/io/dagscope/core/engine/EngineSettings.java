package io.dagscope.core.engine;

import java.time.Duration;

/**
 * How the engine behaves.
 *
 * @param defaultWindowHours the window length when a query gives none ({@code ORCH_PANEL_WINDOW_H}, else 24)
 * @param retainRunsFor run detail younger than this (by start, relative to the newest event, or to now when the newest
 *     event is later) is always kept
 * @param retainRuns at least this many of the newest runs are always kept in detail
 */
public record EngineSettings(double defaultWindowHours, Duration retainRunsFor, int retainRuns) {

    /** The defaults: a 24-hour window, and run detail kept for at least 7 days or 100,000 runs. */
    public static final EngineSettings DEFAULTS = new EngineSettings(24, Duration.ofDays(7), 100_000);

    public EngineSettings {
        if (!(defaultWindowHours > 0) || Double.isInfinite(defaultWindowHours)) {
            throw new IllegalArgumentException("the default window must be a positive number of hours");
        }
        if (retainRunsFor.isNegative()) {
            throw new IllegalArgumentException("run retention cannot be negative");
        }
        if (retainRuns < 0) {
            throw new IllegalArgumentException("the number of runs retained cannot be negative");
        }
    }

    /**
     * These settings with another default window.
     *
     * @param hours the default window length in hours
     * @return the new settings
     */
    public EngineSettings withDefaultWindowHours(double hours) {
        return new EngineSettings(hours, retainRunsFor, retainRuns);
    }

    /**
     * These settings with another retention.
     *
     * @param age run detail younger than this is kept
     * @param runs this many newest runs are kept
     * @return the new settings
     */
    public EngineSettings withRetention(Duration age, int runs) {
        return new EngineSettings(defaultWindowHours, age, runs);
    }
}
