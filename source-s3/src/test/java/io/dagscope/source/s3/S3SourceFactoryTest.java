package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceLocation;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The factory: found by the host, maps options to settings, refuses bad ones by name, and keeps secrets out. */
class S3SourceFactoryTest {

    private static final SourceContext CONTEXT = new SourceContext("logs", "bucket/prefix/", false,
            SourceContext.DEFAULT_MAX_LINE_BYTES, Clock.systemUTC());

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        SourceFactories factories = SourceFactories.discover(getClass().getClassLoader());
        EventSourceFactory f = factories.forScheme("s3");
        assertInstanceOf(S3SourceFactory.class, f);
        assertTrue(factories.schemes().containsAll(Set.of("s3", "jsonl")), factories.schemes().toString());
        assertEquals(Set.of("region", "endpoint", "path_style", "suffix", "poll_seconds", "concurrency",
                "access_key", "secret_key"), f.optionNames());
        assertEquals(Set.of("access_key", "secret_key"), f.secretOptionNames());
    }

    @Test
    void createsASourceFromALocationAndReadsNothingBeforeItsFirstPoll() {
        SourceLocation location = SourceLocation.parse("s3://logs-bucket/runner/?endpoint=http://127.0.0.1:1"
                + "&region=eu-west-1&access_key=AKIAEXAMPLE&secret_key=s3cr3t-value");
        try (EventSource source = SourceFactories.discover(getClass().getClassLoader())
                .create(location, Map.of(), CONTEXT)) {
            assertEquals("logs", source.name());
            SourceStatus status = source.status();
            assertEquals("s3", status.kind());
            assertEquals("s3://logs-bucket/runner/?region=eu-west-1&endpoint=http://127.0.0.1:1", status.location());
            assertTrue(status.healthy(), "nothing was tried yet");
            assertEquals(0, status.eventsRead());
            assertFalse(source.rebuildRequested());
        }
        assertEquals("s3://logs-bucket/runner/?endpoint=http://127.0.0.1:1&region=eu-west-1&access_key=****"
                + "&secret_key=****", location.display(new S3SourceFactory().secretOptionNames()));
    }

    @Test
    void mapsEveryOptionToItsSetting() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("region", " eu-central-1 ");
        o.put("endpoint", "https://minio.internal:9000");
        o.put("path_style", "FALSE");
        o.put("suffix", ".log,.ndjson.gz");
        o.put("poll_seconds", "2.5");
        o.put("concurrency", "16");
        o.put("access_key", "AKIAEXAMPLE");
        o.put("secret_key", "s3cr3t-value");
        S3Options s = S3Options.parse("bucket/a/b/", o);
        assertEquals("bucket", s.bucket());
        assertEquals("a/b/", s.prefix());
        assertEquals("eu-central-1", s.region().orElseThrow());
        assertEquals(URI.create("https://minio.internal:9000"), s.endpoint().orElseThrow());
        assertFalse(s.pathStyle());
        assertEquals(List.of(".log", ".ndjson.gz"), s.suffixes());
        assertEquals(Duration.ofMillis(2500), s.pollInterval());
        assertEquals(16, s.concurrency());
        assertEquals("AKIAEXAMPLE", s.keys().orElseThrow().accessKeyId());
        assertFalse(s.toString().contains("s3cr3t-value") || s.toString().contains("AKIAEXAMPLE"), s.toString());
        assertTrue(s.reads("a/b/x.log") && s.reads("a/b/x.ndjson.gz") && !s.reads("a/b/x.jsonl"));
    }

    @Test
    void hasDefaultsForEveryOption() {
        S3Options s = S3Options.parse("bucket", Map.of());
        assertEquals("", s.prefix());
        assertTrue(s.region().isEmpty() && s.endpoint().isEmpty() && s.keys().isEmpty());
        assertFalse(s.pathStyle(), "virtual-host style on AWS");
        assertEquals(List.of(".jsonl", ".jsonl.gz"), s.suffixes());
        assertEquals(Duration.ofSeconds(30), s.pollInterval());
        assertEquals(4, s.concurrency());
        assertTrue(S3Options.parse("bucket", Map.of("endpoint", "http://127.0.0.1:9000")).pathStyle(),
                "path style by default with an endpoint");
        assertTrue(s.reads("x.jsonl") && s.reads("x.jsonl.gz") && !s.reads("x.json") && !s.reads("dir.jsonl/"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "concurrency  | 0         | option 'concurrency' must be a whole number of objects from 1 to 64; got '0'",
        "concurrency  | lots      | option 'concurrency' must be a whole number of objects from 1 to 64",
        "poll_seconds | -1        | option 'poll_seconds' must be a number of seconds from 0.001 to 86400",
        "poll_seconds | 0         | option 'poll_seconds' must be a number of seconds",
        "path_style   | yes       | option 'path_style' must be true or false; got 'yes'",
        "endpoint     | minio:9000 | option 'endpoint' must be an http:// or https:// URL",
        "endpoint     | ftp://x   | option 'endpoint' must be an http:// or https:// URL",
        "region       | eu west   | option 'region' must be a region name",
        "suffix       | .jsonl,,.gz | option 'suffix' must be a comma-separated list of key endings",
        "access_key   | AKIA      | options 'access_key' and 'secret_key' go together",
        "secret_key   | s3cr3t    | options 'access_key' and 'secret_key' go together",
    })
    void refusesABadValueNamingTheOptionAndWhatIsAllowed(String option, String value, String message) {
        SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                () -> new S3SourceFactory().create(Map.of(option, value), CONTEXT));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        if (option.equals("secret_key")) {
            assertFalse(e.getMessage().contains(value), "a secret is never echoed: " + e.getMessage());
        }
    }

    @Test
    void refusesAnUnknownOptionListingTheKnownOnes() {
        SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                () -> new S3SourceFactory().create(Map.of("bukket", "x"), CONTEXT));
        assertEquals("unknown option 'bukket' for an s3 source; allowed: access_key, concurrency, endpoint, "
                + "path_style, poll_seconds, region, secret_key, suffix", e.getMessage());
    }

    @Test
    void refusesALocationWithoutABucket() {
        SourceContext noBucket = new SourceContext("logs", "/prefix", false, SourceContext.DEFAULT_MAX_LINE_BYTES,
                Clock.systemUTC());
        SourceConfigurationException e = assertThrows(SourceConfigurationException.class,
                () -> new S3SourceFactory().create(Map.of(), noBucket));
        assertTrue(e.getMessage().startsWith("an s3 location is s3://BUCKET/PREFIX"), e.getMessage());
    }
}
