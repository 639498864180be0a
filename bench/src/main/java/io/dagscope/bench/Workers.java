package io.dagscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The measured halves of a benchmark run, each run in a JVM of its own by {@link ColdIngestBench} (so each has its
 * own peak RSS, heap and JIT, and DuckDB's native memory is not mixed with dagscope's): they print one JSON object on
 * stdout.
 */
final class Workers {

    static final ObjectMapper JSON = new ObjectMapper();

    private Workers() {
    }

    /**
     * dagscope in-process: ingest both logs through the source SPI, then answer the dashboard's document.
     * Arguments: events state schedules end hours.
     */
    static void ingest(List<String> args) throws Exception {
        Path events = Path.of(args.get(0));
        Path state = Path.of(args.get(1));
        Path schedules = Path.of(args.get(2));
        Instant end = Instant.parse(args.get(3));
        double hours = Double.parseDouble(args.get(4));
        String document = DashboardQuery.document(hours, end);
        try (DagscopeInProcess app = DagscopeInProcess.open(events, state, Optional.of(schedules), end, false)) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            app.poll();
            long t1 = System.nanoTime();
            long cpu1 = processCpuNanos();
            Map<String, Object> response = app.execute(document);
            long t2 = System.nanoTime();
            ObjectNode out = JSON.createObjectNode();
            out.put("ingestNanos", t1 - t0);
            out.put("queryNanos", t2 - t1);
            out.put("ingestCpuNanos", cpu1 - cpu0);
            out.put("events", app.eventsRead());
            out.set("response", JSON.valueToTree(response));
            System.out.println(JSON.writeValueAsString(out));
        }
    }

    /**
     * DuckDB in-process: load both logs with {@code read_ndjson}, compute the answers in SQL, and the order checksums.
     * Arguments: events state defined-ids-file end hours threads.
     */
    static void duckdb(List<String> args) throws Exception {
        Path events = Path.of(args.get(0));
        Path state = Path.of(args.get(1));
        List<String> defined = Files.readAllLines(Path.of(args.get(2))).stream().filter(s -> !s.isBlank()).toList();
        Instant end = Instant.parse(args.get(3));
        double hours = Double.parseDouble(args.get(4));
        int threads = Integer.parseInt(args.get(5));
        long t0 = System.nanoTime();
        try (DuckDbDashboard db = new DuckDbDashboard(threads)) {
            long open = System.nanoTime() - t0;
            long cpu0 = processCpuNanos();
            Answers answers = db.answers(events, state, defined, hours, end);
            long cpu1 = processCpuNanos();
            ObjectNode out = JSON.createObjectNode();
            out.put("openNanos", open);
            out.put("version", db.version());
            out.put("loadNanos", db.loadNanos());
            out.put("queryNanos", db.queryNanos());
            out.put("cpuNanos", cpu1 - cpu0);
            out.put("orderChecksumEvents", db.orderChecksum(true));
            out.put("orderChecksumState", db.orderChecksum(false));
            out.set("answers", JSON.valueToTree(answers));
            System.out.println(JSON.writeValueAsString(out));
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
