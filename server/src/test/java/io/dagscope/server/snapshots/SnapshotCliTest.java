package io.dagscope.server.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dagscope snapshot}, {@code query --snapshot} and {@code merge} on both sample log sets: a snapshot answers
 * every query as reading the logs does, alone or following the logs on from its positions; the logs split by DAG
 * into files, each snapshotted apart and merged, answer as the whole; a file that cannot be used is reported and the
 * logs are read instead.
 */
class SnapshotCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String end(String set) {
        return set.equals("head") ? "2025-10-21T18:00:00Z" : "2025-10-06T12:00:00Z";
    }

    private static String[] logs(String set) {
        Path d = CliRun.SAMPLES.resolve(set);
        return new String[] {"--events", d.resolve("orchestrator_events.jsonl").toString(), "--state",
            d.resolve("orchestrator_state.jsonl").toString(), "--schedules", d.resolve("configs/schedules").toString()};
    }

    private static String[] concat(String[]... parts) {
        List<String> out = new ArrayList<>();
        for (String[] p : parts) {
            out.addAll(List.of(p));
        }
        return out.toArray(new String[0]);
    }

    private static JsonNode query(String set, String[] sources, String... extra) {
        return CliRun.run(concat(new String[] {"query", "--compact", "--end", end(set)}, sources, extra,
                new String[] {SnapshotDocuments.everything(end(set), true)})).data();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"legacy-27c", "head"})
    void aSnapshotAnswersAsTheLogsAloneOrFollowingThemOn(String set) throws IOException {
        Path file = dir.resolve(set + ".dgsnap");
        CliRun made = CliRun.run(concat(new String[] {"snapshot", "--out", file.toString()}, logs(set)));
        assertEquals(0, made.exitCode(), made.stderr());
        assertTrue(made.stdout().startsWith("wrote " + file), made.stdout());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        JsonNode whole = query(set, logs(set));
        assertTrue(whole.at("/runs/totalCount").asLong() > 100, "the sample has runs");

        CliRun resumed = CliRun.run(concat(new String[] {"query", "--compact", "--end", end(set), "--snapshot",
            file.toString()}, logs(set), new String[] {SnapshotDocuments.everything(end(set), true)}));
        assertEquals(whole, resumed.data(), "from the snapshot, each log read on from its position: nothing new");
        assertTrue(resumed.stderr().contains("started from snapshot " + file), resumed.stderr());

        Path d = CliRun.SAMPLES.resolve(set);
        CliRun alone = CliRun.run("query", "--compact", "--end", end(set), "--schedules",
                d.resolve("configs/schedules").toString(), "--snapshot", file.toString(),
                SnapshotDocuments.everything(end(set), false));
        assertEquals(SnapshotDocuments.withoutSources(whole), alone.data(), "from the snapshot alone");
        assertTrue(alone.stderr().contains("answering from it alone"), alone.stderr());
    }

    @ParameterizedTest(name = "{0}, {1} parts")
    @CsvSource({"legacy-27c, 3", "head, 5"})
    void theLogsSplitByDagSnapshottedApartAndMergedAnswerAsTheWhole(String set, int k) throws IOException {
        Path d = CliRun.SAMPLES.resolve(set);
        List<List<String>> events = split(Files.readAllLines(d.resolve("orchestrator_events.jsonl")), k, "dag_name",
                new Random(k));
        List<List<String>> state = split(Files.readAllLines(d.resolve("orchestrator_state.jsonl")), k, "schedule_id",
                new Random(k + 1));
        List<String> parts = new ArrayList<>(List.of("merge"));
        for (int i = 0; i < k; i++) {
            Path partDir = Files.createDirectories(dir.resolve("part-" + i));
            Path e = Files.write(partDir.resolve("orchestrator_events.jsonl"), events.get(i), StandardCharsets.UTF_8);
            Path s = Files.write(partDir.resolve("orchestrator_state.jsonl"), state.get(i), StandardCharsets.UTF_8);
            Path snap = dir.resolve("part-" + i + ".dgsnap");
            CliRun made = CliRun.run("snapshot", "--events", e.toString(), "--state", s.toString(), "--out",
                    snap.toString());
            assertEquals(0, made.exitCode(), made.stderr());
            parts.add(snap.toString());
        }
        Path merged = dir.resolve("merged.dgsnap");
        parts.add("--out");
        parts.add(merged.toString());
        CliRun merge = CliRun.run(parts.toArray(new String[0]));
        assertEquals(0, merge.exitCode(), merge.stderr());

        JsonNode whole = query(set, logs(set));
        CliRun fromMerged = CliRun.run("query", "--compact", "--end", end(set), "--schedules",
                d.resolve("configs/schedules").toString(), "--snapshot", merged.toString(),
                SnapshotDocuments.everything(end(set), false));
        assertEquals(SnapshotDocuments.withoutSources(whole), fromMerged.data());

        // a merged snapshot records no positions: with the logs configured, they are read from the start
        CliRun withLogs = CliRun.run(concat(new String[] {"query", "--compact", "--end", end(set), "--snapshot",
            merged.toString()}, logs(set), new String[] {SnapshotDocuments.everything(end(set), true)}));
        assertEquals(whole, withLogs.data());
        assertTrue(withLogs.stderr().contains("snapshot refused: " + merged + ": ")
                && withLogs.stderr().contains("reading every log from the start"), withLogs.stderr());
    }

    /** Each line to the part of its key's value (lines without one, expiries, to any part). */
    private static List<List<String>> split(List<String> lines, int k, String key, Random rnd) throws IOException {
        List<List<String>> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(new ArrayList<>());
        }
        Map<String, Integer> partOf = new HashMap<>();
        for (String line : lines) {
            String value = null;
            try {
                JsonNode n = JSON.readTree(line);
                value = n != null && n.hasNonNull(key) ? n.get(key).asText() : null;
            } catch (IOException e) {
                // not JSON: skipped by the source wherever it goes
            }
            int part = value == null ? rnd.nextInt(k) : partOf.computeIfAbsent(value, v -> rnd.nextInt(k));
            parts.get(part).add(line);
        }
        return parts;
    }

    @Test
    void aSnapshotThatCannotBeUsedIsReportedAndTheLogsAreReadInstead() throws IOException {
        JsonNode whole = query("head", logs("head"));
        Path file = dir.resolve("head.dgsnap");
        assertEquals(0, CliRun.run(concat(new String[] {"snapshot", "--out", file.toString()}, logs("head")))
                .exitCode());
        byte[] bytes = Files.readAllBytes(file);
        Map<String, byte[]> bad = Map.of("cut", java.util.Arrays.copyOf(bytes, bytes.length / 2),
                "flipped", flipped(bytes), "foreign", "{\"event\": \"dag_start\"}\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Path f = Files.write(dir.resolve(e.getKey() + ".dgsnap"), e.getValue());
            CliRun run = CliRun.run(concat(new String[] {"query", "--compact", "--end", end("head"), "--snapshot",
                f.toString()}, logs("head"), new String[] {SnapshotDocuments.everything(end("head"), true)}));
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals(whole, run.data(), e.getKey());
            assertTrue(run.stderr().contains("snapshot refused: " + f + ": "), run.stderr());
            assertTrue(run.stderr().contains("reading every log from the start"), run.stderr());
        }

        // merge refuses a part it cannot read, naming it, and writes nothing
        Path out = dir.resolve("merged.dgsnap");
        CliRun merge = CliRun.run("merge", file.toString(), dir.resolve("cut.dgsnap").toString(), "--out",
                out.toString());
        assertEquals(1, merge.exitCode());
        assertTrue(merge.stderr().contains("cut.dgsnap: truncated"), merge.stderr());
        assertFalse(Files.exists(out));
        assertEquals(2, CliRun.run("merge", file.toString()).exitCode(), "--out is required");
        assertEquals(2, CliRun.run("merge", "--out", out.toString()).exitCode(), "parts are required");
        assertEquals(2, CliRun.run("merge", file.toString(), "--out", file.toString()).exitCode());
        assertEquals(2, CliRun.run("snapshot", "--out", dir.toString()).exitCode(), "--out a folder");
    }

    private static byte[] flipped(byte[] bytes) {
        byte[] b = bytes.clone();
        b[b.length / 3] ^= 0x10;
        return b;
    }
}
