package io.dagscope.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's public API is what programs that embed it read (docs/embedding.md), so the JDK's javadoc tool, run over
 * the core's sources as such a program's author would run it, reports no warning and no error. The engine package
 * is left out while it is being split into parts; the compiler's doclint check (analytics-core/pom.xml) leaves it
 * out likewise.
 */
class PublicApiJavadocTest {

    private static final Path SOURCES = Path.of("src", "main", "java");

    /** The packages an embedding program uses; each must come out documented. */
    private static final List<String> DOCUMENTED = List.of("event", "model", "port/in", "port/out", "time", "ingest",
            "history", "sketch");

    @Test
    void javadocOfThePublicApiReportsNoWarnings(@TempDir Path out) throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-sourcepath", SOURCES.toString(),
                    "-subpackages", "io.dagscope.core", "-exclude", "io.dagscope.core.engine",
                    "-Xdoclint:all", "-encoding", "UTF-8", "-quiet");
            ok = javadoc.getTask(log, files, diagnostics, null, options, null).call();
        }
        List<String> problems = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .map(d -> where(d) + d.getKind() + ": " + d.getMessage(Locale.ROOT))
                .toList();
        assertEquals("", String.join("\n", problems), "javadoc reported problems; its output:\n" + log);
        assertTrue(ok, "javadoc failed:\n" + log);
        for (String pkg : DOCUMENTED) {
            Path summary = out.resolve("io/dagscope/core/" + pkg + "/package-summary.html");
            assertTrue(Files.isRegularFile(summary), "no documentation for io.dagscope.core." + pkg);
        }
    }

    private static String where(Diagnostic<? extends JavaFileObject> diagnostic) {
        if (diagnostic.getSource() == null) {
            return "";
        }
        Path file = SOURCES.toAbsolutePath().relativize(Path.of(diagnostic.getSource().toUri()));
        return file + ":" + diagnostic.getLineNumber() + ": ";
    }
}
