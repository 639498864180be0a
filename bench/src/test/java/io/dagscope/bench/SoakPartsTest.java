package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The soak's parts that do not need time: percentiles, comparisons, parsing of what it reads, its flags. */
class SoakPartsTest {

    static JsonNode json(String text) throws IOException {
        return Workers.JSON.readTree(text);
    }

    @Test
    void aCallersPercentilesAreNearestRankOverItsRequestsAndItsOutcomesAreCounted() {
        CallerStats stats = new CallerStats("acme-corp dashboard");
        for (int i = 1; i <= 200; i++) {
            // due at i seconds; latency i ms
            stats.record(i * 1_000_000_000L, i * 1_000_000L, i % 50 == 0 ? "503" : "200");
        }
        stats.error("HTTP 503");
        stats.error("HTTP 503");
        stats.error("GraphQL TIMEOUT");
        stats.error("due but not sent when the soak ended", 40);
        CallerStats.Summary all = stats.summary();
        assertEquals(200, all.requests());
        assertEquals(100.0, all.p50Millis());
        assertEquals(198.0, all.p99Millis());
        assertEquals(200.0, all.maxMillis());
        assertEquals(Map.of("200", 196L, "503", 4L), all.statuses());
        assertEquals(List.of("GraphQL TIMEOUT", "HTTP 503", "due but not sent when the soak ended"),
                List.copyOf(all.errors().keySet()));
        assertEquals(40L, all.errors().get("due but not sent when the soak ended"));
        assertEquals(2L, all.errors().get("HTTP 503"));

        CallerStats.Summary firstTen = stats.summary(0, 11_000_000_000L);
        assertEquals(10, firstTen.requests());
        assertEquals(5.0, firstTen.p50Millis());
        assertEquals(10.0, firstTen.p99Millis());
        CallerStats.Summary none = stats.summary(500_000_000_000L, Long.MAX_VALUE);
        assertEquals(0, none.requests());
        assertTrue(Double.isNaN(none.p99Millis()));
    }

    @Test
    void aCallerKeepsEveryLatencyWhateverItsCount() {
        CallerStats stats = new CallerStats("abuser");
        for (int i = 0; i < 10_000; i++) {
            stats.record(i, (10_000 - i) * 1_000L, "200");
        }
        assertEquals(10_000, stats.summary().requests());
        assertEquals(9.9, stats.summary().p99Millis(), 1e-9);
        assertEquals(10_000, stats.latenciesMillis(0, Long.MAX_VALUE).length);
    }

    @Test
    void equalAnswersHaveNoDifferencesAndNumbersCompareByValue() throws IOException {
        JsonNode a = json("{\"data\": {\"x\": 1.50, \"runs\": [{\"id\": \"r1\", \"n\": 2}], \"e\": null}}");
        JsonNode b = json("{\"data\": {\"x\": 1.5, \"runs\": [{\"id\": \"r1\", \"n\": 2}], \"e\": null}}");
        assertEquals(List.of(), JsonDifferences.of("Summary", a, b, "server", "one-shot"));
    }

    @Test
    void everyDifferenceIsListedWithItsPathAndBothValues() throws IOException {
        JsonNode server = json("{\"data\": {\"taskSummary\": {\"window\": {\"succeeded\": 10, \"p95\": 2.5}}, "
                + "\"runs\": [{\"id\": \"r1\"}, {\"id\": \"r2\"}], \"extra\": true}}");
        JsonNode oneShot = json("{\"data\": {\"taskSummary\": {\"window\": {\"succeeded\": 11, \"p95\": 2.5}}, "
                + "\"runs\": [{\"id\": \"r1\"}], \"missing\": \"x\"}}");
        assertEquals(List.of(
                "admin Summary.data.taskSummary.window.succeeded: server 10, one-shot 11",
                "admin Summary.data.runs: server 2 items, one-shot 1 items",
                "admin Summary.data.extra: server true, one-shot (absent)",
                "admin Summary.data.missing: server (absent), one-shot \"x\""),
                JsonDifferences.of("admin Summary", server, oneShot, "server", "one-shot"));
        assertEquals(List.of("d.errors: server [{\"message\":\"boom\"}], one-shot (absent)"),
                JsonDifferences.of("d", json("{\"errors\": [{\"message\": \"boom\"}]}"), json("{}"), "server",
                        "one-shot"));
    }

    @Test
    void aLongListOfDifferencesIsCutWithTheCountOfTheRest() throws IOException {
        StringBuilder a = new StringBuilder("[");
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            a.append(i == 0 ? "" : ",").append(i);
            b.append(i == 0 ? "" : ",").append(i + 1);
        }
        List<String> d = JsonDifferences.of("x", json(a + "]"), json(b + "]"), "server", "one-shot");
        assertEquals(JsonDifferences.MAX_LISTED + 1, d.size());
        assertEquals("x: ... and 30 more differences", d.get(d.size() - 1));
    }

    @Test
    void theSourcesLagIsLeftOutOfTheComparisonAndNothingElse() throws IOException {
        JsonNode server = json("{\"data\": {\"sources\": [{\"name\": \"events\", \"eventsRead\": 5, \"lagBytes\": 0, "
                + "\"lagObjects\": null}]}}");
        JsonNode oneShot = json("{\"data\": {\"sources\": [{\"name\": \"events\", \"eventsRead\": 6, "
                + "\"lagBytes\": null, \"lagObjects\": null}]}}");
        assertEquals(List.of("Sources.data.sources[0].eventsRead: server 5, one-shot 6"), JsonDifferences.of("Sources",
                SoakAnswers.withoutLag(server), SoakAnswers.withoutLag(oneShot), "server", "one-shot"));
        assertTrue(server.path("data").path("sources").get(0).has("lagBytes"), "the answer itself is left alone");
    }

    @Test
    void anAnswersErrorsAreCountedByKind() throws IOException {
        assertEquals(List.of(), GraphQlHttp.errorKinds(200, json("{\"data\": {\"tenants\": []}}")));
        assertEquals(List.of("HTTP 503"), GraphQlHttp.errorKinds(503, json("{\"errors\": [{\"message\": \"busy\"}]}")));
        assertEquals(List.of("HTTP 429"), GraphQlHttp.errorKinds(429, null));
        assertEquals(List.of("not JSON"), GraphQlHttp.errorKinds(200, null));
        assertEquals(List.of("GraphQL TIMEOUT", "GraphQL unclassified"), GraphQlHttp.errorKinds(200, json(
                "{\"data\": null, \"errors\": [{\"message\": \"slow\", \"extensions\": {\"classification\": "
                        + "\"TIMEOUT\"}}, {\"message\": \"odd\"}]}")));
        assertEquals("client timeout", GraphQlHttp.failureKind(new HttpTimeoutException("slow")));
        assertEquals("connection refused", GraphQlHttp.failureKind(new ConnectException("no")));
        assertEquals("I/O EOFException", GraphQlHttp.failureKind(new java.io.EOFException()));
        assertEquals("timeout", Handshakes.why(new ExecutionException(new HttpTimeoutException("slow"))));
        assertEquals("connection refused", Handshakes.why(new CompletionException(new ConnectException("no"))));
    }

    @Test
    void theServersHeapIsReadFromJcmdAndItsResidentSetFromProc() {
        String parallel = String.join("\n", "32262:",
                " PSYoungGen      total 76288K, used 46479K [0x00000000fab00000, 0x0000000100000000)",
                "  eden space 65536K, 70% used [0x00000000fab00000,0x00000000fd863db8,0x00000000feb00000)",
                "  from space 10752K, 0% used [0x00000000ff580000,0x00000000ff580000,0x0000000100000000)",
                " ParOldGen       total 175104K, used 1200K [0x00000000f0000000, 0x00000000fab00000)",
                "  object space 175104K, 0% used [0x00000000f0000000,0x00000000f0000000,0x00000000fab00000)",
                " Metaspace       used 11339K, committed 11520K, reserved 1114112K",
                "  class space    used 1397K, committed 1472K, reserved 1048576K");
        assertEquals((46479L + 1200L) << 10, GcLog.heapInUse(parallel));
        assertEquals(10240L << 10, GcLog.heapInUse(
                " garbage-first heap   total 262144K, used 10240K [0x0000000700000000, 0x0000000800000000)\n"
                        + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n"));
        assertEquals(-1, GcLog.heapInUse(" ZHeap           used 10M, capacity 256M, max capacity 1024M"));
        String status = "Name:\tjava\nVmHWM:\t  200000 kB\nVmRSS:\t  104560 kB\nThreads:\t16\n";
        assertEquals(104560, ServerProbe.statusField(status, "VmRSS"));
        assertEquals(16, ServerProbe.statusField(status, "Threads"));
        assertEquals(-1, ServerProbe.statusField(status, "VmSwap"));
        String metrics = String.join("\n",
                "# HELP dagscope_websocket_connections_active WebSocket connections open now.",
                "# TYPE dagscope_websocket_connections_active gauge",
                "dagscope_websocket_connections_active 7",
                "dagscope_subscriptions_active 48",
                "dagscope_history_bytes{store=\"files\",part=\"blocks\"} 1024",
                "dagscope_history_bytes{store=\"files\",part=\"tables\"} 512",
                "dagscope_websocket_connections_active_other 3");
        assertEquals(Map.of("dagscope_websocket_connections_active", 7.0, "dagscope_history_bytes", 1536.0),
                ServerProbe.gauges(metrics, List.of("dagscope_websocket_connections_active", "dagscope_history_bytes",
                        "dagscope_engine_runs_kept")));
    }

    @Test
    void durationsTakeHoursMinutesAndSecondsAndABadOneNamesItsFlag() {
        assertEquals(Duration.ofSeconds(90), Flags.parseDuration("90s").orElseThrow());
        assertEquals(Duration.ofMinutes(90), Flags.parseDuration("1h30m").orElseThrow());
        assertEquals(Duration.ofMinutes(30), Flags.parseDuration("30M").orElseThrow());
        assertEquals(Duration.ZERO, Flags.parseDuration("0").orElseThrow());
        for (String bad : List.of("", "30", "ten minutes", "1m1h", "-5m", "99999999999999999999h")) {
            assertTrue(Flags.parseDuration(bad).isEmpty(), bad);
        }
        assertEquals("1h30m", Flags.text(Duration.ofMinutes(90)));
        assertEquals("2m5s", Flags.text(Duration.ofSeconds(125)));
        assertEquals("0", Flags.text(Duration.ZERO));
    }

    static SoakBench.Settings settings(String... args) {
        return SoakBench.settings(Flags.parse(List.of(args), SoakBench.VALUED, SoakBench.TOGGLES));
    }

    static String usageError(String... args) {
        return assertThrows(Flags.UsageError.class, () -> settings(args)).getMessage();
    }

    @Test
    void theSoaksFlagsHaveDefaultsAndABadOneIsAUsageErrorNamingIt() {
        SoakBench.Settings d = settings();
        assertEquals(Duration.ofMinutes(10), d.duration());
        assertEquals(200_000, d.events());
        assertEquals(3, d.tenants());
        assertEquals(Duration.ofMinutes(2), d.rotateEvery());
        assertEquals(false, d.keep());
        SoakBench.Settings s = settings("--duration", "30m", "--tenants", "5", "--rate", "2.5", "--rotate-every", "0",
                "--abuse-threads", "0", "--append-rate", "100", "--keep", "--seed", "7");
        assertEquals(Duration.ofMinutes(30), s.duration());
        assertEquals(5, s.tenants());
        assertEquals(2.5, s.rate());
        assertEquals(Duration.ZERO, s.rotateEvery());
        assertEquals(0, s.abuseThreads());
        assertEquals(7, s.seed());
        assertEquals(true, s.keep());
        assertEquals((long) Math.ceil(100 * 1800 * 1.05) + 1000, s.appendLines());

        assertEquals("--duration must be a duration such as 90s, 30m or 1h30m, from 10s to 24h; got '5s'",
                usageError("--duration", "5s"));
        assertEquals("--duration must be a duration such as 90s, 30m or 1h30m, from 10s to 24h; got 'half an hour'",
                usageError("--duration", "half an hour"));
        assertTrue(usageError("--tenants", "0").startsWith("--tenants must be a whole number from 1 to 100"));
        assertTrue(usageError("--rate", "fast").startsWith("--rate must be a number"));
        assertEquals("--rotate-every must be a duration such as 90s, 30m or 1h30m, from 0 to 24h; got '2'",
                usageError("--rotate-every", "2"));
        assertTrue(usageError("--heap-every", "5 minutes").startsWith("--heap-every must be a duration"));
        assertEquals("unknown flag --durration; see --help", usageError("--durration", "5m"));
        assertEquals("--duration needs a value", usageError("--duration"));
        assertEquals("unexpected argument '30m'; see --help", usageError("30m"));
    }

    @Test
    void theServersLogLinesAreCountedByWhatTheySayWithoutTimesCallersOrNumbers() {
        assertEquals("websocket: refused a connection without a valid token", SoakBench.logKind(
                "2026-12-07T20:04:10.992Z dagscope: websocket: refused a connection without a valid token"));
        assertEquals("websocket: subscription started", SoakBench.logKind(
                "2026-12-07T20:04:11.197Z dagscope: websocket: subscription started operation=DagNames "
                        + "caller=soak-admin"));
        assertEquals("executing a GraphQL request failed (incident)", SoakBench.logKind(
                "2026-12-07T20:04:11.197Z dagscope: executing a GraphQL request failed (incident 4f1c-77)"));
        assertEquals("read N events from N source(s); following", SoakBench.logKind(
                "2026-12-07T20:03:49.950Z dagscope: read 199971 events from 2 source(s); following"));
        assertEquals("[qtpN-N] WARN org.eclipse.jetty.server.HttpChannel - handleException", SoakBench.logKind(
                "[qtp123-45] WARN org.eclipse.jetty.server.HttpChannel - handleException"));
    }

    @Test
    void theSoakFailsWhenAnAnswerDiffersOrWasNotCheckedOrTheServerDied() throws IOException {
        assertEquals(0, SoakBench.exitStatus(json("{\"answers\": {\"differences\": []}}")));
        assertEquals(1, SoakBench.exitStatus(json("{\"answers\": {\"differences\": [\"admin Summary.data.x: ...\"]}}")));
        assertEquals(1, SoakBench.exitStatus(json("{}")));
        assertEquals(1, SoakBench.exitStatus(json("{\"failure\": \"the server exited\", \"answers\": "
                + "{\"differences\": []}}")));
    }
}
