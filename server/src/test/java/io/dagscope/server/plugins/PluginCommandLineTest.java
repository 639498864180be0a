package io.dagscope.server.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCommandLineTest {

    private static final Path SAMPLE = Path.of("../fixtures/samples/legacy-27c/orchestrator_events.jsonl");

    @TempDir
    Path tmp;

    @Test
    void anExplicitPluginFolderThatDoesNotExistIsBadUsage() {
        Path missing = tmp.resolve("no-such-plugins");

        DocumentedExampleTest.Result r = DocumentedExampleTest.run("query", "--plugins", missing.toString(),
                "--events", SAMPLE.toString(), "{ sources { name } }");

        assertEquals(2, r.status());
        assertTrue(r.err().endsWith("\ndagscope query: --plugins " + missing + ": no such directory\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aPluginFolderThatIsAFileIsBadUsage() throws IOException {
        Path file = Files.writeString(tmp.resolve("plugins.txt"), "x");

        DocumentedExampleTest.Result r = DocumentedExampleTest.run("summary", "--plugins", file.toString(),
                "--events", SAMPLE.toString());

        assertEquals(2, r.status());
        assertTrue(r.err().contains("\ndagscope summary: --plugins " + file + ": not a directory"), r.err());
    }

    @Test
    void withoutTheDefaultPluginFolderCommandsRunAsBefore() {
        assumeFalse(Files.exists(Path.of("plugins")), "the module folder has no plugins/ folder");

        DocumentedExampleTest.Result r = DocumentedExampleTest.run("query", "--events", SAMPLE.toString(),
                "--compact", "{ sources { name kind healthy } }");

        assertEquals(0, r.status(), r.err());
        assertEquals("{\"data\":{\"sources\":[{\"name\":\"events\",\"kind\":\"jsonl\",\"healthy\":true}]}}\n",
                r.out());
        assertFalse(r.err().contains("plugin"), r.err());
    }

    @Test
    void twoPluginsClaimingOneNameStopTheCommandWithBothClassesAndFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Path a = ProbePlugins.jar(tmp, dir.resolve("a.jar"), "probe.first", "twin");
        Path b = ProbePlugins.jar(tmp, dir.resolve("b.jar"), "probe.second", "twin");

        DocumentedExampleTest.Result r = DocumentedExampleTest.run("query", "--plugins", dir.toString(), "--events",
                SAMPLE.toString(), "{ sources { name } }");

        assertEquals(2, r.status());
        assertTrue(r.err().contains("dagscope query: plugin " + b + ": source factory probe.second.ProbeFactory "
                + "claims the name 'twin', which probe.first.ProbeFactory from plugin " + a + " already has"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anEmptyPluginStopsTheCommand() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = PluginJars.jar(dir.resolve("empty.jar"), null, java.util.Map.of("README.txt", new byte[] {'x'}));

        DocumentedExampleTest.Result r = DocumentedExampleTest.run("query", "--plugins", dir.toString(), "--events",
                SAMPLE.toString(), "{ sources { name } }");

        assertEquals(2, r.status());
        assertTrue(r.err().contains("\ndagscope query: plugin " + jar + ": registers no source factory"), r.err());
    }
}
