package io.dagscope.examples.embed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as docs/embedding.md shows it. Runs after {@code package}, on the jar and {@code lib/} that the
 * example's own pom made, in the dagscope checkout (it reads the page and the checkout's pom).
 */
class EmbedCoreIT {

    private static final Path PAGE = Path.of("..", "..", "docs", "embedding.md");
    private static final Path CHECKOUT_POM = Path.of("..", "..", "pom.xml");
    private static final Path POM = Path.of("pom.xml");
    private static final Path SOURCE = Path.of("src", "main", "java", "io", "dagscope", "examples", "embed",
            "EmbedCore.java");
    private static final String OUTPUT_MARK = "<!-- embed-core:output -->\n```text\n";

    @Test
    void thePagesCommandRunsTheJarAndPrintsWhatThePageShows(@TempDir Path scratch) throws Exception {
        String page = Files.readString(PAGE, UTF_8);
        List<String> command = javaCommand(page);
        List<String> run = new ArrayList<>(command);
        run.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path out = scratch.resolve("stdout");
        Path err = scratch.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(run).redirectOutput(out.toFile()).redirectError(err.toFile());
        // options from the environment would make the JVM say so on stderr; a user's shell has its own
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("'" + String.join(" ", command) + "' did not end within 2 minutes");
        }

        String errors = Files.readString(err, UTF_8);
        assertEquals(0, process.exitValue(), errors);
        assertEquals("", errors);
        assertEquals(shownOutput(page), Files.readString(out, UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void everyJavaAndXmlBlockOfThePageIsInTheExample() throws IOException {
        String page = Files.readString(PAGE, UTF_8);
        String source = "\n" + normalised(Files.readString(SOURCE, UTF_8)) + "\n";
        String pom = "\n" + normalised(Files.readString(POM, UTF_8)) + "\n";

        List<String> java = blocks(page, "java");
        List<String> xml = blocks(page, "xml");
        assertTrue(java.size() >= 4 && xml.size() >= 1, "the page shows the example's code and its dependency");
        for (String block : java) {
            assertTrue(source.contains("\n" + normalised(block) + "\n"),
                    "EmbedCore.java has this block of the page:\n" + block);
        }
        for (String block : xml) {
            assertTrue(pom.contains("\n" + normalised(block) + "\n"), "pom.xml has this block of the page:\n"
                    + block);
        }
    }

    @Test
    void theExampleAsksForTheCoreOfThisCheckout() throws IOException {
        String checkout = group(Files.readString(CHECKOUT_POM, UTF_8),
                "<artifactId>dagscope-parent</artifactId>\\s*<version>([^<]+)</version>");
        String example = group(Files.readString(POM, UTF_8), "<dagscope.version>([^<]+)</dagscope.version>");

        assertEquals(checkout, example, "the example's dagscope.version");
        assertTrue(Files.readString(PAGE, UTF_8).contains("java -jar target/embed-core-" + example + ".jar"));
    }

    /** The page's {@code java -jar} line, split into words. */
    private static List<String> javaCommand(String page) {
        List<String> lines = page.lines().filter(l -> l.startsWith("java -jar ")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "the page has one java -jar command: " + lines);
        return Arrays.asList(lines.get(0).trim().split(" +"));
    }

    /** The output block the page shows after its marker. */
    private static String shownOutput(String page) {
        int start = page.indexOf(OUTPUT_MARK);
        assertTrue(start >= 0, "the page marks its output block");
        int end = page.indexOf("```\n", start + OUTPUT_MARK.length());
        return page.substring(start + OUTPUT_MARK.length(), end);
    }

    /** The contents of the page's fenced blocks of one language. */
    private static List<String> blocks(String page, String language) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```\n", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** Each line stripped, so that a block compares by its text whatever its indentation on the page. */
    private static String normalised(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n"));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}
