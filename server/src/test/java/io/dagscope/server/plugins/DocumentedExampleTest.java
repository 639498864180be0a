package io.dagscope.server.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentedExampleTest {

    @TempDir
    Path tmp;

    @Test
    void theDocShowsEveryFileOfTheExampleVerbatim() throws IOException {
        String doc = Files.readString(DocumentedExample.DOC);
        List<Path> files = DocumentedExample.files();
        assertEquals(5, files.size(), "pom, two classes, the services file and the sample CSV: " + files);
        for (Path file : files) {
            String name = file.toString().replace('\\', '/');
            String content = Files.readString(DocumentedExample.FILES.resolve(file));
            assertTrue(doc.contains("`" + name + "`"), "the doc names " + name);
            Matcher fence = Pattern.compile("\n```[a-z]*\n" + Pattern.quote(content) + "```\n").matcher(doc);
            assertTrue(fence.find(), "the doc shows " + name + " verbatim in a code block");
        }
    }

    @Test
    void theExampleDependsOnTheCurrentSpiVersion() throws IOException {
        String rootPom = Files.readString(Path.of("../pom.xml"));
        Matcher root = Pattern.compile("<artifactId>dagscope-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(rootPom);
        assertTrue(root.find());
        String examplePom = Files.readString(DocumentedExample.FILES.resolve("pom.xml"));
        Matcher example = Pattern.compile("<dagscope.version>([^<]+)</dagscope.version>").matcher(examplePom);
        assertTrue(example.find());

        assertEquals(root.group(1), example.group(1));
        assertTrue(examplePom.contains("<artifactId>event-sources-spi</artifactId>\n      <version>${dagscope.version}"
                + "</version>\n      <scope>provided</scope>"), "the SPI is a provided dependency");
    }

    @Test
    void theExampleCompilesWithoutAWarning() throws IOException {
        List<String> warnings = DocumentedExample.build(tmp, tmp.resolve("example.jar"));

        assertEquals(List.of(), warnings);
    }

    @Test
    void theDocumentedExampleAnswersAQueryThroughTheCommandLine() throws IOException {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = plugins.resolve("dagscope-example-plugin-1.0.0.jar");
        DocumentedExample.build(tmp, jar);
        Path csv = DocumentedExample.FILES.resolve("runs.csv").toAbsolutePath();

        Result r = run("query", "--plugins", plugins.toString(), "--events", "example://" + csv, "--compact",
                "{ dagRuns { totalCount edges { node { id dagName tenant status durationSeconds } } } "
                        + "sources { name kind eventsRead linesSkipped healthy } }");

        assertEquals(0, r.status, r.err);
        assertTrue(r.err.contains("dagscope: plugin " + jar + ": registered source factory 'example' "
                + "(com.example.dagscope.CsvRunsSourceFactory)"), r.err);
        JsonNode data = new ObjectMapper().readTree(r.out).get("data");
        JsonNode runs = data.get("dagRuns");
        assertEquals(3, runs.get("totalCount").asInt());
        List<String> rows = new ArrayList<>();
        for (JsonNode edge : runs.get("edges")) {
            JsonNode n = edge.get("node");
            rows.add(n.get("id").asText() + " " + n.get("dagName").asText() + " " + n.get("tenant").asText() + " "
                    + n.get("status").asText() + " " + n.get("durationSeconds").asDouble());
        }
        assertEquals(List.of("events-4 hourly_sync acme SUCCEEDED 41.25", "events-3 nightly_etl globex FAILED 298.0",
                "events-2 nightly_etl acme SUCCEEDED 312.5"), rows);
        JsonNode source = data.get("sources").get(0);
        assertEquals("events example 6 1 true", source.get("name").asText() + " " + source.get("kind").asText() + " "
                + source.get("eventsRead").asLong() + " " + source.get("linesSkipped").asLong() + " "
                + source.get("healthy").asBoolean());
    }

    @Test
    void theSummaryCommandLoadsPluginsToo() throws IOException {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        DocumentedExample.build(tmp, plugins.resolve("example.jar"));
        Path csv = DocumentedExample.FILES.resolve("runs.csv").toAbsolutePath();

        Result r = run("summary", "--plugins", plugins.toString(), "--events", "example://" + csv);

        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("RECENT RUNS (3 of 3)"), r.out);
        assertTrue(r.out.matches("(?s).*\\nevents +example +" + Pattern.quote(csv.toString()) + " +6 .*"), r.out);
    }

    @Test
    void anOptionOfThePluginIsCheckedByThePlugin() throws IOException {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        DocumentedExample.build(tmp, plugins.resolve("example.jar"));
        Path csv = DocumentedExample.FILES.resolve("runs.csv").toAbsolutePath();

        Result r = run("query", "--plugins", plugins.toString(), "--events", "example://" + csv + "?separator=;;",
                "{ sources { name } }");

        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("dagscope query: --events example://" + csv + "?separator=;;: option 'separator' "
                + "must be one character, not ';;'"), r.err);
    }

    record Result(int status, String out, String err) {
    }

    static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(argv, InputStream.nullInputStream(), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
