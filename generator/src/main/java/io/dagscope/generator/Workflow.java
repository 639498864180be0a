package io.dagscope.generator;

/**
 * A workflow a task runs ({@code workflow_ref}): how long it takes and how often it fails.
 *
 * @param ref the {@code workflow_ref}
 * @param category what it talks to
 * @param medianSeconds the median of its log-normal duration
 * @param sigma the log-space standard deviation of its duration (about 1: a heavy tail)
 * @param failProbability the chance that an attempt fails outside incidents (0.5 to 6 %)
 */
record Workflow(String ref, Category category, double medianSeconds, double sigma, double failProbability) {

    /** The chance that an attempt fails while an incident hits its category. */
    static final double INCIDENT_FAIL_PROBABILITY = 0.45;

    /** Shortest and longest successful attempt, in seconds. */
    static final double MIN_SECONDS = 0.5;
    static final double MAX_SECONDS = 90;

    /**
     * @param slow how much an incident slows it (1 when none)
     * @return a successful attempt's duration: log-normal, within 0.5 to 90 s
     */
    long durationMicros(Rng rng, double slow) {
        double seconds = rng.logNormal(medianSeconds * slow, sigma);
        for (int i = 0; i < 4 && (seconds < MIN_SECONDS || seconds > MAX_SECONDS); i++) {
            seconds = rng.logNormal(medianSeconds * slow, sigma);
        }
        seconds = Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, seconds));
        long micros = Math.round(seconds * 1e6) + rng.nextInt(1000);
        return Math.max(500_001L, Math.min(90_000_000L, micros));
    }
}
