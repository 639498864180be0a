package io.dagscope.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dagscope.core.event.EventBounds;
import io.dagscope.core.time.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimestampLimitsTest {

    private static final Instant NOW = Instant.parse("2025-10-22T14:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static long micros(String instant) {
        return Timestamps.toMicros(Instant.parse(instant));
    }

    @Test
    void believesFrom2000ToTheSkewAheadOfNowAndSaysWhyNotOtherwise() {
        TimestampLimits limits = TimestampLimits.of(CLOCK);
        assertEquals(TimestampLimits.DEFAULT_SKEW, limits.skew());
        assertEquals(Optional.empty(), limits.check(EventBounds.EARLIEST_MICROS));
        assertEquals(Optional.empty(), limits.check(micros("2025-10-23T14:00:00Z")));
        assertEquals(Optional.of(SkipReason.FUTURE_TIMESTAMP), limits.check(micros("2025-10-23T14:00:00.000001Z")));
        assertEquals(Optional.of(SkipReason.EARLY_TIMESTAMP), limits.check(EventBounds.EARLIEST_MICROS - 1));
        assertEquals(Optional.of(SkipReason.EARLY_TIMESTAMP), limits.check(Long.MIN_VALUE));
        assertEquals(Optional.of(SkipReason.FUTURE_TIMESTAMP), limits.check(Long.MAX_VALUE));
    }

    @Test
    void aPinnedNowCountsOnlyWhenItIsLaterThanTheClock() {
        assertEquals(micros("2031-01-01T01:00:00Z"), TimestampLimits.of(CLOCK, Duration.ofHours(1),
                Optional.of(Instant.parse("2031-01-01T00:00:00Z"))).latestMicros());
        assertEquals(micros("2025-10-22T15:00:00Z"), TimestampLimits.of(CLOCK, Duration.ofHours(1),
                Optional.of(Instant.parse("2025-01-01T00:00:00Z"))).latestMicros());
    }

    @Test
    void aHugeSkewStopsAtTheLastInstantAnEventMayHave() {
        assertEquals(EventBounds.LATEST_MICROS, TimestampLimits.of(CLOCK, Duration.ofDays(365L * 100_000),
                Optional.empty()).latestMicros());
        assertEquals(EventBounds.LATEST_MICROS, TimestampLimits.of(CLOCK, Duration.ofSeconds(Long.MAX_VALUE),
                Optional.of(Instant.parse("9999-12-31T00:00:00Z"))).latestMicros());
        assertEquals(micros("2025-10-22T14:00:00Z"), TimestampLimits.of(CLOCK, Duration.ZERO, Optional.empty())
                .latestMicros());
        assertThrows(IllegalArgumentException.class, () -> TimestampLimits.of(CLOCK, Duration.ofSeconds(-1),
                Optional.empty()));
    }

    @Test
    void aContextWithoutLimitsBelievesTheDefaultSkewOnItsClock() {
        SourceContext context = new SourceContext("s", "t", false, 10, CLOCK);
        assertEquals(micros("2025-10-23T14:00:00Z"), context.timestamps().latestMicros());
    }
}
