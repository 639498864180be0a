package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessPartsTest {

    @TempDir
    Path dir;

    @Test
    void gcLogGivesThePeakHeapInUseAtACollectionOrAtExit() throws Exception {
        Path log = Files.writeString(dir.resolve("gc.log"), String.join("\n",
                "Using Parallel",
                "GC(0) Pause Young (Allocation Failure) 16M->3M(61M) 9.750ms",
                "GC(1) Pause Young (Allocation Failure) 38M->9M(77M) 116.651ms",
                "Heap",
                " PSYoungGen      total 35328K, used 9526K [0x00000000eab00000, 0x00000000ef000000)",
                "  eden space 32768K, 21% used [0x00000000eab00000,0x00000000eb1d3ac0,0x00000000ecb00000)",
                " ParOldGen       total 44032K, used 7212K [0x00000000c0000000, 0x00000000c2b00000)",
                " Metaspace       used 13522K, committed 13696K, reserved 1114112K"));
        GcLog gc = GcLog.read(log);
        assertEquals(38L << 20, gc.peakUsedBytes());
        assertEquals(2, gc.collections());
        assertEquals(Math.max(77L << 20, (35328L + 44032L) << 10), gc.peakCommittedBytes());

        Path exitOnly = Files.writeString(dir.resolve("gc2.log"), String.join("\n", "Heap",
                " PSYoungGen      total 35328K, used 40000K [0x0)", " ParOldGen       total 44032K, used 2000K [0x0)"));
        assertEquals(42000L << 10, GcLog.read(exitOnly).peakUsedBytes());
    }

    @Test
    void theFlagsEveryModeSharesAreReadOrRefusedWithTheFlagNamed() {
        Flags f = Flags.parse(List.of("--seed", "7", "--start", "2026-02-01T00:00:00Z", "--out", "/tmp/x",
                "--threads", "1,2,4"), java.util.Set.of("seed", "start", "out", "threads"), java.util.Set.of());
        assertEquals(7, f.seed());
        assertEquals(java.time.Instant.parse("2026-02-01T00:00:00Z"), f.start());
        assertEquals(Path.of("/tmp/x"), f.outDir("decode"));
        assertEquals(List.of(1L, 2L, 4L), f.wholeNumbers("threads", "1", 1, 64));
        Flags none = Flags.parse(List.of(), java.util.Set.of("seed", "start", "out"), java.util.Set.of());
        assertEquals(Workload.DEFAULT_SEED, none.seed());
        assertEquals(Workload.DEFAULT_START, none.start());
        assertEquals(true, none.outDir("state").toString().startsWith("/tmp/dagscope-bench-state-"));
        assertEquals(List.of(1000L, 2000L), none.wholeNumbers("events", "1000,2000", 1, 10_000));
        Flags bad = Flags.parse(List.of("--start", "yesterday", "--threads", "1,99"),
                java.util.Set.of("start", "threads"), java.util.Set.of());
        assertEquals("--start must be an ISO-8601 instant such as 2026-01-05T00:00:00Z; got 'yesterday'",
                assertThrows(Flags.UsageError.class, bad::start).getMessage());
        assertEquals("--threads must be whole numbers from 1 to 64 separated by commas; got '99'",
                assertThrows(Flags.UsageError.class, () -> bad.wholeNumbers("threads", "1", 1, 64)).getMessage());
    }

    @Test
    void aLogIsCutInTwoHalvesAtALineBoundaryNearItsMiddle() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("{\"line\": ").append(i).append(", \"pad\": \"").append("x".repeat(i % 37)).append("\"}\n");
        }
        Path log = Files.writeString(dir.resolve("log.jsonl"), text);
        Path[] halves = DecodeBench.halves(log, dir);
        String first = Files.readString(halves[0]);
        String second = Files.readString(halves[1]);
        assertEquals(text.toString(), first + second);
        assertEquals('\n', first.charAt(first.length() - 1));
        assertEquals('{', second.charAt(0));
        long size = Files.size(log);
        assertEquals(true, Math.abs(first.length() - size / 2) < 100, "cut near the middle");
    }

    @Test
    void wrkOutputGivesRequestsPerSecondAndLatencyPercentiles() {
        String out = String.join("\n",
                "Running 15s test @ http://127.0.0.1:8080/graphql?query=x",
                "  2 threads and 16 connections",
                "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
                "    Latency   812.00us    1.10ms  40.12ms   95.00%",
                "  Latency Distribution",
                "     50%  520.00us",
                "     75%  800.00us",
                "     90%    1.50ms",
                "     99%    6.25ms",
                "  310000 requests in 15.00s, 120.00MB read",
                "  Socket errors: connect 0, read 2, write 0, timeout 1",
                "Requests/sec:  20666.67",
                "Transfer/sec:      8.00MB");
        HttpBench.Result r = HttpBench.parse(out, "wrk ...", 15, 16, 2, 3.5);
        assertEquals(20666.67, r.requestsPerSecond(), 1e-9);
        assertEquals(0.52, r.latencyP50Millis(), 1e-9);
        assertEquals(1.5, r.latencyP90Millis(), 1e-9);
        assertEquals(6.25, r.latencyP99Millis(), 1e-9);
        assertEquals(3, r.errors());
    }

    @Test
    void sizesTakeDecimalAndBinaryUnits() {
        assertEquals(1_000_000_000L, Flags.size("1GB"));
        assertEquals(1_073_741_824L, Flags.size("1GiB"));
        assertEquals(500_000_000L, Flags.size("0.5 gb"));
        assertEquals(2048L, Flags.size("2KiB"));
        assertThrows(Flags.UsageError.class, () -> Flags.size("lots"));
    }

    @Test
    void flagsRefuseWhatTheyDoNotKnow() {
        Flags f = Flags.parse(List.of("--events", "5", "--keep", "--out=/tmp/x"), java.util.Set.of("events", "out"),
                java.util.Set.of("keep"));
        assertEquals(5, f.wholeNumber("events", 1, 1, 10));
        assertEquals("/tmp/x", f.value("out").orElseThrow());
        assertEquals(true, f.has("keep"));
        assertThrows(Flags.UsageError.class, () -> Flags.parse(List.of("--evnets", "5"), java.util.Set.of("events"),
                java.util.Set.of()));
        assertThrows(Flags.UsageError.class, () -> f.wholeNumber("events", 1, 10, 20));
    }

    @Test
    void replayWritesBothLogsInTimestampOrderAPieceAtATime() throws Exception {
        Path events = Files.writeString(dir.resolve("e.jsonl"), String.join("\n",
                "{\"timestamp\": \"2025-10-20T13:55:00.1+00:00\", \"event\": \"a\"}",
                "{\"timestamp\": \"2025-10-20T13:55:00.3+00:00\", \"event\": \"c\"}",
                "{\"timestamp\": \"2025-10-20T13:55:00.5+00:00\", \"event\": \"e\"}") + "\n");
        Path state = Files.writeString(dir.resolve("s.jsonl"), String.join("\n",
                "{\"event\": \"b\", \"timestamp\": \"2025-10-20T13:55:00.2+00:00\"}",
                "{\"event\": \"d\", \"timestamp\": \"2025-10-20T13:55:00.4+00:00\"}") + "\n");
        Path e2 = dir.resolve("e2.jsonl");
        Path s2 = dir.resolve("s2.jsonl");
        try (MergedLines m = new MergedLines(events, state, e2, s2)) {
            assertEquals(3, m.append(3));
            assertEquals(2, Files.readAllLines(e2).size());
            assertEquals(1, Files.readAllLines(s2).size());
            assertEquals(2, m.append(10));
            assertEquals(Files.readAllLines(events), Files.readAllLines(e2));
            assertEquals(Files.readAllLines(state), Files.readAllLines(s2));
        }
    }

    @Test
    void nearestRankPercentilesAreThoseOfMetricsMd() {
        double[] v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
        assertEquals(5, StateBench.percentile(v, 0.5));
        assertEquals(10, StateBench.percentile(v, 0.99));
        assertEquals(1, StateBench.percentile(v, 0.01));
    }
}
