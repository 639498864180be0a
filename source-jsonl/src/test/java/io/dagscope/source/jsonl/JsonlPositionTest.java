package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.event.TaskStart;
import io.dagscope.source.lines.LineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JSONL source's position: taken, resumed, and refused with a reason when it cannot be resumed. */
class JsonlPositionTest {

    @TempDir
    Path dir;

    private static String line(String taskId) {
        return "{\"timestamp\": \"2025-10-20T13:55:00.000001+00:00\", \"event\": \"task_start\", "
                + "\"dag_name\": \"d\", \"task_id\": \"" + taskId + "\"}\n";
    }

    private JsonlSource source(String target) {
        return new JsonlSource("events", FileTarget.parse(target), true, 1 << 20, LineSplitter.DEFAULT_CHUNK_BYTES);
    }

    private static List<String> poll(JsonlSource s) {
        List<String> ids = new ArrayList<>();
        s.poll(e -> ids.add(((TaskStart) e).taskId()));
        return ids;
    }

    @Test
    void aResumedSourceOpensNoFileThatHasNotChangedAndReadsOnlyWhatWasAppended() throws IOException {
        Path log = dir.resolve("x.jsonl");
        Files.writeString(log, line("a") + line("b") + "{\"not json");
        Path gz = dir.resolve("x.jsonl.1.gz");
        Files.write(gz, FollowingModelTest.gzip(line("z").getBytes(StandardCharsets.UTF_8)));
        FileTime old = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(log, old);
        Files.setLastModifiedTime(gz, old);
        JsonlSource first = source(dir + "/x.jsonl*");
        assertEquals(List.of("z", "a", "b"), poll(first));
        byte[] position = first.position();
        first.close();

        JsonlSource resumed = source(dir + "/x.jsonl*");
        resumed.resume(position);
        assertEquals(3, resumed.status().eventsRead(), "the counts go on from the position's");
        assertEquals(List.of(), poll(resumed));
        assertEquals(0, resumed.filesOpened(), "unchanged files are not opened, the gzip not decompressed again");
        Files.writeString(log, "\"}\n" + line("c"), StandardOpenOption.APPEND);
        assertEquals(List.of("c"), poll(resumed));
        assertEquals(4, resumed.status().eventsRead());
        assertEquals(1, resumed.status().linesSkipped(), "the line cut at the stop is whole now, and not JSON");
        assertTrue(Arrays.equals(resumed.position(), resumed.position()), "a position is stable between polls");
    }

    @Test
    void aPositionThatCannotBeResumedIsRefusedWithItsReasonAndTheSourceReadsFromTheStart() throws IOException {
        Path log = dir.resolve("x.jsonl");
        Files.writeString(log, line("a") + line("b"));
        JsonlSource first = source(log.toString());
        poll(first);
        byte[] position = first.position();

        JsonlSource elsewhere = source(dir + "/other.jsonl");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> elsewhere.resume(position));
        assertTrue(other.getMessage().contains("another location"), other.getMessage());

        JsonlSource cut = source(log.toString());
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> cut.resume(Arrays.copyOf(position, position.length - 3)));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
        assertEquals(List.of("a", "b"), poll(cut), "a refused position changes nothing");

        byte[] newer = position.clone();
        newer[0] = (byte) (JsonlPosition.VERSION + 1);
        JsonlSource later = source(log.toString());
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class, () -> later.resume(newer));
        assertTrue(version.getMessage().contains("version"), version.getMessage());

        IllegalStateException polled = assertThrows(IllegalStateException.class, () -> first.resume(position));
        assertTrue(polled.getMessage().contains("before its first poll"), polled.getMessage());

        JsonlSource resumed = source(log.toString());
        resumed.resume(position);
        resumed.rewind();
        assertEquals(List.of("a", "b"), poll(resumed), "a rewind forgets a resumed position");
    }
}
