package io.dagscope.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.schedules.CronParsers;
import io.dagscope.schedules.ScheduleDefinitions;
import io.dagscope.schedules.ScheduleDefinitionsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schedule and DAG files read with the product's reader, and agree with the logs. */
class ConfigFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void scheduleDefinitionsReadWithoutProblemsAndCoverEveryScheduleInTheLog(LogFormat format) throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(format);
        ScheduleDefinitions defs = ScheduleDefinitionsReader.read(logs.dir.resolve(LogGenerator.SCHEDULES_DIR));

        assertEquals(List.of(), defs.problems());
        assertEquals(logs.report.schedules(), defs.definitions().size());
        Set<String> tenants = new HashSet<>();
        for (ScheduleDefinition d : defs.definitions()) {
            CronParsers.unix().parse(d.cron().orElseThrow());
            assertTrue(Files.isRegularFile(logs.dir.resolve(d.dagPath().orElseThrow())), "no file " + d.dagPath());
            tenants.add(d.tenant().orElseThrow());
        }
        assertEquals(GeneratorOptions.DEFAULT_TENANTS, tenants.size(), "every tenant has schedules");
        assertEquals(1, defs.definitions().stream().filter(d -> !d.enabled()).count(), "one switched-off schedule");
        for (JsonNode n : logs.stateLines()) {
            if (n.has("schedule_id")) {
                ScheduleDefinition d = defs.find(n.get("schedule_id").asText()).orElseThrow();
                assertEquals(d.dagPath().orElseThrow(), n.get("dag_path").asText());
                assertEquals(d.tenant().orElseThrow(), n.get("tenant").asText());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void dagFilesDeclareTheTasksTheRunnerLogs(LogFormat format) throws IOException {
        GeneratedLogs logs = GeneratedLogs.of(format);
        Map<String, Map<String, String>> workflowsByDag = new HashMap<>();
        try (Stream<Path> files = Files.list(logs.dir.resolve(LogGenerator.DAGS_DIR))) {
            for (Path f : files.toList()) {
                JsonNode dag = YAML.readTree(f.toFile());
                Map<String, String> tasks = new HashMap<>();
                for (JsonNode t : dag.get("tasks")) {
                    tasks.put(t.get("id").asText(), t.path("workflow_ref").asText("(checkpoint)"));
                    for (JsonNode dep : t.get("depends_on")) {
                        assertTrue(tasks.containsKey(dep.asText()), "tasks come after what they depend on: " + f);
                    }
                }
                assertTrue(tasks.size() >= 2 && tasks.size() <= 8, f + " has " + tasks.size() + " tasks");
                assertEquals(f.getFileName().toString(), dag.get("name").asText() + ".yaml");
                workflowsByDag.put(dag.get("name").asText(), tasks);
            }
        }
        assertEquals(GeneratorOptions.DEFAULT_DAGS, workflowsByDag.size());
        assertEquals(format == LogFormat.NEW, workflowsByDag.containsKey(DagCatalog.CHECKPOINT_DAG),
                "the checkpoint DAG only in the new format");
        for (JsonNode n : logs.runnerLines()) {
            Map<String, String> tasks = workflowsByDag.get(n.get("dag_name").asText());
            switch (n.get("event").asText()) {
                case "dag_start" -> assertEquals(tasks.size(), n.get("task_count").asInt());
                case "task_start" -> assertEquals(tasks.get(n.get("task_id").asText()),
                        n.get("workflow_ref").asText());
                case "checkpoint_pending" -> assertEquals("(checkpoint)", tasks.get(n.get("task_id").asText()));
                default -> assertTrue(tasks != null);
            }
        }
    }
}
