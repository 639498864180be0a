package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.server.CliRun;
import io.dagscope.server.snapshots.Served;
import io.dagscope.server.snapshots.SnapshotDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dagscope serve --snapshot-dir} across a clean restart: two growing logs served, appended to, the server
 * stopped (it writes a last snapshot), more appended while it is down, the server started again: it starts from the
 * snapshot, reads only what was appended, and every answer, the sources' figures included, equals a fresh read of
 * the whole logs.
 */
class ServeRestartTest {

    private static final String END = "2025-10-21T18:00:00Z";

    @TempDir
    Path dir;

    @Test
    void aServerStoppedAndStartedAgainAnswersAsAFreshReadOfTheWholeLogs() throws Exception {
        Path sample = CliRun.SAMPLES.resolve("head");
        List<List<String>> events = thirds(Files.readAllLines(sample.resolve("orchestrator_events.jsonl")));
        List<List<String>> state = thirds(Files.readAllLines(sample.resolve("orchestrator_state.jsonl")));
        Path eventsLog = dir.resolve("orchestrator_events.jsonl");
        Path stateLog = dir.resolve("orchestrator_state.jsonl");
        Path snapshots = dir.resolve("snapshots");
        String schedules = sample.resolve("configs/schedules").toString();
        append(eventsLog, events.get(0));
        append(stateLog, state.get(0));
        String[] args = {"--events", eventsLog.toString(), "--state", stateLog.toString(), "--schedules", schedules,
            "--end", END, "--port", "0", "--history", "heap", "--snapshot-dir", snapshots.toString(),
            "--snapshot-every", "1h"};

        double ingestedBeforeStop;
        try (InProcessServe first = new InProcessServe(args)) {
            assertTrue(first.log().contains("read ") && !first.log().contains("started from snapshot"), first.log());
            append(eventsLog, events.get(1));
            append(stateLog, state.get(1));
            long want = eventsReadByAFreshRead(eventsLog, stateLog);
            Served.await(Duration.ofSeconds(60), () -> read(first.port) == want, () -> "two thirds read");
            ingestedBeforeStop = Served.metric(first.port, "dagscope_events_ingested_total");
            first.stopCleanly();
            assertTrue(first.log().contains("stopping"), first.log());
            assertTrue(first.log().contains("snapshot snapshot-"), "a last snapshot on a clean stop: " + first.log());
        }

        append(eventsLog, events.get(2));
        append(stateLog, state.get(2));
        long total = eventsReadByAFreshRead(eventsLog, stateLog);
        JsonNode fresh = CliRun.run("query", "--compact", "--end", END, "--events", eventsLog.toString(), "--state",
                stateLog.toString(), "--schedules", schedules, SnapshotDocuments.everything(END, true)).data();
        try (InProcessServe second = new InProcessServe(args)) {
            assertTrue(second.log().contains("started from snapshot " + snapshots), second.log());
            Served.await(Duration.ofSeconds(60), () -> read(second.port) == total, () -> "everything read");
            double ingested = Served.metric(second.port, "dagscope_events_ingested_total");
            assertTrue(second.log().contains("read " + (long) (ingested - ingestedBeforeStop)
                    + " events from 2 source(s)"), "only what was appended while it was down: " + second.log());
            assertEquals(fresh, Served.graphql(second.port, SnapshotDocuments.everything(END, true)));
            assertEquals(0.0, Served.metric(second.port, "dagscope_snapshots_written_total"),
                    "nothing new to write yet: it started from a snapshot and the interval has not passed");
            assertEquals(0.0, Served.metric(second.port, "dagscope_snapshot_failures_total"));
            second.stopCleanly();
            assertTrue(second.log().contains("snapshot snapshot-"), "a last snapshot on a clean stop");
        }
    }

    private static long eventsReadByAFreshRead(Path events, Path state) {
        JsonNode sources = CliRun.run("query", "--compact", "--events", events.toString(), "--state",
                state.toString(), "{ sources { eventsRead } }").data().get("sources");
        long n = 0;
        for (JsonNode s : sources) {
            n += s.get("eventsRead").asLong();
        }
        return n;
    }

    private static long read(int port) {
        try {
            return Served.eventsRead(port);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<List<String>> thirds(List<String> lines) {
        int a = lines.size() / 3;
        int b = 2 * lines.size() / 3;
        return List.of(lines.subList(0, a), lines.subList(a, b), lines.subList(b, lines.size()));
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
