package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileOrderAndTargetTest {

    @ParameterizedTest
    @CsvSource({
        "x.jsonl, '', x.jsonl, 0",
        "x.jsonl.1, '', x.jsonl, 1",
        "x.jsonl.12.gz, '', x.jsonl, 12",
        "x.jsonl.GZ, '', x.jsonl, 0",
        "logs/x.jsonl.3, logs, x.jsonl, 3",
        "events-2025-10-20.jsonl, '', events-2025-10-20.jsonl, 0",
        ".1, '', .1, 0",
        "x.jsonl.1a, '', x.jsonl.1a, 0",
        "x.1234567890123456789, '', x.1234567890123456789, 0",
    })
    void theStemDropsGzipAndTheRotationNumber(String path, String directory, String stem, long rotation) {
        LogFileOrder o = LogFileOrder.of(path);
        assertEquals(directory, o.directory());
        assertEquals(stem, o.stem());
        assertEquals(rotation, o.rotation());
    }

    @Test
    void ordersHigherRotationNumbersFirstAndTheBareNameLast() {
        List<String> expected = List.of("a/x.jsonl", "b/events.2025-10-19.jsonl", "b/x.jsonl.10", "b/x.jsonl.9.gz",
                "b/x.jsonl.2.gz", "b/x.jsonl.1", "b/x.jsonl", "b/y.jsonl.1", "b/y.jsonl");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new java.util.Random(303));
        List<LogFileOrder> orders = new ArrayList<>();
        shuffled.forEach(s -> orders.add(LogFileOrder.of(s)));
        orders.sort(LogFileOrder.OLDEST_FIRST);
        List<String> names = new ArrayList<>();
        orders.forEach(o -> names.add((o.directory().isEmpty() ? "" : o.directory() + "/") + o.name()));
        assertEquals(expected, names);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "logs/orchestrator_events.jsonl | logs/orchestrator_events.jsonl | false",
        "logs/*.jsonl | logs | true",
        "/var/log/orch/events.jsonl* | /var/log/orch | true",
        "/*.jsonl | / | true",
        "*.jsonl | . | true",
        "logs/{a,b}/x.jsonl | logs | true",
        "logs/2025-??/x.jsonl | logs | true",
        "logs/[ab].jsonl | logs | true",
        "logs/**/x.jsonl | logs | true",
    })
    void aGlobIsMatchedUnderItsLongestGlobFreeDirectory(String target, String base, boolean glob) {
        FileTarget t = FileTarget.parse(target);
        assertEquals(Path.of(base), t.base());
        assertEquals(glob, t.isGlob());
        assertEquals(target, t.toString());
    }

    @Test
    void aPathWithoutGlobCharactersIsOneFile() {
        assertFalse(FileTarget.parse("logs/orchestrator_events.jsonl").isGlob());
        assertTrue(FileTarget.parse("logs/orchestrator_events.jsonl*").isGlob());
    }
}
