package io.dagscope.server.plugins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Builds plugin jars in tests: compiles Java sources against the test classpath and packs them with resources. */
final class PluginJars {

    /** The services file a plugin lists its factories in. */
    static final String SERVICES = "META-INF/services/io.dagscope.spi.EventSourceFactory";

    private PluginJars() {
    }

    /**
     * Compiles sources given as text.
     *
     * @param out the class output folder
     * @param sources class name to source text
     * @param extraClasspath more jars or folders to compile against
     * @return warnings and errors; compilation must succeed
     */
    static List<String> compile(Path out, Map<String, String> sources, Path... extraClasspath) throws IOException {
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((className, text) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        return compileUnits(out, units, null, extraClasspath);
    }

    /**
     * Compiles source files.
     *
     * @param out the class output folder
     * @param files the .java files
     * @return warnings and errors; compilation must succeed
     */
    static List<String> compileFiles(Path out, List<Path> files) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<JavaFileObject> units = new ArrayList<>();
            fm.getJavaFileObjectsFromPaths(files).forEach(units::add);
            return compileUnits(out, units, fm);
        }
    }

    private static List<String> compileUnits(Path out, List<JavaFileObject> units, StandardJavaFileManager given,
            Path... extraClasspath) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Files.createDirectories(out);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
        for (Path p : extraClasspath) {
            classpath.append(java.io.File.pathSeparatorChar).append(p);
        }
        List<String> options = List.of("-d", out.toString(), "-classpath", classpath.toString(),
                "--release", "17", "-Xlint:all", "-encoding", "UTF-8", "-implicit:none");
        boolean ok;
        if (given != null) {
            ok = compiler.getTask(output, given, diagnostics, options, null, units).call();
        } else {
            try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                ok = compiler.getTask(output, fm, diagnostics, options, null, units).call();
            }
        }
        List<String> messages = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .map(d -> d.getKind() + " " + d.getSource() + ":" + d.getLineNumber() + ": "
                        + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
        assertTrue(ok, "compilation failed: " + messages + output);
        return messages;
    }

    /**
     * Writes a jar.
     *
     * @param jar the jar to write
     * @param classes a folder whose files become entries (may be null)
     * @param entries more entries: path in the jar to content
     * @return the jar
     */
    static Path jar(Path jar, Path classes, Map<String, byte[]> entries) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        if (classes != null) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                    all.put(classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }
        all.putAll(entries);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * @param factoryClassNames the factories to list
     * @return a services file entry naming them
     */
    static Map<String, byte[]> services(String... factoryClassNames) {
        return Map.of(SERVICES, (String.join("\n", factoryClassNames) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes of a class as the host has it, to put a copy into a plugin.
     *
     * @param type the class
     * @return its class file
     */
    static byte[] classFile(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader()
                : type.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no class file for " + type.getName());
            }
            return in.readAllBytes();
        }
    }

    /**
     * Every entry of the host's classpath under a package prefix (classes and the services file), to build a plugin
     * that carries a copy of a host module.
     *
     * @param anyClass a class of that module
     * @param prefix e.g. {@code io/dagscope/source/jsonl/}
     * @return path in the jar to content
     */
    static Map<String, byte[]> copyOfModule(Class<?> anyClass, String prefix) throws IOException {
        Path location = Path.of(URI.create(anyClass.getProtectionDomain().getCodeSource().getLocation().toString()));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    String name = location.relativize(f).toString().replace('\\', '/');
                    if (name.startsWith(prefix) || name.equals(SERVICES)) {
                        entries.put(name, Files.readAllBytes(f));
                    }
                }
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(location.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    if (!e.isDirectory() && (e.getName().startsWith(prefix) || e.getName().equals(SERVICES))) {
                        try (InputStream in = jar.getInputStream(e)) {
                            entries.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        return entries;
    }
}
