package io.dagscope.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceFactoriesTest {

    /** A factory that remembers what it was asked to create. */
    public static class Memo implements EventSourceFactory {
        Map<String, String> options;
        SourceContext context;

        @Override
        public String name() {
            return "memo";
        }

        @Override
        public Set<String> aliases() {
            return Set.of("mem");
        }

        @Override
        public Set<String> optionNames() {
            return Set.of("size", "token");
        }

        @Override
        public Set<String> secretOptionNames() {
            return Set.of("token");
        }

        @Override
        public EventSource create(Map<String, String> options, SourceContext context) {
            this.options = options;
            this.context = context;
            return new EventSource() {
                @Override
                public String name() {
                    return context.name();
                }

                @Override
                public long poll(EventSink sink) {
                    return 0;
                }

                @Override
                public SourceStatus status() {
                    return new SourceStatistics(context.name(), "memo", context.target()).snapshot();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Another class claiming the same name. */
    public static class Impostor extends Memo {
    }

    private static SourceContext context() {
        return new SourceContext("events", "", false, SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());
    }

    @Test
    void aFactoryIsFoundByNameOrAliasAndCreatesFromAMapOfOptions() {
        Memo memo = new Memo();
        SourceFactories f = SourceFactories.of(List.of(memo));
        assertSame(memo, f.forScheme("MEM"));
        EventSource s = f.create(SourceLocation.parse("memo://target/x?size=3"), Map.of("token", "t0k"), context());
        assertEquals("events", s.name());
        assertEquals(Map.of("size", "3", "token", "t0k"), memo.options);
        assertEquals("target/x", memo.context.target());
    }

    @Test
    void theFactoryGetsTheHostsTimestampLimits() {
        Memo memo = new Memo();
        TimestampLimits limits = TimestampLimits.of(Clock.systemUTC(), java.time.Duration.ofHours(3),
                java.util.Optional.empty());
        SourceFactories.of(List.of(memo)).create(SourceLocation.parse("memo://x"), Map.of(), new SourceContext(
                "events", "", false, SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC(), limits));
        assertSame(limits, memo.context.timestamps());
    }

    @Test
    void anUnknownSchemeIsAnErrorThatListsTheAvailableOnes() {
        SourceFactories f = SourceFactories.of(List.of(new Memo()));
        String message = assertThrows(SourceConfigurationException.class, () -> f.forScheme("ftp")).getMessage();
        assertTrue(message.contains("'ftp'") && message.contains("mem, memo"), message);
    }

    @Test
    void anUnknownOptionIsAnErrorThatListsTheFactorysOptions() {
        SourceFactories f = SourceFactories.of(List.of(new Memo()));
        String message = assertThrows(SourceConfigurationException.class,
                () -> f.create(SourceLocation.parse("memo://x?colour=red"), Map.of(), context())).getMessage();
        assertTrue(message.contains("'colour'") && message.contains("size, token"), message);
    }

    @Test
    void twoClassesWithOneNameClashButTheSameClassTwiceDoesNot() {
        SourceFactories f = SourceFactories.of(List.of(new Memo(), new Memo()));
        assertEquals(1, f.all().size());
        List<EventSourceFactory> registered = new ArrayList<>();
        f.addAll(List.of(new Memo()), registered::add);
        assertTrue(registered.isEmpty(), "the same class found again registers nothing new");
        String message = assertThrows(SourceConfigurationException.class,
                () -> SourceFactories.of(List.of(new Memo(), new Impostor()))).getMessage();
        assertTrue(message.contains(Memo.class.getName()) && message.contains(Impostor.class.getName()), message);
    }

    @Test
    void factoriesAreDiscoveredWithTheServiceLoader() {
        SourceFactories f = SourceFactories.discover(getClass().getClassLoader());
        assertTrue(f.schemes().contains("memo"), "registered in the test's META-INF/services: " + f.schemes());
    }

    @Test
    void statisticsCountEventsSkipsAndHealth() {
        SourceStatistics stats = new SourceStatistics("events", "jsonl", "x.jsonl");
        stats.eventRead(2_000_000);
        stats.eventRead(1_000_000);
        stats.eventIgnored(3_000_000);
        stats.lineSkipped(SkipReason.NOT_JSON);
        stats.lineSkipped(SkipReason.NOT_JSON);
        stats.lineSkipped(SkipReason.TOO_LONG);
        stats.unhealthy("gone");
        SourceStatus s = stats.snapshot();
        assertEquals(3, s.eventsRead());
        assertEquals(1, s.ignored());
        assertEquals(3, s.linesSkipped());
        assertEquals(Map.of("not_json", 2L, "too_long", 1L), s.skippedByReason());
        assertEquals(1, s.firstEventAt().orElseThrow().getEpochSecond());
        assertEquals(3, s.lastEventAt().orElseThrow().getEpochSecond());
        assertEquals(false, s.healthy());
        stats.healthy();
        assertTrue(stats.snapshot().healthy());
    }
}
