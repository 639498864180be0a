package io.dagscope.server.monitoring;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Prometheus binaries, which the monitoring tests run: their absence fails a test, it never skips one. */
public final class PrometheusTools {

    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    /** The shipped rules, dashboard and example configuration. */
    public static final Path DEPLOY = Path.of("..", "deploy");

    private PrometheusTools() {
    }

    /** Fails the test, naming the package to install, when a binary is missing. */
    public static Path require(Path binary) {
        if (!Files.isExecutable(binary)) {
            fail(binary + " is missing: the monitoring tests run the real Prometheus tools; install Debian's "
                    + "package prometheus (apt-get install prometheus), which brings prometheus and promtool");
        }
        return binary;
    }

    /** What a finished process printed, and its exit code. */
    record Result(int exitCode, String output) {
    }

    /** Runs a tool to its end (a minute at most), its standard error merged into its output. */
    static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within a minute");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
