package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Options check their values, and size, density and time range combine as documented. */
class GeneratorOptionsTest {

    private static final Instant NOW = Instant.parse("2025-10-22T13:45:59.123456Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void badValuesAreRefusedNamingTheOption() {
        GeneratorOptions.Builder b = GeneratorOptions.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tenants(0)).getMessage().startsWith("tenants"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.dags(501)).getMessage().startsWith("dags"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.ratePerMinute(0)).getMessage()
                .startsWith("rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.days(-1)).getMessage().startsWith("days"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.events(0)).getMessage().startsWith("events"));
        b.days(1);
        assertEquals("give days or events, not both", assertThrows(IllegalArgumentException.class,
                () -> b.events(10)).getMessage());
    }

    @Test
    void byDefaultTwoDaysEndNow() {
        LogGenerator g = LogGenerator.create(GeneratorOptions.defaults(), CLOCK);
        assertEquals(Optional.of(NOW), g.end());
        assertEquals(NOW.minusSeconds(2 * 86_400), g.start());
        assertEquals(GeneratorOptions.DEFAULT_RATE_PER_MINUTE, GeneratorOptions.defaults().effectiveRatePerMinute());
    }

    @Test
    void daysFromAStartEndDaysLater() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        LogGenerator g = LogGenerator.create(GeneratorOptions.builder().start(start).days(0.5).build(), CLOCK);
        assertEquals(start, g.start());
        assertEquals(Optional.of(Instant.parse("2025-01-01T12:00:00Z")), g.end());
    }

    @Test
    void aGivenRateWinsOverTheEventsDefault() {
        assertEquals(42, GeneratorOptions.builder().events(10_000_000).ratePerMinute(42).build()
                .effectiveRatePerMinute());
        assertEquals(GeneratorOptions.DEFAULT_RATE_PER_MINUTE, GeneratorOptions.builder().events(1000).build()
                .effectiveRatePerMinute(), "a few lines keep the default density");
    }

    @Test
    void formatsParseByLabel() {
        assertEquals(Optional.of(LogFormat.OLD), LogFormat.parse("old"));
        assertEquals(Optional.of(LogFormat.NEW), LogFormat.parse(" NEW "));
        assertEquals(Optional.empty(), LogFormat.parse("legacy"));
    }
}
