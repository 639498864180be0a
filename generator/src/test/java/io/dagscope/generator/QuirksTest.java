package io.dagscope.generator;

import static io.dagscope.generator.GeneratedLogs.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.CronSchedule;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitions;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every quirk of the real orchestrator that consumers must cope with is in the generated logs, counted. */
class QuirksTest {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Test
    void oldRunnerLogsHaveNaiveTimestampsRetriesFailuresAndSameSecondOverlaps() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.OLD);
        List<JsonNode> runner = logs.runnerLines();
        long naive = runner.stream().filter(n -> !n.get("timestamp").asText().contains("+")).count();
        assertEquals(runner.size(), naive, "every old runner timestamp is naive");
        assertTrue(logs.stateLines().stream().allMatch(n -> n.get("timestamp").asText().endsWith("+00:00")),
                "while the old state store writes +00:00");
        assertTrue(count(runner, "task_retry") > 100, "retries: " + count(runner, "task_retry"));
        assertTrue(count(runner, "task_fail") > 10, "failures: " + count(runner, "task_fail"));
        assertEquals(Set.of("success", "failed"), logs.stateLines().stream().filter(n -> n.has("status"))
                .map(n -> n.get("status").asText()).collect(Collectors.toSet()), "the old scheduler retries no job");

        Map<String, Set<String>> tenantsBySecond = new HashMap<>();
        for (JsonNode n : runner) {
            if (n.get("event").asText().equals("dag_start")) {
                tenantsBySecond.computeIfAbsent(n.get("dag_name").asText() + "@" + n.get("timestamp").asText()
                        .substring(0, 19), k -> new HashSet<>()).add(n.get("tenant").asText());
            }
        }
        long overlaps = tenantsBySecond.values().stream().filter(s -> s.size() > 1).count();
        assertTrue(overlaps > 24, "one DAG started for two tenants in the same second: " + overlaps);
    }

    @Test
    void newLogsHaveCheckpointsPendingApprovedExpiredAndResumedTwice() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        List<JsonNode> runner = logs.runnerLines();
        List<JsonNode> state = logs.stateLines();
        Map<String, Integer> approvals = new HashMap<>();
        Map<String, Integer> dones = new HashMap<>();
        Set<String> paused = new TreeSet<>();
        for (JsonNode n : runner) {
            String run = n.get("dag_run_id").asText();
            switch (n.get("event").asText()) {
                case "checkpoint_pending" -> paused.add(run);
                case "checkpoint_approved" -> approvals.merge(run, 1, Integer::sum);
                case "dag_done" -> dones.merge(run, 1, Integer::sum);
                default -> { }
            }
        }
        Set<String> expired = new HashSet<>();
        for (JsonNode n : state) {
            if (n.get("event").asText().equals("checkpoint_expired")) {
                expired.add(n.get("dag_run_id").asText());
                assertEquals(n.get("dag_run_id").asText() + "_" + n.get("task_id").asText(),
                        n.get("checkpoint_id").asText());
            }
        }
        long stillPending = paused.stream().filter(r -> !approvals.containsKey(r) && !expired.contains(r)).count();
        long resumedTwice = approvals.entrySet().stream().filter(e -> e.getValue() == 2).count();
        long twoDone = dones.values().stream().filter(v -> v == 2).count();

        assertTrue(paused.size() > 40, "paused runs: " + paused.size());
        assertTrue(approvals.size() > 20, "approved runs: " + approvals.size());
        assertTrue(expired.size() >= 3, "expired: " + expired.size());
        assertTrue(paused.containsAll(expired), "only paused runs expire");
        assertTrue(expired.stream().noneMatch(approvals::containsKey), "an expired run was never approved");
        assertTrue(stillPending > 0, "never approved nor expired (rejected, or pending at the end): " + stillPending);
        assertTrue(resumedTwice > 0 && twoDone > 0, "resumed twice: " + resumedTwice + ", two dag_done: " + twoDone);
        assertEquals(count(runner, "checkpoint_pending"), count(state, "resume_token"),
                "a resume_token in the state log for every pause");
    }

    @Test
    void aResumedRunsDagDoneCoversOnlyTheTimeSinceTheResume() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        Map<String, Instant> approvedAt = new HashMap<>();
        int checked = 0;
        for (JsonNode n : logs.runnerLines()) {
            String run = n.get("dag_run_id").asText();
            Instant at = instant(n.get("timestamp").asText());
            if (n.get("event").asText().equals("checkpoint_approved")) {
                approvedAt.put(run, at);
            } else if (n.get("event").asText().equals("dag_done") && approvedAt.containsKey(run)) {
                double sinceResume = (LogGenerator.micros(at) - LogGenerator.micros(approvedAt.get(run))) / 1e6;
                double duration = n.get("duration_seconds").asDouble();
                assertTrue(duration <= sinceResume && duration > sinceResume - 0.01,
                        "dag_done " + duration + " s after a resume " + sinceResume + " s earlier");
                checked++;
            }
        }
        assertTrue(checked > 20, "resumed runs that finished: " + checked);
    }

    @Test
    void jobRetriesStartANewRunWithoutANewEnqueue() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        Map<String, Integer> enqueues = new HashMap<>();
        Map<String, Integer> starts = new HashMap<>();
        Map<String, Integer> retries = new HashMap<>();
        for (JsonNode n : logs.stateLines()) {
            String job = n.path("job_id").asText();
            switch (n.get("event").asText()) {
                case "schedule_enqueued" -> enqueues.merge(job, 1, Integer::sum);
                case "run_started" -> starts.merge(job, 1, Integer::sum);
                case "run_finished" -> {
                    if (n.get("status").asText().equals("retry")) {
                        retries.merge(job, 1, Integer::sum);
                        assertTrue(n.get("error").asText().startsWith("Task '"), "wrapped error: " + n);
                        assertTrue(n.get("attempts").asInt() >= 2, "attempts off by one: " + n);
                    }
                }
                default -> { }
            }
        }
        assertTrue(retries.size() > 50, "retried jobs: " + retries.size());
        for (Map.Entry<String, Integer> e : retries.entrySet()) {
            assertEquals(1, enqueues.get(e.getKey()), "one enqueue for retried job " + e.getKey());
            int jobStarts = starts.get(e.getKey());
            // the retry's own start may fall after the end of the logs
            assertTrue(jobStarts == e.getValue() + 1 || jobStarts == e.getValue(),
                    "a run_started for every attempt of job " + e.getKey());
        }
        long runStarted = count(logs.stateLines(), "run_started");
        assertTrue(runStarted > count(logs.stateLines(), "schedule_enqueued"), "more starts than enqueues");
        long scheduledDagStarts = logs.runnerLines().stream().filter(n -> n.get("event").asText().equals("dag_start")
                && !n.get("dag_name").asText().equals(DagCatalog.CHECKPOINT_DAG)).count();
        assertEquals(runStarted, scheduledDagStarts, "every start of a job, retries too, is a new run");
        Set<String> runIds = new HashSet<>();
        logs.runnerLines().stream().filter(n -> n.get("event").asText().equals("dag_start"))
                .forEach(n -> assertTrue(runIds.add(n.get("dag_run_id").asText()), "a reused dag_run_id"));
    }

    @Test
    void someRunsCrashAndNeverEnd() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        Instant hourBeforeEnd = GeneratedLogs.END.minusSeconds(3600);
        Map<String, Integer> starts = new HashMap<>();
        Map<String, Integer> finishes = new HashMap<>();
        Map<String, Instant> lastStart = new HashMap<>();
        for (JsonNode n : logs.stateLines()) {
            String job = n.path("job_id").asText();
            if (n.get("event").asText().equals("run_started")) {
                starts.merge(job, 1, Integer::sum);
                lastStart.put(job, instant(n.get("timestamp").asText()));
            } else if (n.get("event").asText().equals("run_finished")) {
                finishes.merge(job, 1, Integer::sum);
            }
        }
        long crashed = starts.entrySet().stream()
                .filter(e -> e.getValue() > finishes.getOrDefault(e.getKey(), 0))
                .filter(e -> lastStart.get(e.getKey()).isBefore(hourBeforeEnd))
                .count();
        assertTrue(crashed > 10, "jobs started over an hour before the end that never finished: " + crashed);
        assertTrue(crashed < starts.size() / 100, "but few: " + crashed + " of " + starts.size());
    }

    @Test
    void errorsSpanLinesAndQuoteIdsAndNumbers() {
        GeneratedLogs logs = GeneratedLogs.of(LogFormat.NEW);
        List<String> errors = logs.runnerLines().stream().filter(n -> n.has("error")).map(n -> n.get("error")
                .asText()).toList();
        assertTrue(errors.stream().filter(e -> e.contains("\n")).count() > 20, "errors with \\n");
        assertTrue(errors.stream().filter(e -> e.contains("\t")).count() > 10, "errors with \\t");
        assertTrue(errors.stream().anyMatch(e -> e.matches("'[a-z_@.A-Z]+'")), "a KeyError's quoted key");
        assertTrue(errors.stream().anyMatch(e -> e.matches(".*\\d{3,}.*")), "numbers");
        assertTrue(new HashSet<>(errors).size() > 50, "distinct errors: " + new HashSet<>(errors).size());
    }

    @Test
    void someCronSlotsAreNeverEnqueuedAndEveryEnqueueIsACronSlot() throws IOException {
        for (LogFormat format : LogFormat.values()) {
            GeneratedLogs logs = GeneratedLogs.of(format);
            ScheduleDefinitions defs = ScheduleDefinitionsReader.read(logs.dir.resolve(LogGenerator.SCHEDULES_DIR));
            CronParser cron = CronParsers.unix();
            Map<String, Set<Long>> enqueued = new HashMap<>();
            Map<String, Long> firstEvent = new HashMap<>();
            for (JsonNode n : logs.stateLines()) {
                if (!n.has("schedule_id")) {
                    continue;
                }
                String id = n.get("schedule_id").asText();
                firstEvent.putIfAbsent(id, instant(n.get("timestamp").asText()).getEpochSecond() / 60);
                if (n.get("event").asText().equals("schedule_enqueued")) {
                    long minute = LocalDateTime.parse(n.get("minute").asText(), MINUTE).toEpochSecond(ZoneOffset.UTC)
                            / 60;
                    assertTrue(enqueued.computeIfAbsent(id, k -> new HashSet<>()).add(minute),
                            "one enqueue per slot: " + n);
                }
            }
            long lastMinute = GeneratedLogs.END.getEpochSecond() / 60 - 10;
            long missed = 0;
            long slots = 0;
            for (ScheduleDefinition d : defs.definitions()) {
                Set<Long> minutes = enqueued.getOrDefault(d.id(), Set.of());
                if (!d.enabled()) {
                    assertEquals(Set.of(), minutes, "a disabled schedule is never enqueued: " + d.id());
                    continue;
                }
                CronSchedule schedule = cron.parse(d.cron().orElseThrow());
                for (long m : minutes) {
                    assertTrue(schedule.matches(m), d.id() + " enqueued outside its cron at minute " + m);
                }
                Long from = firstEvent.get(d.id());
                for (long m = from == null ? lastMinute : from; m <= lastMinute; m++) {
                    if (schedule.matches(m)) {
                        slots++;
                        if (!minutes.contains(m)) {
                            missed++;
                        }
                    }
                }
            }
            assertTrue(missed > 5 && missed < slots / 50, format + ": missed " + missed + " of " + slots + " slots");
        }
    }

    static Instant instant(String isoTimestamp) {
        String t = isoTimestamp.endsWith("+00:00") ? isoTimestamp.substring(0, isoTimestamp.length() - 6)
                : isoTimestamp;
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
}
