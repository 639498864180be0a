package io.dagscope.server.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The example plugin of docs/plugins.md, built from its files as a reader would build it. */
final class DocumentedExample {

    /** The example's files: the doc includes each of them verbatim. */
    static final Path FILES = Path.of("src/test/resources/plugin-example");
    /** The doc. */
    static final Path DOC = Path.of("../docs/plugins.md");

    private DocumentedExample() {
    }

    /** @return the example's files, relative to {@link #FILES}, in order */
    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(FILES)) {
            return files.filter(Files::isRegularFile).map(FILES::relativize).sorted().collect(Collectors.toList());
        }
    }

    /**
     * Compiles the example's sources against the test classpath (which has the SPI and the core, as the
     * {@code provided} dependency gives them) and packs them with its resources, as {@code mvn package} would.
     *
     * @param work a scratch folder
     * @param jar the jar to write
     * @return the compiler's warnings
     */
    static List<String> build(Path work, Path jar) throws IOException {
        Path main = FILES.resolve("src/main/java");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        Path classes = work.resolve("example-classes");
        List<String> warnings = PluginJars.compileFiles(classes, sources);
        Path resources = FILES.resolve("src/main/resources");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                entries.put(resources.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        PluginJars.jar(jar, classes, entries);
        return warnings;
    }
}
