package io.dagscope.graphql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.engine.SourceFeed;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.source.lines.decode.JsonlLineDecoder;
import io.dagscope.source.lines.decode.LineOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the GraphQL arguments (docs/fuzzing.md): every root field, asked with random values for its
 * arguments (windows, filters, page sizes, cursors, ids, as variables of any JSON type or written in the document)
 * of an engine loaded with the sample logs, answers data or errors a client can act on: a bad argument is
 * {@code BAD_USER_INPUT} naming it (an invalid cursor says so), a value of the wrong type is graphql-java's
 * validation error; never an internal error, never an exception.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GraphQlArgumentsFuzzTest {

    private static final Instant NOW = Instant.parse("2025-10-21T18:00:00Z");
    private static final AnalyticsEngine ENGINE = load();
    private static final GraphQlApi API = new GraphQlApi(GraphQlApi.Ports.of(ENGINE, GraphQlArgumentsFuzzTest::sources));
    private static final List<String> CURSORS = new ArrayList<>();
    private static final List<String> RUN_IDS = new ArrayList<>();
    private static final List<String> TENANTS = ENGINE.tenants(TenantScope.ALL);
    private static final List<String> DAGS = ENGINE.dagNames(TenantScope.ALL);

    /** graphql-java's own classifications for a document or variables it refuses, and this API's for arguments. */
    private static final Set<String> CLIENT_ERRORS = Set.of("ValidationError", "InvalidSyntax", "BAD_USER_INPUT");

    private static final String STATS = "{ started succeeded failed retried errorRate avgDurationSeconds "
            + "p50DurationSeconds p95DurationSeconds p99DurationSeconds durations }";
    private static final String RUN = "{ id dagName tenant status startedAt endedAt durationSeconds taskCount "
            + "tasksSucceeded tasksFailed tasksRetried error lastEventAt inferred tasks { taskId status startedAt "
            + "endedAt durationSeconds attempts error checkpoint retries { at attempt error } } }";

    /** Each root field: its variables' declarations, its arguments, and every field of its answer. */
    private static final List<String[]> FIELDS = List.of(
            new String[] {"$w: WindowInput, $t: String, $d: String", "taskSummary(window: $w, tenant: $t, dagName: $d)",
                "{ windowStart windowEnd allTime " + STATS + " window " + STATS + " }"},
            new String[] {"$n: Int, $a: String, $f: DagRunFilter", "dagRuns(first: $n, after: $a, filter: $f)",
                "{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node " + RUN + " } }"},
            new String[] {"$id: ID!", "dagRun(id: $id)", RUN},
            new String[] {"$w: WindowInput", "tenantLoad(window: $w)",
                "{ tenant runs tasks errorRate avgLatencySeconds p95LatencySeconds }"},
            new String[] {"$w: WindowInput", "schedules(window: $w)", "{ id tenant dagPath cron enabled lastRunAt "
                + "lastStatus nextRunAt missedRuns enqueued started finished succeeded failed retried "
                + "avgDurationSeconds firstEventAt error cronDescription recentOutcomes { at status durationSeconds } }"},
            new String[] {"$w: WindowInput", "windowOf(window: $w)", "{ start end hours }"},
            new String[] {"$w: WindowInput, $b: Int, $t: String, $d: String",
                "taskSeries(window: $w, bucketMinutes: $b, tenant: $t, dagName: $d)",
                "{ windowStart windowEnd bucketMinutes buckets { start end runsStarted stats " + STATS + " } }"},
            new String[] {"$w: WindowInput, $t: String, $d: String, $n: Int",
                "failures(window: $w, tenant: $t, dagName: $d, first: $n)",
                "{ signature exampleError count firstSeen lastSeen dags tenants exampleRunId exampleTaskId }"},
            new String[] {"$s: Float, $t: String, $d: String", "runCounts(staleAfterHours: $s, tenant: $t, dagName: $d)",
                "{ asOf running paused stale succeeded failed }"},
            new String[] {"", "tenants", ""},
            new String[] {"", "dagNames", ""},
            new String[] {"", "sources", "{ name kind location eventsRead linesSkipped ignored firstEventAt "
                + "lastEventAt healthy error skippedByReason { reason count } lagBytes lagObjects }"});

    static {
        Map<String, Object> page = API.execute("{ dagRuns(first: 1000) { edges { cursor node { id } } } }", null,
                null, TenantScope.ALL);
        List<?> edges = (List<?>) Paths.at(page, "data.dagRuns.edges");
        if (edges.size() < 10) {
            throw new IllegalStateException("the sample logs have runs: " + page);
        }
        for (Object edge : edges) {
            CURSORS.add((String) ((Map<?, ?>) edge).get("cursor"));
            RUN_IDS.add((String) ((Map<?, ?>) ((Map<?, ?>) edge).get("node")).get("id"));
        }
    }

    private static AnalyticsEngine load() {
        AnalyticsEngine engine = new AnalyticsEngine(EngineSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC));
        JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);
        for (String log : List.of("head/orchestrator_events.jsonl", "head/orchestrator_state.jsonl",
                "legacy-27c/orchestrator_events.jsonl", "legacy-27c/orchestrator_state.jsonl")) {
            SourceFeed feed = engine.feed(log);
            try {
                for (String line : Files.readAllLines(Path.of("..", "fixtures", "samples", log))) {
                    if (decoder.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)) == LineOutcome.EVENT) {
                        feed.accept(decoder.event());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            feed.flush();
        }
        return engine;
    }

    private static List<SourceStatus> sources() {
        return List.of(new SourceStatus("events", "jsonl", "fixtures/samples/head", 10, Map.of("not_json", 1L), 2,
                Optional.of(NOW), Optional.of(NOW), true, Optional.empty(), OptionalLong.of(0), OptionalLong.empty()));
    }

    /**
     * One root field with random arguments, as variables or written in the document, asked by an admin or by a
     * caller limited to some tenants.
     */
    @FuzzTest
    void argumentsGiveDataOrAnErrorTheClientCanActOn(FuzzedDataProvider data) {
        String[] field = data.pickValue(FIELDS);
        TenantScope scope = data.consumeBoolean() ? TenantScope.ALL
                : TenantScope.of(Set.of(data.consumeBoolean() && !TENANTS.isEmpty() ? data.pickValue(TENANTS)
                        : data.consumeString(12)));
        Map<String, Object> variables = new HashMap<>();
        for (String declaration : field[0].isEmpty() ? new String[0] : field[0].split(", ")) {
            String name = declaration.substring(1, declaration.indexOf(':'));
            String type = declaration.substring(declaration.indexOf(':') + 2);
            if (data.consumeInt(0, 9) > 0) {
                variables.put(name, data.consumeInt(0, 3) > 0 ? typed(type, name, data) : anything(data, 2));
            }
        }
        String document;
        if (data.consumeBoolean()) {
            // the values written in the document instead of passed as variables
            document = "{ " + inline(field[1], variables) + " " + field[2] + " }";
            variables.clear();
        } else {
            document = "query" + (field[0].isEmpty() ? "" : "(" + field[0] + ")") + " { " + field[1] + " " + field[2]
                    + " }";
        }

        Map<String, Object> result = API.execute(document, variables, null, scope);

        check(document, variables, result);
    }

    private static void check(String document, Map<String, Object> variables, Map<String, Object> result) {
        String request = document + " with " + variables;
        assertNotNull(result, request);
        List<Map<String, Object>> errors = Paths.errors(result);
        assertTrue(result.get("data") != null || !errors.isEmpty(), () -> "neither data nor errors: " + request);
        for (Map<String, Object> error : errors) {
            String message = (String) error.get("message");
            assertTrue(message != null && !message.isBlank(), () -> "an error without a message: " + request);
            Map<?, ?> extensions = (Map<?, ?>) error.get("extensions");
            Object classification = extensions == null ? null : extensions.get("classification");
            if ("FORBIDDEN".equals(classification)) {
                assertTrue(document.contains("sources"), () -> "forbidden: " + error + " for " + request);
                continue;
            }
            if (!CLIENT_ERRORS.contains(String.valueOf(classification))) {
                fail("an error the client cannot act on: " + error + " for " + request);
            }
            if ("BAD_USER_INPUT".equals(classification)) {
                assertNotNull(extensions.get("argument"), () -> "names no argument: " + error);
            }
            if ("after".equals(extensions.get("argument"))) {
                assertTrue(message.startsWith("Invalid cursor in after: "), message);
            }
        }
        Object after = variables.get("a");
        if (document.contains("dagRuns") && after instanceof String cursor && !cursor.matches("[A-Za-z0-9_=-]*")
                && errors.stream().noneMatch(e -> "ValidationError".equals(((Map<?, ?>) e.get("extensions"))
                        .get("classification")))) {
            // not even base64: never a cursor, so never a page
            assertFalse(errors.isEmpty(), () -> "a malformed cursor was taken: " + request);
        }
    }

    /** A value of the declared type, near the edges of what it allows. */
    private static Object typed(String type, String name, FuzzedDataProvider data) {
        return switch (type) {
            case "WindowInput" -> {
                Map<String, Object> window = new LinkedHashMap<>();
                if (data.consumeBoolean()) {
                    window.put("hours", hours(data));
                }
                if (data.consumeBoolean()) {
                    window.put("end", instant(data));
                }
                yield window;
            }
            case "DagRunFilter" -> {
                Map<String, Object> filter = new LinkedHashMap<>();
                if (data.consumeBoolean()) {
                    filter.put("tenant", name(TENANTS, data));
                }
                if (data.consumeBoolean()) {
                    filter.put("dagName", name(DAGS, data));
                }
                if (data.consumeBoolean()) {
                    List<Object> statuses = new ArrayList<>();
                    for (int i = data.consumeInt(0, 5); i > 0; i--) {
                        statuses.add(data.consumeInt(0, 5) > 0
                                ? data.pickValue(List.of("RUNNING", "PAUSED", "SUCCEEDED", "FAILED"))
                                : data.consumeString(10));
                    }
                    filter.put("statuses", statuses);
                }
                if (data.consumeBoolean()) {
                    filter.put("startedAfter", instant(data));
                }
                if (data.consumeBoolean()) {
                    filter.put("startedBefore", instant(data));
                }
                yield filter;
            }
            case "Int" -> data.consumeBoolean() ? data.consumeInt(-5, 1100) : data.consumeInt();
            case "Float" -> hours(data);
            case "ID!" -> data.consumeBoolean() && !RUN_IDS.isEmpty() ? data.pickValue(RUN_IDS) : data.consumeString(60);
            default -> name.equals("a") ? cursor(data) : name(name.equals("t") ? TENANTS : DAGS, data);
        };
    }

    private static Object hours(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeDouble();
            case 1 -> data.consumeInt(-2, 1_000_000);
            case 2 -> new BigDecimal(data.consumeInt(1, 999) + "e" + data.consumeInt(-400, 400));
            default -> data.consumeRegularDouble(-1, 1_000_000);
        };
    }

    private static String instant(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeString(40);
            case 1 -> data.pickValue(List.of("+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z",
                    "+294247-01-10T04:00:54.775807Z", "+294247-01-10T04:00:54.775808Z", "0000-01-01T00:00:00Z",
                    "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2025-10-21T18:00:00+18:00",
                    "2025-10-21T18:00:00.123456789-18:00", "2025-10-21 18:00", "2025-10-21T18:00:00"));
            default -> Instant.ofEpochSecond(data.consumeLong(-31_557_014_167_219_200L, 31_556_889_864_403_199L),
                    data.consumeInt(0, 999_999_999)).toString();
        };
    }

    private static String name(List<String> known, FuzzedDataProvider data) {
        return data.consumeBoolean() && !known.isEmpty() ? data.pickValue(known) : data.consumeString(30);
    }

    private static String cursor(FuzzedDataProvider data) {
        if (CURSORS.isEmpty()) {
            return data.consumeString(40);
        }
        String real = data.pickValue(CURSORS);
        return switch (data.consumeInt(0, 4)) {
            case 0 -> real;
            case 1 -> {
                // one character changed
                char[] c = real.toCharArray();
                c[data.consumeInt(0, c.length - 1)] = data.consumeChar();
                yield new String(c);
            }
            case 2 -> real.substring(0, data.consumeInt(0, real.length()));
            case 3 -> Base64.getUrlEncoder().encodeToString(data.consumeBytes(40));
            default -> data.consumeString(60);
        };
    }

    /** Any JSON value: graphql-java must refuse what does not fit the declared type. */
    private static Object anything(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 0 ? 8 : 6)) {
            case 0:
                return null;
            case 1:
                return data.consumeBoolean();
            case 2:
                return data.consumeLong();
            case 3:
                return data.consumeDouble();
            case 4:
                return new BigDecimal(data.consumeLong() + "e" + data.consumeInt(-1000, 1000));
            case 5:
            case 6:
                return data.consumeString(40);
            case 7: {
                List<Object> list = new ArrayList<>();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    list.add(anything(data, depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    String key = data.consumeBoolean()
                            ? data.pickValue(List.of("hours", "end", "tenant", "dagName", "statuses", "startedAfter",
                                    "startedBefore"))
                            : data.consumeString(8);
                    map.put(key, anything(data, depth - 1));
                }
                return map;
            }
        }
    }

    /** A value as GraphQL literal syntax. */
    private static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(literal(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> fields = new ArrayList<>();
            map.forEach((k, v) -> fields.add(k + ": " + literal(v)));
            return "{" + String.join(", ", fields) + "}";
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        return value.toString();
    }

    /** A field's call with the given variables' values written in place, and the other arguments left out. */
    private static String inline(String call, Map<String, Object> variables) {
        int open = call.indexOf('(');
        if (open < 0) {
            return call;
        }
        List<String> arguments = new ArrayList<>();
        for (String argument : call.substring(open + 1, call.length() - 1).split(", ")) {
            String variable = argument.substring(argument.indexOf('$') + 1);
            if (variables.containsKey(variable)) {
                arguments.add(argument.substring(0, argument.indexOf('$')) + literal(variables.get(variable)));
            }
        }
        return call.substring(0, open) + (arguments.isEmpty() ? "" : "(" + String.join(", ", arguments) + ")");
    }
}
