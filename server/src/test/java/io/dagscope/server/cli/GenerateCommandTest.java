package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import io.dagscope.server.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dagscope generate} writes logs that the real engine, through {@code dagscope query}, reads in full. */
class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2025-10-20T13:55:00Z";
    private static final String END = "2025-10-22T13:55:00Z";

    @TempDir
    Path tmp;

    /** What one run of the command line printed, and its exit status. */
    private record Result(int status, String out, String err) {
    }

    private static Result dagscope(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(argv, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode query(Path dir, String document) throws IOException {
        Result r = dagscope("query", "--events", dir.resolve("orchestrator_events.jsonl").toString(), "--state",
                dir.resolve("orchestrator_state.jsonl").toString(), "--schedules",
                dir.resolve("configs/schedules").toString(), "--end", END, "--compact", document);
        assertEquals(0, r.status(), r.err() + r.out());
        return JSON.readTree(r.out()).get("data");
    }

    private static final String EVERYTHING = "{ schedules(window: {hours: 48}) { id enqueued missedRuns retried }"
            + " running: dagRuns(first: 0, filter: {statuses: [RUNNING]}) { totalCount }"
            + " paused: dagRuns(first: 0, filter: {statuses: [PAUSED]}) { totalCount }"
            + " succeeded: dagRuns(first: 0, filter: {statuses: [SUCCEEDED]}) { totalCount }"
            + " failed: dagRuns(first: 0, filter: {statuses: [FAILED]}) { totalCount }"
            + " tenantLoad(window: {hours: 48}) { tenant runs }"
            + " sources { name eventsRead linesSkipped ignored } }";

    @Test
    void newFormatLogsLoadWithEveryScheduleAndRunsInEveryStatus() throws IOException {
        Path dir = tmp.resolve("new");
        Result gen = dagscope("generate", "--out", dir.toString(), "--start", START, "--days", "2", "--seed", "11",
                "--rate", "60");
        assertEquals(0, gen.status(), gen.err());
        assertTrue(gen.out().startsWith("Wrote "), gen.out());
        assertTrue(gen.out().contains("dagscope summary --events " + dir.resolve("orchestrator_events.jsonl")),
                gen.out());

        JsonNode data = query(dir, EVERYTHING);
        Set<String> defined = ScheduleDefinitionsReader.read(dir.resolve("configs/schedules")).definitions().stream()
                .map(ScheduleDefinition::id).collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = new TreeSet<>();
        int missed = 0;
        long retried = 0;
        for (JsonNode s : data.get("schedules")) {
            listed.add(s.get("id").asText());
            missed += s.get("missedRuns").asInt();
            retried += s.get("retried").asLong();
        }
        assertEquals(defined, listed, "every defined schedule is listed, and no other");
        assertTrue(missed > 0, "missed cron slots: " + missed);
        assertTrue(retried > 0, "job retries: " + retried);
        for (String status : List.of("running", "paused", "succeeded", "failed")) {
            assertTrue(data.get(status).get("totalCount").asLong() > 0, "runs " + status);
        }
        assertEquals(5, data.get("tenantLoad").size(), "every tenant has load");
        for (JsonNode source : data.get("sources")) {
            assertEquals(0, source.get("linesSkipped").asLong(), source.toString());
            assertTrue(source.get("eventsRead").asLong() > 10_000, source.toString());
        }
        assertTrue(data.get("sources").get(1).get("ignored").asLong() > 0, "resume_token lines are ignored");
    }

    @Test
    void oldFormatLogsLoadWithoutASkippedLine() throws IOException {
        Path dir = tmp.resolve("old");
        Result gen = dagscope("generate", "--out", dir.toString(), "--format", "old", "--start", START, "--days", "2",
                "--rate", "40", "--tenants", "3", "--dags", "5");
        assertEquals(0, gen.status(), gen.err());

        JsonNode data = query(dir, EVERYTHING);
        assertEquals(ScheduleDefinitionsReader.read(dir.resolve("configs/schedules")).definitions().size(),
                data.get("schedules").size());
        assertEquals(0, data.get("paused").get("totalCount").asLong(), "the old runner has no checkpoints");
        for (String status : List.of("running", "succeeded", "failed")) {
            assertTrue(data.get(status).get("totalCount").asLong() > 0, "runs " + status);
        }
        for (JsonNode source : data.get("sources")) {
            assertEquals(0, source.get("linesSkipped").asLong(), source.toString());
            assertEquals(0, source.get("ignored").asLong(), source.toString());
        }
        assertEquals(3, data.get("tenantLoad").size());
    }

    @Test
    void eventsGivesThatManyLines() throws IOException {
        Path dir = tmp.resolve("n");
        Result gen = dagscope("generate", "--out", dir.toString(), "--events", "5000", "--start", START);
        assertEquals(0, gen.status(), gen.err());
        assertTrue(gen.out().startsWith("Wrote 5,000 lines (new format, seed 42)"), gen.out());
        long lines = 0;
        for (String log : List.of("orchestrator_events.jsonl", "orchestrator_state.jsonl")) {
            try (var s = Files.lines(dir.resolve(log))) {
                lines += s.count();
            }
        }
        assertEquals(5000, lines);
    }

    @Test
    void theSameArgumentsGiveTheSameFiles() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            Path dir = tmp.resolve(name);
            assertEquals(0, dagscope("generate", "--out", dir.toString(), "--start", START, "--days", "0.2", "--seed",
                    "5", "--format", "old").status());
            dirs.add(dir);
        }
        for (String file : List.of("orchestrator_events.jsonl", "orchestrator_state.jsonl")) {
            assertArrayEquals(Files.readAllBytes(dirs.get(0).resolve(file)), Files.readAllBytes(dirs.get(1)
                    .resolve(file)), file);
        }
    }

    @Test
    void anEarlierGenerationIsReplacedOnlyWithForce() {
        String out = tmp.resolve("again").toString();
        assertEquals(0, dagscope("generate", "--out", out, "--days", "0.05", "--start", START).status());
        Result again = dagscope("generate", "--out", out, "--days", "0.05", "--start", START);
        assertEquals(2, again.status());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(0, dagscope("generate", "--out", out, "--days", "0.05", "--start", START, "--force").status());
    }

    @Test
    void badOptionsAreUsageErrorsThatNameTheFlag() {
        String out = tmp.resolve("bad").toString();
        assertUsage("--out DIR is required", "generate", "--days", "1");
        assertUsage("give --events or --days, not both", "generate", "--out", out, "--days", "1", "--events", "9");
        assertUsage("--format must be old or new; got 'xml'", "generate", "--out", out, "--format", "xml");
        assertUsage("--tenants must be from 1 to", "generate", "--out", out, "--tenants", "0");
        assertUsage("--tenants must be a whole number", "generate", "--out", out, "--tenants", "many");
        assertUsage("--rate must be above 0", "generate", "--out", out, "--rate", "-3");
        assertUsage("--days must be a number", "generate", "--out", out, "--days", "two");
        assertUsage("--start must be an ISO-8601 instant", "generate", "--out", out, "--start", "yesterday");
        assertUsage("--events must be at least 1", "generate", "--out", out, "--events", "0");
        assertUsage("more than 3,660: give a higher --rate", "generate", "--out", out, "--events", "99000000",
                "--rate", "1");
        assertTrue(Files.notExists(tmp.resolve("bad")), "nothing written for a bad command line");
    }

    @Test
    void helpListsEveryFlag() {
        Result help = dagscope("generate", "--help");
        assertEquals(0, help.status());
        for (String flag : List.of("--out DIR", "--events N", "--days N", "--tenants N", "--dags N",
                "--format old|new", "--seed S", "--start ISO-8601", "--rate EVENTS_PER_MINUTE", "--force")) {
            assertTrue(help.out().contains(flag), flag + " in\n" + help.out());
        }
        assertTrue(dagscope("--help").out().contains("generate"), "listed among the commands");
    }

    private static void assertUsage(String expected, String... argv) {
        Result r = dagscope(argv);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(expected), "'" + expected + "' in: " + r.err());
    }
}
