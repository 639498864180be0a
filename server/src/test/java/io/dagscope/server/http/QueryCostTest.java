package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.introspection.IntrospectionQuery;
import graphql.parser.ParserOptions;
import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.graphql.GraphQlApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cost estimate: list sizes multiply, variables, fragments and aliases count, and real documents fit. */
class QueryCostTest {

    private static final Path DASHBOARD_QUERIES = Path.of("../web-ui/src/main/resources/io/dagscope/webui/dashboard/js/"
            + "queries.js");
    private static final Path API_DOC = Path.of("../docs/api.md");
    private static final String RUN_FIELDS = "id dagName tenant status startedAt endedAt durationSeconds taskCount "
            + "tasksSucceeded tasksFailed tasksRetried error lastEventAt inferred";
    private static final String TASKS = "tasks { taskId status startedAt endedAt durationSeconds attempts error "
            + "checkpoint retries { at attempt error } }";

    private final QueryCost costs = new QueryCost(new GraphQlApi(GraphQlApi.Ports.of(new AnalyticsEngine(
            EngineSettings.DEFAULTS, Clock.systemUTC()), List::of))
            .schema(), ParserOptions.getDefaultOperationParserOptions(), () -> 24 * 60);

    private long cost(String query, Map<String, Object> variables) {
        return costs.estimate(new GraphQlRequest(query, variables, null)).orElseThrow().total();
    }

    private long cost(String query) {
        return cost(query, Map.of());
    }

    @Test
    void aListMultipliesWhatIsSelectedUnderItByTheSizeItAsksFor() {
        long one = cost("{ dagRuns(first: 1) { edges { node { id } } } }");
        long thousand = cost("{ dagRuns(first: 1000) { edges { node { id } } } }");

        assertEquals(4, one); // dagRuns, edges, node, id
        assertEquals(4000, thousand);
        assertEquals(20 * 4, cost("{ dagRuns { edges { node { id } } } }"), "first defaults to 20");
        assertEquals(1000 * 4, cost("{ dagRuns(first: 5000) { edges { node { id } } } }"), "capped at 1000");
    }

    @Test
    void nestedListsMultiplyTogether() {
        long withTasks = cost("{ dagRuns(first: 100) { edges { node { tasks { taskId retries { at } } } } } }");

        // dagRuns x100 (edges 1 + node 1 + tasks x20 (1 + taskId 1 + retries x5 (1 + at 1)))
        assertEquals(100 * (1 + 1 + 1 + QueryCost.UNSIZED_LIST * (1 + 1 + QueryCost.RETRIES * 2)), withTasks);
    }

    @Test
    void variablesAreResolvedAsExecutionWould() {
        String query = "query Q($n: Int) { failures(first: $n) { signature } }";

        assertEquals(1000 * 2, cost(query, Map.of("n", 1000)));
        assertEquals(10 * 2, cost(query, Map.of("n", 10)));
        assertEquals(QueryCost.DEFAULT_FIRST * 2, cost(query, Map.of()));
    }

    @Test
    void fragmentsCountWhereTheyAreSpreadAndAliasesEachOnTheirOwn() {
        String fragment = "fragment Page on Query { dagRuns(first: 1000) { edges { node { id } } } } ";
        long once = cost("{ ...Page } " + fragment);
        long thrice = cost("{ ...Page a: dagRuns(first: 1000) { edges { node { id } } } "
                + "b: dagRuns(first: 1000) { edges { node { id } } } } " + fragment);
        long inline = cost("{ ... on Query { dagRuns(first: 1000) { edges { node { id } } } } }");

        assertEquals(4000, once);
        assertEquals(3 * 4000, thrice);
        assertEquals(4000, inline);
    }

    @Test
    void aSeriesCostsByItsBuckets() {
        // per bucket: the bucket's work, then buckets 1 + start 1 + stats (1 + failed 1)
        String buckets = "buckets { start stats { failed } }";
        long each = QueryCost.BUCKET_WORK + 4;
        assertEquals(QueryCost.CHOSEN_BUCKETS * each, cost("{ taskSeries { " + buckets + " } }"));
        assertEquals(1000 * each, cost("{ taskSeries(window: {hours: 1000}, bucketMinutes: 60) { " + buckets
                + " } }"));
        assertEquals(24 * each, cost("{ taskSeries(bucketMinutes: 60) { " + buckets + " } }"),
                "the default window is 24 hours here");
    }

    @Test
    void theEstimateSaysWhichFieldsDriveIt() {
        QueryCost.Estimate estimate = costs.estimate(new GraphQlRequest("{ small: tenants big: dagRuns(first: 1000) "
                + "{ edges { node { " + TASKS + " } } } }", Map.of(), null)).orElseThrow();

        assertEquals("big", estimate.drivers().get(0).path());
        assertEquals(List.of("big", "big.edges.node.tasks", "small", "big.edges.node.tasks.retries"),
                estimate.drivers().stream().map(QueryCost.Driver::path).toList(), "costliest first");
        assertTrue(estimate.describeDrivers().contains("first: 1000"), estimate.describeDrivers());
        assertTrue(estimate.describeDrivers().contains("big.edges.node.tasks"), estimate.describeDrivers());
    }

    @Test
    void introspectionAndInvalidDocumentsAreLeftToExecution() {
        assertTrue(costs.estimate(new GraphQlRequest(IntrospectionQuery.INTROSPECTION_QUERY, Map.of(), null))
                .isEmpty());
        assertTrue(costs.estimate(new GraphQlRequest("{ nope }", Map.of(), null)).isEmpty());
        assertTrue(costs.estimate(new GraphQlRequest("{ dagRuns(", Map.of(), null)).isEmpty());
        assertTrue(costs.estimate(new GraphQlRequest("query Q($n: Int) { dagRuns(first: $n) { totalCount } }",
                Map.of("n", "many"), null)).isEmpty());
    }

    @Test
    void everyDashboardDocumentAndEveryExampleOfTheApiDocFitsWellUnderTheDefaultLimit() throws IOException {
        Map<String, Long> measured = new LinkedHashMap<>();
        Matcher operation = Pattern.compile("export const (\\w+) = `([^`]*)`").matcher(Files.readString(
                DASHBOARD_QUERIES));
        while (operation.find()) {
            // the dashboard's widest page is 25 runs; its run detail lists every task of a run
            measured.put("dashboard " + operation.group(1), cost("query " + operation.group(2),
                    Map.of("first", 25, "id", "run-1")));
        }
        Matcher example = Pattern.compile("```graphql\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(API_DOC));
        int n = 0;
        while (example.find()) {
            n++;
            var estimate = costs.estimate(new GraphQlRequest(example.group(1), Map.of(), null));
            estimate.ifPresent(e -> measured.put("docs/api.md example " + measured.size(), e.total()));
        }
        assertTrue(measured.size() >= 14 && n > 0, measured.toString());
        for (var e : measured.entrySet()) {
            assertTrue(e.getValue() > 0 && e.getValue() * 100 <= FairShare.DEFAULT_MAX_QUERY_COST,
                    e.getKey() + " costs " + e.getValue() + ": " + measured);
        }
        long dashboard = measured.entrySet().stream().filter(e -> e.getKey().startsWith("dashboard"))
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue(dashboard * 50 <= FairShare.DEFAULT_MAX_QUERY_COST, "the whole dashboard costs " + dashboard);
        System.out.println("estimated costs: " + measured + "; the whole dashboard: " + dashboard);
    }

    @Test
    void aFullPageOfRunsWithTheirTasksFitsButTenAliasesOfItDoNot() {
        String page = "dagRuns(first: 1000) { edges { cursor node { " + RUN_FIELDS + " " + TASKS + " } } }";
        String ten = IntStream.range(0, 10).mapToObj(i -> "a" + i + ": " + page).collect(Collectors.joining(" "));

        assertTrue(cost("{ " + page + " }") <= FairShare.DEFAULT_MAX_QUERY_COST);
        assertTrue(cost("{ " + ten + " }") > 5 * FairShare.DEFAULT_MAX_QUERY_COST);
    }

    @Test
    void anEnormousEstimateSaturatesInsteadOfOverflowing() {
        String deep = "dagRuns(first: 1000) { edges { node { tasks { retries { at } } } } }";
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            aliases.add("a" + i + ": " + deep);
        }
        long total = cost("{ " + String.join(" ", aliases) + " }");

        assertTrue(total > 0);
        assertFalse(total < 200L * 1000);
    }
}
