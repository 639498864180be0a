package io.dagscope.spi;

import io.dagscope.core.event.EventBounds;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which event timestamps a source believes (docs/events.md, "Numbers and timestamps"): none before
 * {@link EventBounds#EARLIEST_MICROS} (2000-01-01), and none more than a skew ahead of now, where now is the host's
 * clock or, when it is later, the instant the user pinned as now ({@code --end}, so that old or generated logs can be
 * read as of their own time). A line stamped outside is skipped as {@link SkipReason#EARLY_TIMESTAMP} or
 * {@link SkipReason#FUTURE_TIMESTAMP}: one wrong clock must not move what "now" means for everyone else's events.
 * Late and out-of-order events are legitimate and accepted, however late.
 *
 * <p>Immutable and thread-safe; {@link #latestMicros()} reads the clock each time.
 */
public final class TimestampLimits {

    /** How far ahead of now a timestamp may be unless configured: a day, which covers any time zone mistake. */
    public static final Duration DEFAULT_SKEW = Duration.ofHours(24);

    private final Clock clock;
    private final Duration skew;
    private final long skewMicros;
    private final long pinnedMicros;

    private TimestampLimits(Clock clock, Duration skew, Optional<Instant> pinnedNow) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(skew, "skew");
        if (skew.isNegative()) {
            throw new IllegalArgumentException("the clock skew cannot be negative: " + skew);
        }
        // a skew past the last timestamp any event may have is as good as that one: no overflow then
        this.skewMicros = skew.getSeconds() >= EventBounds.LATEST_MICROS / Timestamps.MICROS_PER_SECOND
                ? EventBounds.LATEST_MICROS : skew.getSeconds() * Timestamps.MICROS_PER_SECOND + skew.getNano() / 1000;
        this.pinnedMicros = pinnedNow.map(Timestamps::toMicros).orElse(Long.MIN_VALUE);
    }

    /**
     * Limits with the default skew on a clock.
     *
     * @param clock the host's clock
     * @return the limits
     */
    public static TimestampLimits of(Clock clock) {
        return new TimestampLimits(clock, DEFAULT_SKEW, Optional.empty());
    }

    /**
     * Limits.
     *
     * @param clock the host's clock
     * @param skew how far ahead of now a timestamp may be; not negative
     * @param pinnedNow an instant the user gave as now ({@code --end}): when it is later than the clock, the limit
     *     counts from it
     * @return the limits
     * @throws IllegalArgumentException if the skew is negative
     */
    public static TimestampLimits of(Clock clock, Duration skew, Optional<Instant> pinnedNow) {
        return new TimestampLimits(clock, skew, pinnedNow);
    }

    /** @return how far ahead of now a timestamp may be */
    public Duration skew() {
        return skew;
    }

    /** @return the earliest timestamp believed, epoch microseconds (2000-01-01T00:00:00Z) */
    public long earliestMicros() {
        return EventBounds.EARLIEST_MICROS;
    }

    /**
     * The latest timestamp believed as of now: now plus the skew, and never past {@link EventBounds#LATEST_MICROS}.
     *
     * @return epoch microseconds
     */
    public long latestMicros() {
        long now = Math.max(Timestamps.toMicros(clock.instant()), pinnedMicros);
        return now > EventBounds.LATEST_MICROS - skewMicros ? EventBounds.LATEST_MICROS : now + skewMicros;
    }

    /**
     * Why a timestamp is not believed, if it is not.
     *
     * @param micros a timestamp, epoch microseconds
     * @return the reason to skip its line, or empty when it is believed
     */
    public Optional<SkipReason> check(long micros) {
        if (micros < earliestMicros()) {
            return Optional.of(SkipReason.EARLY_TIMESTAMP);
        }
        return micros > latestMicros() ? Optional.of(SkipReason.FUTURE_TIMESTAMP) : Optional.empty();
    }
}
