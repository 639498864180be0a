package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.CliRun;
import io.dagscope.server.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code dagscope} process stopped by a real signal: the exit status docs/server.md states, the "stopping" line,
 * and the demo's temporary logs removed (or kept with {@code --dir}).
 */
class StopBySignalTest {

    @TempDir
    Path tmp;

    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern DEMO_DIR = Pattern.compile("days of logs into (\\S+)");

    /** A dagscope JVM and the lines it has written to stderr so far. */
    private static final class Dagscope {
        final Process process;
        final List<String> lines = new ArrayList<>();
        final Thread reader;

        Dagscope(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "stderr-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String stderr() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** Waits until stderr matches, with a deadline. */
        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            synchronized (lines) {
                while (true) {
                    Matcher m = pattern.matcher(String.join("\n", lines));
                    if (m.find()) {
                        return m;
                    }
                    assertTrue(process.isAlive(), "dagscope ended early: " + lines);
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertTrue(left > 0, "timed out waiting for " + pattern + " in " + lines);
                    lines.wait(Math.min(left, 500));
                }
            }
        }

        int stopWith(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dagscope stops on SIG" + signal + ": " + stderr());
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }
    }

    @Test
    void serveStoppedBySigtermExits143AndCtrlCExits130() throws Exception {
        String runner = CliRun.SAMPLES.resolve("head").resolve("orchestrator_events.jsonl").toString();
        for (String[] c : List.of(new String[] {"TERM", "143"}, new String[] {"INT", "130"})) {
            Dagscope serve = new Dagscope("serve", "--port", "0", "--events", runner);
            try {
                serve.await(SERVING);
                assertEquals(Integer.parseInt(c[1]), serve.stopWith(c[0]), serve.stderr());
                assertTrue(serve.stderr().contains("stopping"), serve.stderr());
            } finally {
                serve.process.destroyForcibly();
            }
        }
    }

    @Test
    void theDemoRemovesItsTemporaryLogsWhenStoppedBySignal() throws Exception {
        Dagscope demo = new Dagscope("demo", "--port", "0", "--days", "0.02", "--rate", "600");
        try {
            Path dir = Path.of(demo.await(DEMO_DIR).group(1));
            demo.await(SERVING);
            assertTrue(Files.isDirectory(dir), "the logs are there while the demo runs");
            assertEquals(143, demo.stopWith("TERM"), demo.stderr());
            assertTrue(demo.stderr().contains("removed the demo's logs in " + dir), demo.stderr());
            assertTrue(demo.stderr().contains("stopping"), demo.stderr());
            assertFalse(Files.exists(dir), "the temporary logs are gone: " + dir);
        } finally {
            demo.process.destroyForcibly();
        }
    }

    @Test
    void theDemoKeepsTheLogsOfDir() throws Exception {
        Path dir = tmp.resolve("kept");
        Dagscope demo = new Dagscope("demo", "--port", "0", "--days", "0.02", "--rate", "600", "--dir",
                dir.toString());
        try {
            demo.await(SERVING);
            assertEquals(130, demo.stopWith("INT"), demo.stderr());
            assertTrue(Files.isRegularFile(dir.resolve("orchestrator_events.jsonl")), "kept on purpose");
            assertTrue(demo.stderr().contains("logs are kept in " + dir), demo.stderr());
        } finally {
            demo.process.destroyForcibly();
        }
    }
}
