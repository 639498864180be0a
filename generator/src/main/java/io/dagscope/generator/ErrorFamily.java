package io.dagscope.generator;

import java.util.function.Function;

/**
 * One way a workflow fails: the text the runner logs ({@code str(e)}, no exception class), how long the failing
 * attempt takes, whether the immediate retry fails the same way, and whether it is what an outage looks like.
 *
 * @param category what fails this way
 * @param outage whether this is how the category fails during an incident
 * @param sticky whether a retry fails the same way ({@code KeyError}, 403, 409, context length)
 * @param timing how long a failing attempt takes
 * @param text the logged error, drawn with the run's random numbers
 */
record ErrorFamily(Category category, boolean outage, boolean sticky, Timing timing, Function<Rng, String> text) {

    /** How long a failing attempt runs before it raises. */
    enum Timing {
        /** Raises quickly: 0.03 to 5 s, median 0.6 s. */
        QUICK,
        /** A 30 s client timeout. */
        TIMEOUT_30,
        /** A 60 s client timeout. */
        TIMEOUT_60;

        long durationMicros(Rng rng) {
            return switch (this) {
                case QUICK -> Math.round(Math.min(5.0, Math.max(0.03, rng.logNormal(0.6, 1.0))) * 1e6);
                case TIMEOUT_30 -> rng.micros(30.0, 30.8);
                case TIMEOUT_60 -> rng.micros(60.0, 60.8);
            };
        }
    }
}
