package io.dagscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the benchmark starts the JVMs it measures: the same {@code java}, the launcher's JVM options (those
 * {@code ./dagscope} runs the product with: {@code DAGSCOPE_JAVA_OPTS}, else its default), and
 * {@code -XX:ActiveProcessorCount} set to the benchmark's thread count, so that both sides get as many cores.
 *
 * @param java the java executable
 * @param jvmOptions the launcher's JVM options
 * @param threads the thread count both sides get
 * @param benchClasspath the benchmark's own classpath (its jar), for the worker JVMs
 * @param dagscopeJar the product's jar ({@code server/target/dagscope.jar})
 * @param productOptions options only for JVMs that run the product's jar: the launcher's class-data-sharing archive,
 *     which was made from that jar and would not match the benchmark's classpath
 */
public record ChildJvm(String java, List<String> jvmOptions, int threads, String benchClasspath, Path dagscopeJar,
        List<String> productOptions) {

    /** The launcher's default JVM options (see the {@code dagscope} script). */
    public static final String LAUNCHER_DEFAULT_OPTIONS =
            "-Xms1g -Xmx1g -XX:+UseParallelGC -XX:MaxTenuringThreshold=1 -XX:FreqInlineSize=100 "
                    + "-XX:MaxInlineSize=20";

    public ChildJvm {
        jvmOptions = List.copyOf(jvmOptions);
        productOptions = List.copyOf(productOptions);
    }

    /**
     * The environment this JVM runs in: options from the system property {@code dagscope.javaOpts} (the launcher
     * sets it to what it would run the product with), else {@link #LAUNCHER_DEFAULT_OPTIONS}; for the product's jar,
     * also those of {@code dagscope.cdsOpts} (the launcher's class-data-sharing archive, if any).
     *
     * @param threads the thread count
     * @param dagscopeJar the product's jar
     * @return the environment
     */
    public static ChildJvm current(int threads, Path dagscopeJar) {
        String opts = System.getProperty("dagscope.javaOpts", LAUNCHER_DEFAULT_OPTIONS).trim();
        List<String> list = opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
        String cds = System.getProperty("dagscope.cdsOpts", "").trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ChildJvm(Files.isExecutable(java) ? java.toString() : "java", list, threads,
                System.getProperty("java.class.path"), dagscopeJar,
                cds.isEmpty() ? List.of() : Arrays.asList(cds.split("\\s+")));
    }

    /**
     * A command that runs the product's jar.
     *
     * @param gcLog where the JVM writes its GC log
     * @param args the product's arguments
     * @return the command
     */
    public List<String> dagscope(Path gcLog, List<String> args) {
        List<String> c = jvm(gcLog);
        c.addAll(productOptions);
        c.add("-jar");
        c.add(dagscopeJar.toString());
        c.addAll(args);
        return c;
    }

    /**
     * A command that runs one of the benchmark's own modes in a JVM of its own.
     *
     * @param gcLog where the JVM writes its GC log
     * @param args the benchmark's arguments
     * @return the command
     */
    public List<String> bench(Path gcLog, List<String> args) {
        List<String> c = jvm(gcLog);
        c.add("-cp");
        c.add(benchClasspath);
        c.add(BenchMain.class.getName());
        c.addAll(args);
        return c;
    }

    private List<String> jvm(Path gcLog) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.add("-XX:ActiveProcessorCount=" + threads);
        if (gcLog != null) {
            c.add(GcLog.option(gcLog));
        }
        return c;
    }
}
