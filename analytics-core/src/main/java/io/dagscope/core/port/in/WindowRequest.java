package io.dagscope.core.port.in;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A window as a caller asks for it; the engine fills in the defaults (now, and {@code ORCH_PANEL_WINDOW_H} or 24
 * hours) and rounds to whole minutes.
 *
 * @param hours the length in hours, if given; must be positive
 * @param end the exclusive end, if given
 */
public record WindowRequest(OptionalDouble hours, Optional<Instant> end) {

    /** The default window. */
    public static final WindowRequest DEFAULT = new WindowRequest(OptionalDouble.empty(), Optional.empty());

    /**
     * Checks the request.
     *
     * @param hours the length in hours, if given; must be positive
     * @param end the exclusive end, if given
     * @throws IllegalArgumentException if {@code hours} is given and is not a positive, finite number
     */
    public WindowRequest {
        if (hours.isPresent() && (!(hours.getAsDouble() > 0) || Double.isInfinite(hours.getAsDouble()))) {
            throw new IllegalArgumentException("window hours must be a positive number, got " + hours.getAsDouble());
        }
    }

    /**
     * A window of a given length ending at a given instant.
     *
     * @param hours the length
     * @param end the end
     * @return the request
     */
    public static WindowRequest of(double hours, Instant end) {
        return new WindowRequest(OptionalDouble.of(hours), Optional.of(end));
    }
}
