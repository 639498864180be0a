package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.core.snapshot.SnapshotFolder;
import io.dagscope.server.CliRun;
import io.dagscope.server.Main;
import io.dagscope.server.snapshots.Served;
import io.dagscope.server.snapshots.SnapshotDocuments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dagscope serve --snapshot-dir} killed with SIGKILL while it writes a snapshot (a real process, its logs
 * growing, a snapshot every second): the next start removes the unfinished file, starts from the previous snapshot,
 * reads on from its positions, and answers exactly as a fresh read of the whole logs.
 */
class SnapshotKillTest {

    private static final String START = "2026-01-05T00:00:00Z";
    private static final String END = "2026-01-08T00:00:00Z";

    @TempDir
    Path dir;

    @Test
    void aServerKilledWhileWritingASnapshotStartsFromThePreviousOneAndAnswersExactly() throws Exception {
        Path generated = dir.resolve("generated");
        CliRun gen = CliRun.run("generate", "--out", generated.toString(), "--events", "300000", "--seed", "11",
                "--start", START);
        assertEquals(0, gen.exitCode(), gen.stderr());
        List<String> events = Files.readAllLines(generated.resolve("orchestrator_events.jsonl"));
        List<String> state = Files.readAllLines(generated.resolve("orchestrator_state.jsonl"));
        Path eventsLog = dir.resolve("orchestrator_events.jsonl");
        Path stateLog = dir.resolve("orchestrator_state.jsonl");
        int eventsFirst = events.size() * 4 / 5;
        int stateFirst = state.size() * 4 / 5;
        Files.write(eventsLog, events.subList(0, eventsFirst), StandardCharsets.UTF_8);
        Files.write(stateLog, state.subList(0, stateFirst), StandardCharsets.UTF_8);
        Path snapshots = dir.resolve("snapshots");
        String schedules = generated.resolve("configs/schedules").toString();
        List<String> serve = List.of("serve", "--events", eventsLog.toString(), "--state", stateLog.toString(),
                "--schedules", schedules, "--end", END, "--port", "0", "--history", "heap", "--snapshot-dir",
                snapshots.toString(), "--snapshot-every", "1s");

        // appends the rest a little at a time, so that the data keep changing and a snapshot follows every second
        int[] next = {eventsFirst, stateFirst};
        AtomicBoolean appending = new AtomicBoolean(true);
        Thread appender = new Thread(() -> {
            try {
                while (appending.get() && (next[0] < events.size() || next[1] < state.size())) {
                    int e = Math.min(events.size(), next[0] + 300);
                    int s = Math.min(state.size(), next[1] + 100);
                    Files.write(eventsLog, events.subList(next[0], e), StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                    Files.write(stateLog, state.subList(next[1], s), StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                    next[0] = e;
                    next[1] = s;
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "appender");

        Path unfinished = null;
        Child child = null;
        for (int attempt = 0; attempt < 5 && unfinished == null; attempt++) {
            child = new Child(serve);
            if (attempt == 0) {
                appender.start();
            }
            Child c = child;
            Served.await(Duration.ofSeconds(120), () -> !new SnapshotFolder(snapshots).files().isEmpty()
                    || !c.process.isAlive(), () -> "a first snapshot: " + c.log());
            assertTrue(child.process.isAlive(), child.log());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && unfinished == null) {
                if (!temporaries(snapshots).isEmpty()) {
                    child.process.destroyForcibly(); // SIGKILL
                    child.process.waitFor();
                    List<Path> left = temporaries(snapshots);
                    unfinished = left.isEmpty() ? null : left.get(0); // else it finished just before the kill
                    if (unfinished == null) {
                        break;
                    }
                }
                Thread.onSpinWait();
            }
            if (child.process.isAlive()) {
                child.process.destroyForcibly();
                child.process.waitFor();
            }
        }
        appending.set(false);
        appender.join();
        assertTrue(unfinished != null, "killed while a snapshot was being written: " + child.log());
        List<Path> complete = new SnapshotFolder(snapshots).files();
        assertTrue(!complete.isEmpty(), "a snapshot written before the kill");
        Files.write(eventsLog, events.subList(next[0], events.size()), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Files.write(stateLog, state.subList(next[1], state.size()), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        JsonNode fresh = CliRun.run("query", "--compact", "--end", END, "--events", eventsLog.toString(), "--state",
                stateLog.toString(), "--schedules", schedules, SnapshotDocuments.everything(END, true)).data();
        long total = 0;
        for (JsonNode s : fresh.get("sources")) {
            total += s.get("eventsRead").asLong();
        }
        long want = total;
        try (InProcessServe again = new InProcessServe(serve.subList(1, serve.size()).toArray(new String[0]))) {
            assertTrue(again.log().contains("removed 1 unfinished snapshot file(s)"), again.log());
            assertTrue(again.log().contains("started from snapshot " + complete.get(0)), again.log());
            Served.await(Duration.ofSeconds(120), () -> {
                try {
                    return Served.eventsRead(again.port) == want;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, () -> "everything read");
            assertEquals(fresh, Served.graphql(again.port, SnapshotDocuments.everything(END, true)));
            again.stopCleanly();
        }
    }

    private static List<Path> temporaries(Path snapshots) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(snapshots)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(snapshots, ".snapshot-*.tmp-*")) {
                entries.forEach(out::add);
            }
        }
        return out;
    }

    /** {@code dagscope serve} in a JVM of its own, its log collected. */
    private static final class Child {
        final Process process;
        final StringBuffer log = new StringBuffer();
        final int port;

        Child(List<String> args) throws Exception {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        log.append(line).append('\n');
                    }
                } catch (IOException e) {
                    log.append("(log ended: ").append(e.getMessage()).append(")\n");
                }
            }, "child-log");
            reader.setDaemon(true);
            reader.start();
            Matcher m = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
            Served.await(Duration.ofSeconds(120), () -> m.reset(log).find() || !process.isAlive(),
                    () -> "the child to listen: " + log);
            assertTrue(process.isAlive(), () -> "the child ended: " + log);
            port = Integer.parseInt(m.group(1));
        }

        String log() {
            return log.toString();
        }
    }
}
