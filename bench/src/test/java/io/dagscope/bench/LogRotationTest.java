package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {

    @TempDir
    Path dir;

    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                    return new String(gz.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
            }
        }
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void rotationsKeepEveryLineWrittenOnceInTheOrderOfTheFilesLogrotateNames() throws Exception {
        StringBuilder events = new StringBuilder();
        StringBuilder state = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            events.append("{\"timestamp\": \"2026-01-05T00:").append(String.format("%02d:%02d", i / 60, i % 60))
                    .append("+00:00\", \"event\": \"task_start\", \"n\": ").append(i).append("}\n");
            if (i % 3 == 0) {
                state.append("{\"event\": \"run_started\", \"n\": ").append(i).append(", \"timestamp\": "
                        + "\"2026-01-05T00:").append(String.format("%02d:%02d", i / 60, i % 60)).append("+00:00\"}\n");
            }
        }
        Path genEvents = Files.writeString(dir.resolve("gen-events.jsonl"), events);
        Path genState = Files.writeString(dir.resolve("gen-state.jsonl"), state);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("orchestrator_events.jsonl");
        Path stateLog = logs.resolve("orchestrator_state.jsonl");
        List<Boolean> compressed = new ArrayList<>();
        try (MergedLines lines = new MergedLines(genEvents, genState, log, stateLog)) {
            lines.append(60);
            for (int r = 0; r < 4; r++) {
                compressed.add(LogRotation.shiftAndCompress(log));
                LogRotation.shiftAndCompress(stateLog);
                LogRotation.renameAway(log);
                LogRotation.renameAway(stateLog);
                // a writer that has not reopened yet still writes to the renamed file
                lines.append(7);
                assertEquals(List.of("orchestrator_events.jsonl.1"), names(LogRotation.files(log)).subList(
                        names(LogRotation.files(log)).size() - 1, names(LogRotation.files(log)).size()));
                lines.reopen();
                lines.append(50);
            }
            lines.append(1000);
            assertEquals(true, lines.exhausted());
        }
        assertEquals(List.of(false, true, true, true), compressed);
        assertEquals(List.of("orchestrator_events.jsonl.4.gz", "orchestrator_events.jsonl.3.gz",
                "orchestrator_events.jsonl.2.gz", "orchestrator_events.jsonl.1", "orchestrator_events.jsonl"),
                names(LogRotation.files(log)));
        StringBuilder all = new StringBuilder();
        for (Path f : LogRotation.files(log)) {
            all.append(read(f));
        }
        assertEquals(events.toString(), all.toString());
        StringBuilder allState = new StringBuilder();
        for (Path f : LogRotation.files(stateLog)) {
            allState.append(read(f));
        }
        assertEquals(state.toString(), allState.toString());
        try (var files = Files.list(logs)) {
            assertEquals(10, files.count(), "no plain file is left beside its compressed copy");
        }
    }
}
