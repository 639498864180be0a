package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.out.ScheduleDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleDefinitionsReaderTest {

    /** Surefire runs in the module's directory; the samples are the repository's fixtures. */
    private static final Path SAMPLES = Path.of("..", "fixtures", "samples");

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<String> ids(ScheduleDefinitions read) {
        return read.definitions().stream().map(ScheduleDefinition::id).collect(Collectors.toList());
    }

    @Test
    void readsTheHeadSamplesSchedules() throws IOException {
        Path schedules = SAMPLES.resolve("head/configs/schedules");
        ScheduleDefinitions read = ScheduleDefinitionsReader.read(schedules);

        assertEquals(List.of(), read.problems());
        assertEquals(List.of(
                new ScheduleDefinition("acme_ops_sync", Optional.of("*/5 * * * *"),
                        Optional.of("configs/dags/ops_sync.yaml"), Optional.of("acme-corp"), true,
                        schedules.resolve("acme_ops_sync.yaml").toString()),
                new ScheduleDefinition("initech_hourly_digest", Optional.of("0 * * * *"),
                        Optional.of("configs/dags/data_digest.yaml"), Optional.of("initech"), true,
                        schedules.resolve("initech_digest.hourly.yaml").toString()),
                new ScheduleDefinition("umbrella_nightly_rollup", Optional.of("30 2 * * *"),
                        Optional.of("configs/dags/nightly_rollup.yaml"), Optional.of("umbrella"), true,
                        schedules.resolve("umbrella_nightly.yaml").toString()),
                new ScheduleDefinition("weekly_ops_chain", Optional.of("*/5 * * * *"),
                        Optional.of("configs/dags/weekly_ops_chain.min.yaml"), Optional.of("local-dev"), true,
                        schedules.resolve("weekly_ops.every5m.yaml").toString())),
                read.definitions());
    }

    @Test
    void readsTheLegacySamplesSchedulesIncludingTwoFromOneFile() throws IOException {
        Path schedules = SAMPLES.resolve("legacy-27c/configs/schedules");
        ScheduleDefinitions read = ScheduleDefinitionsReader.read(schedules);

        assertEquals(List.of(), read.problems());
        assertEquals(List.of("acme_crm_sync", "initech_data_digest", "umbrella_nightly_rollup", "globex_weekly_ops",
                "initech_weekly_ops"), ids(read));
        ScheduleDefinition globex = read.find("globex_weekly_ops").orElseThrow();
        ScheduleDefinition initech = read.find("initech_weekly_ops").orElseThrow();
        assertEquals(globex.origin(), initech.origin());
        assertTrue(globex.origin().endsWith("weekly_ops.hourly.yaml"));
        assertEquals(Optional.of("15 * * * *"), initech.cron());
        assertEquals(Optional.of("initech"), initech.tenant());
        assertEquals(Optional.of("globex"), globex.tenant());
        assertEquals(Optional.of("configs/dags/weekly_ops_chain.min.yaml"), globex.dagPath());
        assertEquals(Optional.of("0 3 * * *"), read.find("umbrella_nightly_rollup").orElseThrow().cron());
        assertEquals(Optional.of("*/30 * * * *"), read.find("acme_crm_sync").orElseThrow().cron());
        assertEquals(Optional.of("45 * * * *"), read.find("initech_data_digest").orElseThrow().cron());
    }

    @Test
    void everySampleCronParses() throws IOException {
        for (String sample : List.of("head", "legacy-27c")) {
            for (ScheduleDefinition d : ScheduleDefinitionsReader.read(SAMPLES.resolve(sample + "/configs/schedules"))
                    .definitions()) {
                CronParsers.unix().parse(d.cron().orElseThrow());
            }
        }
    }

    @Test
    void readsASingleFileWhateverItsName() throws IOException {
        Path file = write("schedules.txt", "- id: a\n  cron: '0 * * * *'\n  dag: d.yaml\n");
        ScheduleDefinitions read = ScheduleDefinitionsReader.read(file);
        assertEquals(List.of("a"), ids(read));
        assertEquals(file.toString(), read.definitions().get(0).origin());
    }

    @Test
    void theFirstDefinitionOfAnIdInFileNameOrderWins() throws IOException {
        write("b.yaml", "- {id: shared, cron: '0 1 * * *', dag: from-b.yaml}\n");
        write("a.yml", "- {id: shared, cron: '0 2 * * *', dag: from-a.yaml}\n- {id: shared, cron: '0 3 * * *', dag: x}\n");
        write("c.yaml", "- {id: other, cron: '0 4 * * *', dag: from-c.yaml}\n");

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("shared", "other"), ids(read));
        assertEquals(Optional.of("from-a.yaml"), read.find("shared").orElseThrow().dagPath());
        assertEquals(List.of(
                dir.resolve("a.yml") + ", entry 2 (id \"shared\"): id already defined in " + dir.resolve("a.yml")
                        + ", entry 1; this one is ignored",
                dir.resolve("b.yaml") + ", entry 1 (id \"shared\"): id already defined in " + dir.resolve("a.yml")
                        + ", entry 1; this one is ignored"),
                read.problems());
    }

    @Test
    void aBrokenFileIsReportedAndTheOthersStillLoad() throws IOException {
        write("a.yaml", "- {id: first, cron: '0 1 * * *', dag: a.yaml}\n");
        write("b.yaml", "- id: broken\n  cron: */5 * * * *\n");
        write("c.yaml", "- {id: last, cron: '0 4 * * *', dag: c.yaml}\n");

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("first", "last"), ids(read));
        assertEquals(1, read.problems().size());
        String problem = read.problems().get(0);
        assertTrue(problem.startsWith(dir.resolve("b.yaml") + ": not valid YAML: while scanning an alias"), problem);
        assertTrue(problem.endsWith("(line 2, column 10); a value that starts with * must be quoted, as in cron: "
                + "\"*/5 * * * *\"; skipped"), problem);
        assertFalse(problem.contains("\n"), problem);
    }

    @Test
    void entriesWithoutAnIdOrThatAreNotMappingsAreReportedWithTheirPosition() throws IOException {
        write("s.yaml", String.join("\n",
                "# two good, three bad",
                "- id: good",
                "  cron: \"0 9 * * 1-5\"",
                "  dag: d.yaml",
                "- cron: \"0 10 * * *\"   # no id",
                "  dag: d.yaml",
                "- just a string",
                "- id: also_good",
                "  cron: 0 11 * * *",
                "  dag: 'd.yaml'",
                "- id: [not, scalar]",
                ""));

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("good", "also_good"), ids(read));
        assertEquals(Optional.of("0 11 * * *"), read.find("also_good").orElseThrow().cron());
        Path file = dir.resolve("s.yaml");
        assertEquals(List.of(
                file + ", entry 2: no id; skipped",
                file + ", entry 3: expected a mapping with an id but found the value \"just a string\"; skipped",
                file + ", entry 5: id must be a single value but is a list; skipped"),
                read.problems());
    }

    @Test
    void valuesMayBeQuotedOrNotAndOtherKeysAreIgnored() throws IOException {
        write("s.yaml", String.join("\n",
                "- id: 'quoted'",
                "  cron: \"15 * * * *\"",
                "  dag: \"configs/dags/x.yaml\"",
                "  tenant: 'acme'",
                "  max_retries: 3",
                "  enabled: false",
                "- id: 42",
                "  cron: 0 0 1 1 *",
                "  dag: configs/dags/y.yaml",
                ""));

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of(), read.problems());
        String origin = dir.resolve("s.yaml").toString();
        assertEquals(new ScheduleDefinition("quoted", Optional.of("15 * * * *"), Optional.of("configs/dags/x.yaml"),
                Optional.of("acme"), false, origin), read.definitions().get(0));
        assertEquals(new ScheduleDefinition("42", Optional.of("0 0 1 1 *"), Optional.of("configs/dags/y.yaml"),
                Optional.empty(), true, origin), read.definitions().get(1));
    }

    @Test
    void enabledIsReadAsTheSchedulersPythonReadsIt() throws IOException {
        write("s.yaml", String.join("\n",
                "- {id: absent, cron: '* * * * *', dag: d}",
                "- {id: yaml_no, cron: '* * * * *', dag: d, enabled: no}",
                "- {id: yaml_off, cron: '* * * * *', dag: d, enabled: Off}",
                "- {id: yaml_true, cron: '* * * * *', dag: d, enabled: True}",
                "- {id: zero, cron: '* * * * *', dag: d, enabled: 0}",
                "- {id: empty, cron: '* * * * *', dag: d, enabled: }",
                "- {id: quoted_false, cron: '* * * * *', dag: d, enabled: 'false'}",
                ""));

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        List<String> enabled = read.definitions().stream().filter(ScheduleDefinition::enabled)
                .map(ScheduleDefinition::id).collect(Collectors.toList());
        assertEquals(List.of("absent", "yaml_true", "quoted_false"), enabled);
        Path file = dir.resolve("s.yaml");
        assertEquals(List.of(
                file + ", entry 6 (id \"empty\"): enabled is empty, which the scheduler reads as false",
                file + ", entry 7 (id \"quoted_false\"): enabled is the string \"false\", which the scheduler reads "
                        + "as true (any non-empty string is); write enabled: false without quotes"),
                read.problems());
    }

    @Test
    void anEntryWithoutCronOrDagIsKeptAndReported() throws IOException {
        write("s.yaml", "- id: bare\n");
        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);
        ScheduleDefinition bare = read.find("bare").orElseThrow();
        assertEquals(Optional.empty(), bare.cron());
        assertEquals(Optional.empty(), bare.dagPath());
        assertTrue(bare.enabled());
        Path file = dir.resolve("s.yaml");
        assertEquals(List.of(file + ", entry 1 (id \"bare\"): no cron, so the scheduler never runs it",
                file + ", entry 1 (id \"bare\"): no dag, so the scheduler cannot run it"), read.problems());
    }

    @Test
    void aFileWithOneMappingIsOneScheduleAndAnEmptyFileIsNone() throws IOException {
        write("a.yaml", "id: single\ncron: '0 0 * * *'\ndag: d.yaml\n");
        write("b.yaml", "");
        write("c.yaml", "# nothing yet\n");
        write("d.yaml", "~\n");

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("single"), ids(read));
        assertEquals(List.of(), read.problems());
    }

    @Test
    void filesThatAreNotListsOfSchedulesAreReported() throws IOException {
        write("a.yaml", "just text\n");
        write("b.yaml", "- {id: one, cron: '0 0 * * *', dag: d}\n---\n- {id: two, cron: '0 0 * * *', dag: d}\n");
        Files.write(dir.resolve("c.yaml"), new byte[] {'-', ' ', 'i', 'd', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of(), read.definitions());
        assertEquals(List.of(
                dir.resolve("a.yaml") + ": expected a list of schedules but found the value \"just text\"; skipped",
                dir.resolve("b.yaml") + ": holds more than one YAML document, which the scheduler cannot load; skipped",
                dir.resolve("c.yaml") + ": not valid UTF-8; skipped"),
                read.problems());
    }

    @Test
    void onlyYamlFilesDirectlyInTheDirectoryAreRead() throws IOException {
        write("a.yaml", "- {id: from_yaml, cron: '0 0 * * *', dag: d}\n");
        write("b.yml", "- {id: from_yml, cron: '0 0 * * *', dag: d}\n");
        write("c.yaml.bak", "- {id: from_backup, cron: '0 0 * * *', dag: d}\n");
        write("README.md", "- {id: from_readme, cron: '0 0 * * *', dag: d}\n");
        Files.createDirectory(dir.resolve("nested.yaml"));
        Files.writeString(dir.resolve("nested.yaml").resolve("x.yaml"), "- {id: nested, cron: '0 0 * * *', dag: d}\n");

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("from_yaml", "from_yml"), ids(read));
        assertEquals(List.of(), read.problems());
    }

    @Test
    void aByteOrderMarkIsDropped() throws IOException {
        write("a.yaml", "\uFEFF- {id: bom, cron: '0 0 * * *', dag: d}\n");
        assertEquals(List.of("bom"), ids(ScheduleDefinitionsReader.read(dir)));
    }

    @Test
    void aMissingPathIsAnError() {
        Path missing = dir.resolve("no-such-dir");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ScheduleDefinitionsReader.read(missing));
        assertEquals(missing + ": no schedule definitions there (no such file or directory)", e.getMessage());
    }

    @Test
    void anEmptyDirectoryHasNoDefinitionsAndNoProblems() throws IOException {
        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);
        assertEquals(List.of(), read.definitions());
        assertEquals(List.of(), read.problems());
    }

    @Test
    void aFileThatCannotBeReadIsReportedAndTheOthersStillLoad() throws IOException {
        Files.createSymbolicLink(dir.resolve("a.yaml"), dir.resolve("gone.yaml"));
        write("b.yaml", "- {id: fine, cron: '0 0 * * *', dag: d}\n");

        ScheduleDefinitions read = ScheduleDefinitionsReader.read(dir);

        assertEquals(List.of("fine"), ids(read));
        assertEquals(List.of(dir.resolve("a.yaml") + ": cannot be read (NoSuchFileException: " + dir.resolve("a.yaml")
                + "); skipped"), read.problems());
    }
}
