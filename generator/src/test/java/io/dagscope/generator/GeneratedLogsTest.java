package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.TaskEvent;
import io.dagscope.core.event.TaskFail;
import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.source.lines.decode.LineOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated logs read back with the product's own decoder, and look line for line like the real samples. */
class GeneratedLogsTest {

    private static final Path SAMPLES = Path.of("../fixtures/samples");
    private static final Pattern NAIVE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
    private static final Pattern UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");

    /** What the decoder made of a log. */
    private record Decoded(Map<LineOutcome, Integer> outcomes, List<Event> events, Map<String, Integer> ignored) {
    }

    private static Decoded decode(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);
        Map<LineOutcome, Integer> outcomes = new EnumMap<>(LineOutcome.class);
        List<Event> events = new ArrayList<>();
        Map<String, Integer> ignored = new TreeMap<>();
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                LineOutcome o = decoder.decode(bytes, from, i - from);
                outcomes.merge(o, 1, Integer::sum);
                if (o == LineOutcome.EVENT) {
                    events.add(decoder.event());
                } else if (o == LineOutcome.IGNORED) {
                    ignored.merge(decoder.eventName(), 1, Integer::sum);
                } else if (o == LineOutcome.SKIPPED) {
                    fail(file + ": skipped (" + decoder.skipReason() + "): "
                            + new String(bytes, from, i - from, StandardCharsets.UTF_8));
                }
                from = i + 1;
            }
        }
        assertEquals(bytes.length, from, file + " ends with a complete line");
        return new Decoded(outcomes, events, ignored);
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void theRealDecoderReadsEveryLineAndSkipsNone(LogFormat format) throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(format);
        Decoded runner = decode(logs.runnerLog());
        Decoded state = decode(logs.stateLog());

        assertEquals(logs.report.runnerLines(), (long) runner.outcomes().getOrDefault(LineOutcome.EVENT, 0));
        assertEquals(Map.of(LineOutcome.EVENT, (int) logs.report.runnerLines()), runner.outcomes());
        long tokens = logs.report.linesByEvent().get("resume_token");
        assertEquals(logs.report.stateLines() - tokens, (long) state.outcomes().getOrDefault(LineOutcome.EVENT, 0));
        assertEquals(tokens, (long) state.outcomes().getOrDefault(LineOutcome.IGNORED, 0));
        assertEquals(format == LogFormat.NEW ? Map.of("resume_token", (int) tokens) : Map.of(), state.ignored());
        assertTrue(logs.report.totalLines() > 100_000, "two days at 60 lines a minute: " + logs.report.totalLines());
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void linesLandInTimestampOrderWithinTheRangeAskedFor(LogFormat format) throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(format);
        long start = LogGenerator.micros(GeneratedLogs.START);
        long end = LogGenerator.micros(GeneratedLogs.END);
        for (Path file : List.of(logs.runnerLog(), logs.stateLog())) {
            long previous = Long.MIN_VALUE;
            for (Event e : decode(file).events()) {
                assertTrue(e.timestampMicros() >= previous, file + ": out of order at " + e);
                assertTrue(e.timestampMicros() >= start && e.timestampMicros() < end, "outside the range: " + e);
                previous = e.timestampMicros();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void everyLineHasAKeyOrderTheRealOrchestratorWrote(LogFormat format) {
        GeneratedLogs logs = GeneratedLogs.of(format);
        String sample = format == LogFormat.OLD ? "legacy-27c" : "head";
        Set<String> real = new HashSet<>();
        for (String log : List.of(LogGenerator.RUNNER_LOG, LogGenerator.STATE_LOG)) {
            GeneratedLogs.parse(SAMPLES.resolve(sample).resolve(log)).forEach(n -> real.add(shape(n)));
        }
        Set<String> generated = new HashSet<>();
        logs.runnerLines().forEach(n -> generated.add(shape(n)));
        logs.stateLines().forEach(n -> generated.add(shape(n)));

        Set<String> unknown = new HashSet<>(generated);
        unknown.removeAll(real);
        assertEquals(Set.of(), unknown, "shapes the real " + sample + " code never wrote");
        Set<String> missing = new HashSet<>(real);
        missing.removeAll(generated);
        assertEquals(Set.of(), missing, "shapes of the real " + sample + " logs that the generator never writes");
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void timestampsAreNaiveOnlyInTheOldRunnerLog(LogFormat format) {
        GeneratedLogs logs = GeneratedLogs.of(format);
        Pattern runnerShape = format == LogFormat.OLD ? NAIVE : UTC;
        for (JsonNode n : logs.runnerLines()) {
            String ts = n.get("timestamp").asText();
            assertTrue(runnerShape.matcher(ts).matches(), "runner timestamp " + ts);
        }
        for (JsonNode n : logs.stateLines()) {
            String ts = n.get("timestamp").asText();
            assertTrue(UTC.matcher(ts).matches(), "state timestamp " + ts);
        }
    }

    @Test
    void newFormatTaskEventsShareTheRunIdOfAnOpenRun() throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        enum Phase { OPEN, PAUSED, DONE, FAILED }
        Map<String, Phase> runs = new HashMap<>();
        Map<String, String> dagOfRun = new HashMap<>();
        int taskEvents = 0;
        int resumedTaskEvents = 0;
        Set<String> resumed = new HashSet<>();
        for (Event e : decode(logs.runnerLog()).events()) {
            RunnerEvent r = (RunnerEvent) e;
            String id = r.dagRunId();
            assertNotNull(id, "a new-format runner line without dag_run_id: " + e);
            if (e instanceof DagStart) {
                assertNull(runs.put(id, Phase.OPEN), "a second dag_start for run " + id);
                dagOfRun.put(id, r.dagName());
                continue;
            }
            Phase phase = runs.get(id);
            assertNotNull(phase, "an event before its run's dag_start: " + e);
            assertEquals(dagOfRun.get(id), r.dagName(), "a run's events name one DAG");
            if (e instanceof TaskEvent) {
                assertEquals(Phase.OPEN, phase, "a task event outside a running stretch of its run: " + e);
                taskEvents++;
                if (resumed.contains(id)) {
                    resumedTaskEvents++;
                }
                if (e instanceof TaskFail) {
                    runs.put(id, Phase.FAILED);
                }
            } else if (e instanceof CheckpointPending) {
                assertEquals(Phase.OPEN, phase);
                runs.put(id, Phase.PAUSED);
            } else if (e instanceof CheckpointApproved) {
                assertTrue(phase == Phase.PAUSED || phase == Phase.DONE, "a resume of a run that is " + phase);
                runs.put(id, Phase.OPEN);
                resumed.add(id);
            } else if (e instanceof DagDone) {
                assertEquals(Phase.OPEN, phase);
                runs.put(id, Phase.DONE);
            }
        }
        assertTrue(taskEvents > 100_000, "task events: " + taskEvents);
        assertTrue(resumedTaskEvents > 0, "task events after a resume: " + resumedTaskEvents);
    }

    @Test
    void oldFormatRunnerLinesCarryNoRunIdAndStateLinesNoJobId() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.OLD);
        assertTrue(logs.runnerLines().stream().noneMatch(n -> n.has("dag_run_id")));
        assertTrue(logs.stateLines().stream().noneMatch(n -> n.has("job_id")));
        assertTrue(logs.stateLines().stream().allMatch(n -> n.has("minute")), "minute on every state event");
    }

    @Test
    void newFormatStateLinesCarryJobIdsAndMinuteOnlyOnEnqueues() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        for (JsonNode n : logs.stateLines()) {
            String event = n.get("event").asText();
            boolean scheduler = Set.of("schedule_enqueued", "run_started", "run_finished").contains(event);
            assertEquals(scheduler, n.has("job_id"), "job_id on " + n);
            assertEquals(event.equals("schedule_enqueued"), n.has("minute"), "minute on " + n);
        }
    }

    @Test
    void theLogsAreAsciiWithNonAsciiTextEscapedAsPythonDoes() throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        byte[] bytes = Files.readAllBytes(logs.runnerLog());
        for (byte b : bytes) {
            if (b < 0x20 && b != '\n' || b >= 0x7F) {
                fail("a byte Python's json.dumps would have escaped: " + b);
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertTrue(text.contains("\\u00a0") || text.contains("\\u00fc") || text.contains("\\u00e9"),
                "some error text is escaped non-ASCII");
    }

    private static String shape(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.path("event").asText()).append(':');
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            sb.append(it.next()).append(',');
        }
        return sb.toString();
    }
}
