package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlSourceFactoryTest {

    private static final String SAMPLE = "../fixtures/samples/legacy-27c/orchestrator_state.jsonl";

    private static SourceContext context(String target) {
        return new SourceContext("legacy-state", target, false, SourceContext.DEFAULT_MAX_LINE_BYTES,
                Clock.systemUTC());
    }

    @Test
    void isFoundByServiceLoaderUnderItsNameAndAlias() {
        assertTrue(ServiceLoader.load(EventSourceFactory.class).stream()
                .anyMatch(p -> p.type() == JsonlSourceFactory.class));
        SourceFactories factories = SourceFactories.discover(getClass().getClassLoader());
        EventSourceFactory jsonl = factories.forScheme("jsonl");
        assertInstanceOf(JsonlSourceFactory.class, jsonl);
        assertSame(jsonl, factories.forScheme("file"));
        assertTrue(factories.schemes().containsAll(Set.of("jsonl", "file")));
    }

    @Test
    void declaresItsNameAliasAndOptions() {
        JsonlSourceFactory f = new JsonlSourceFactory();
        assertEquals("jsonl", f.name());
        assertEquals(Set.of("file"), f.aliases());
        assertEquals(Set.of("max_line_bytes", "decode_threads"), f.optionNames());
        assertEquals(Set.of(), f.secretOptionNames());
        assertTrue(f.description().contains("gzip"));
    }

    @Test
    void createsFromAMapASourceThatReadsItsTarget() {
        try (EventSource source = new JsonlSourceFactory().create(Map.of(), context(SAMPLE))) {
            assertEquals("legacy-state", source.name());
            assertEquals(0, source.status().eventsRead(), "creating reads nothing");
            assertEquals(1_086, source.poll(e -> { }));
        }
    }

    @Test
    void aBarePathAndAFileLocationBothCreateAJsonlSource() {
        SourceFactories factories = SourceFactories.of(java.util.List.of(new JsonlSourceFactory()));
        for (String location : new String[] {SAMPLE, "file://" + SAMPLE, "jsonl://" + SAMPLE}) {
            try (EventSource source = factories.create(SourceLocation.parse(location), Map.of(), context("ignored"))) {
                assertEquals(1_086, source.poll(e -> { }), location);
                assertEquals(SAMPLE, source.status().location());
            }
        }
    }

    @Test
    void maxLineBytesOverridesTheHostsLimit(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("x.jsonl");
        String line = "{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"task_start\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\"}\n";
        Files.writeString(p, line + line.replace("\"t\"", "\"" + "t".repeat(200) + "\""), StandardCharsets.UTF_8);
        SourceFactories factories = SourceFactories.of(java.util.List.of(new JsonlSourceFactory()));
        try (EventSource source = factories.create(SourceLocation.parse("jsonl://" + p + "?max_line_bytes=150"),
                Map.of(), context("ignored"))) {
            assertEquals(1, source.poll(e -> { }));
            assertEquals(Map.of("too_long", 1L), source.status().skippedByReason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1MiB", "", "3000000000"})
    void aBadLineLimitIsRefusedNamingTheOption(String value) {
        SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                () -> new JsonlSourceFactory().create(Map.of("max_line_bytes", value), context(SAMPLE)));
        assertTrue(e.getMessage().contains("max_line_bytes"), e.getMessage());
    }

    @Test
    void anUnknownOptionIsRefusedListingTheKnownOnes() {
        SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                () -> new JsonlSourceFactory().create(Map.of("follow_symlinks", "true"), context(SAMPLE)));
        assertTrue(e.getMessage().contains("follow_symlinks") && e.getMessage().contains("max_line_bytes"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "logs/[a-.jsonl", "logs/{a,b.jsonl"})
    void anEmptyTargetOrAnInvalidGlobIsRefused(String target) {
        assertThrows(SourceConfigurationException.class,
                () -> new JsonlSourceFactory().create(Map.of(), context(target)));
    }
}
