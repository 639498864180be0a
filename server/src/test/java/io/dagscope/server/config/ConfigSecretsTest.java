package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.UsageException;
import io.dagscope.source.jsonl.JsonlSourceFactory;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceContext;
import io.dagscope.spi.SourceFactories;
import io.dagscope.spi.SourceStatistics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret option values are accepted from the config file, refused on the command line, and shown nowhere. */
class ConfigSecretsTest {

    private static final String SECRET = "s3cr3t-Value";

    @TempDir
    Path tmp;

    private final VaultFactory vault = new VaultFactory();
    private final SourceFactories factories = SourceFactories.of(List.of(new JsonlSourceFactory(), vault));
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Settings resolve(String... argv) {
        return CommonOptions.resolve(Args.parse("test", argv, CommonOptions.FLAGS), Map.of(), note -> { });
    }

    private Dagscope create(Settings settings) {
        return Dagscope.create(settings, factories, false, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("dagscope.yaml"), yaml);
    }

    @Test
    void secretOptionsAreAcceptedFromTheFile() throws IOException {
        Path file = config("""
                sources:
                  - role: events
                    location: vault://bucket/prefix
                    options: {region: eu-west-1, secret_key: %s}
                """.formatted(SECRET));

        Settings settings = resolve("--config", file.toString(), "--state", "/none.jsonl");
        try (Dagscope app = create(settings)) {
            assertEquals(Map.of("region", "eu-west-1", "secret_key", SECRET), vault.lastOptions);
            assertFalse(settings.sources().get(0).fromCommandLine());
            assertEquals(2, app.ingestor().sources().size());
        }
    }

    @Test
    void secretOptionsAreRefusedOnTheCommandLineWithoutShowingThem() {
        Settings settings = resolve("--events", "vault://bucket?secret_key=" + SECRET, "--state", "/none.jsonl");

        UsageException e = assertThrows(UsageException.class, () -> create(settings));

        assertEquals("--events: option 'secret_key' is a secret and is refused on the command line, where it would "
                + "leak through ps and shell history; put it in the config file instead", e.getMessage());
    }

    @Test
    void aSourceErrorNamesTheFileAndLineAndMasksTheSecretsOfTheLocation() throws IOException {
        Path file = config("""
                sources:
                  - role: events
                    location: vault://bucket?secret_key=%s&colour=red
                """.formatted(SECRET));
        Settings settings = resolve("--config", file.toString());

        UsageException e = assertThrows(UsageException.class, () -> create(settings));

        assertEquals(file + ":2: sources[0] vault://bucket?secret_key=****&colour=red: unknown option 'colour' for a "
                + "vault source; allowed: region, secret_key", e.getMessage());
    }

    @Test
    void anUnknownOptionInTheOptionsMappingIsNamedWithoutAnyValue() throws IOException {
        Path file = config("""
                sources:
                  - role: events
                    location: vault://bucket
                    options: {secret_key: %s, secret_kye: %s}
                """.formatted(SECRET, SECRET));
        Settings settings = resolve("--config", file.toString());

        UsageException e = assertThrows(UsageException.class, () -> create(settings));

        assertEquals(file + ":2: sources[0] vault://bucket: unknown option 'secret_kye' for a vault source; allowed: "
                + "region, secret_key", e.getMessage());
    }

    @Test
    void anUnknownSchemeMasksEveryOptionValue() throws IOException {
        Path file = config("sources:\n  - {role: events, location: \"nosuch://b?token=" + SECRET + "\"}\n");
        Settings settings = resolve("--config", file.toString());

        UsageException e = assertThrows(UsageException.class, () -> create(settings));

        assertEquals(file + ":2: sources[0] nosuch://b?token=****: no event source is named 'nosuch'; available: "
                + "file, jsonl, vault", e.getMessage());
    }

    @Test
    void aWrongTypeForAnOptionDoesNotShowItsValue() throws IOException {
        Path file = config("""
                sources:
                  - role: events
                    location: vault://bucket
                    options:
                      secret_key: [%s]
                """.formatted(SECRET));

        UsageException e = assertThrows(UsageException.class, () -> resolve("--config", file.toString()));

        assertEquals(file + ":5: sources[0].options.secret_key: must be a single value (text or a number), not a list",
                e.getMessage());
    }

    @Test
    void aYamlErrorDoesNotQuoteTheLineItIsOn() throws IOException {
        Path file = config("""
                sources:
                  - role: events
                    location: vault://bucket
                    options:
                      secret_key: %s: oops
                """.formatted(SECRET));

        UsageException e = assertThrows(UsageException.class, () -> resolve("--config", file.toString()));

        assertTrue(e.getMessage().startsWith(file + ":5: not valid YAML"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aSourceShownAsTextHidesEveryOptionValue() {
        SourceSpec spec = new SourceSpec("a", "events", "vault://b?secret_key=" + SECRET, Map.of("secret_key",
                SECRET), false, "dagscope.yaml:2: sources[0]");

        assertFalse(spec.toString().contains(SECRET), spec.toString());
        assertTrue(spec.toString().contains("options={secret_key=****}"), spec.toString());
        assertEquals("vault://b?secret_key=****", spec.displayLocation(factories));
        assertEquals("dagscope.yaml:2: sources[0] vault://b?secret_key=****", spec.describe(factories));
    }

    /** A source factory with a secret option, as an object store's would have. */
    public static final class VaultFactory implements EventSourceFactory {
        Map<String, String> lastOptions;

        @Override
        public String name() {
            return "vault";
        }

        @Override
        public Set<String> secretOptionNames() {
            return Set.of("secret_key");
        }

        @Override
        public Set<String> optionNames() {
            return Set.of("region", "secret_key");
        }

        @Override
        public EventSource create(Map<String, String> options, SourceContext context) {
            lastOptions = options;
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
                    return new SourceStatistics(context.name(), "vault", context.target()).snapshot();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
