package io.dagscope.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceLocationTest {

    @Test
    void aSchemePicksTheFactoryAndCarriesOptions() {
        SourceLocation l = SourceLocation.parse("S3://bucket/logs/runner/?region=eu-west-1&path_style=true");
        assertEquals("s3", l.scheme());
        assertEquals("bucket/logs/runner/", l.target());
        assertEquals(Map.of("region", "eu-west-1", "path_style", "true"), l.options());
    }

    @Test
    void aPathWithoutSchemeIsForTheJsonlSourceAndKeepsGlobCharactersAndColons() {
        SourceLocation glob = SourceLocation.parse("logs/orchestrator_events.jsonl.?");
        assertEquals("jsonl", glob.scheme());
        assertEquals("logs/orchestrator_events.jsonl.?", glob.target());
        assertTrue(glob.options().isEmpty());
        assertEquals("logs/2025-10-21T18:00:00.jsonl", SourceLocation.parse("logs/2025-10-21T18:00:00.jsonl").target());
        assertEquals("jsonl", SourceLocation.parse("C:/logs/x.jsonl").scheme());
        assertEquals("weird dir://x", SourceLocation.parse("weird dir://x").target(), "not a scheme: a path");
    }

    @Test
    void optionsArePercentDecodedAndMaskedWhenSecret() {
        SourceLocation l = SourceLocation.parse("s3://b/p?endpoint=http%3A%2F%2Flocalhost%3A9000&secret_key=abc");
        assertEquals("http://localhost:9000", l.options().get("endpoint"));
        String shown = l.display(Set.of("secret_key"));
        assertTrue(shown.contains("secret_key=****") && !shown.contains("abc"), shown);
        assertEquals("logs/x.jsonl", SourceLocation.parse("logs/x.jsonl").display(Set.of()));
    }

    @Test
    void malformedLocationsAreRefusedWithAReason() {
        assertThrows(SourceConfigurationException.class, () -> SourceLocation.parse(""));
        assertTrue(assertThrows(SourceConfigurationException.class,
                () -> SourceLocation.parse("s3://b/p?a=1&a=2")).getMessage().contains("'a'"));
        assertTrue(assertThrows(SourceConfigurationException.class,
                () -> SourceLocation.parse("s3://b/p?=x")).getMessage().contains("without a name"));
    }
}
