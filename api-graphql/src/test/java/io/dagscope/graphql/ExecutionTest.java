package io.dagscope.graphql;

import static io.dagscope.graphql.Paths.at;
import static io.dagscope.graphql.Paths.errors;
import static io.dagscope.graphql.Paths.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.in.WindowRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Requests as a server makes them: scope, variables, operation names, failures, customization. */
class ExecutionTest {

    private static final String EVERY_SCOPED_FIELD = "{ taskSummary { windowEnd } dagRuns { totalCount } "
            + "dagRun(id: \"run-1\") { id } tenantLoad { tenant } schedules { id } }";

    private final FakeEngine engine = new FakeEngine();
    private final GraphQlApi api = GraphQlApi.of(engine);

    @Test
    void theCallersScopeReachesEveryPortCall() {
        TenantScope acme = TenantScope.of(Set.of("acme"));

        Map<String, Object> result = api.execute(EVERY_SCOPED_FIELD, null, null, acme);

        assertEquals(List.of(), errors(result));
        assertEquals(List.of(acme, acme, acme, acme, acme), engine.scopes);
    }

    @Test
    void sourcesAreShownToAnUnscopedCallerOnlyAndAScopedCallerIsToldItNeedsAnAdminToken() {
        Map<String, Object> all = api.execute("{ sources { name } }", null, null, TenantScope.ALL);
        Map<String, Object> scoped = api.execute("{ sources { name } }", null, null, TenantScope.of(Set.of("acme")));

        assertEquals(2, ((List<?>) at(all, "data.sources")).size());
        Map<String, Object> error = onlyError(scoped);
        assertTrue(((String) error.get("message")).contains("needs an admin token"), error.toString());
        assertEquals("FORBIDDEN", ((Map<?, ?>) error.get("extensions")).get("classification"));
        assertEquals(List.of("sources"), error.get("path"));
        assertNull(scoped.get("data"), "sources is non-null, so its error nulls the whole answer");
        assertEquals(List.of("sources"), engine.requests, "the port is not even asked for a scoped caller");
    }

    @Test
    void everySubscriptionFieldExecutedInProcessYieldsTheQueryFieldsAnswerOnce() throws Exception {
        for (String field : List.of("taskSummary { windowEnd window { started } }", "dagRuns { totalCount }",
                "dagRun(id: \"run-1\") { id }", "tenantLoad { tenant runs }", "schedules { id }", "sources { name }",
                "windowOf { start end }")) {
            Map<String, Object> query = api.execute("{ " + field + " }", null, null, TenantScope.ALL);
            ExecutionResult subscription = api.graphQL().execute(GraphQlApi.executionInput("subscription { " + field
                    + " }", null, null, TenantScope.ALL));

            assertEquals(List.of(), subscription.getErrors(), field);
            List<Map<String, Object>> events = Paths.collect(subscription.getData());
            assertEquals(1, events.size(), field);
            assertEquals(query.get("data"), events.get(0).get("data"), field);
        }
    }

    @Test
    void executeAnswersASubscriptionWithItsCurrentAnswerAsAQueryWould() {
        for (String field : List.of("taskSummary { windowEnd window { started } }", "dagRuns { totalCount }",
                "schedules { id }", "windowOf { start end }")) {
            Map<String, Object> query = api.execute("{ " + field + " }", null, null, TenantScope.ALL);
            Map<String, Object> subscription = api.execute("subscription Live { " + field + " }", null, null,
                    TenantScope.ALL);

            assertEquals(query, subscription, field);
        }
        // a subscription that fails validation is an error like a query's, not a stream
        Map<String, Object> invalid = api.execute("subscription { taskSummary { nope } }", null, null,
                TenantScope.ALL);
        assertNull(invalid.get("data"));
        assertTrue(invalid.get("errors").toString().contains("nope"), invalid.toString());
    }

    @Test
    void variablesAndTheOperationNameChooseWhatRuns() {
        String document = "query Runs($first: Int, $filter: DagRunFilter) { dagRuns(first: $first, filter: $filter) "
                + "{ totalCount } } "
                + "query Summary($window: WindowInput, $tenant: String) { taskSummary(window: $window, "
                + "tenant: $tenant) { windowStart windowEnd } }";
        Map<String, Object> variables = Map.of("window", Map.of("hours", 2, "end", "2025-10-21T20:00:00+02:00"),
                "tenant", "acme");

        Map<String, Object> summary = api.execute(document, variables, "Summary", TenantScope.ALL);
        Map<String, Object> runs = api.execute(document, Map.of("first", 1, "filter", Map.of("statuses",
                List.of("RUNNING"))), "Runs", TenantScope.ALL);

        assertEquals(Map.of("taskSummary", Map.of("windowStart", "2025-10-21T16:00:00Z",
                "windowEnd", "2025-10-21T18:00:00Z")), summary.get("data"));
        assertEquals(new TaskSummaryQuery.Request(WindowRequest.of(2, Instant.parse("2025-10-21T18:00:00Z")),
                Optional.of("acme"), Optional.empty(), TenantScope.ALL), engine.requests.get(0));
        assertEquals(Map.of("dagRuns", Map.of("totalCount", 2L)), runs.get("data"));
        DagRunQuery.Request request = (DagRunQuery.Request) engine.requests.get(1);
        assertEquals(1, request.first());
        assertEquals(Set.of(io.dagscope.core.model.RunStatus.RUNNING), request.filter().statuses());
    }

    @Test
    void aDocumentWithTwoOperationsAndNoOperationNameIsAnError() {
        Map<String, Object> result = api.execute("query A { sources { name } } query B { sources { kind } }", null,
                null, TenantScope.ALL);

        assertFalse(errors(result).isEmpty());
        assertTrue(engine.requests.isEmpty());
    }

    @Test
    void anInternalFailureGivesAGenericErrorWithAnIncidentIdAndNoInternals() {
        engine.failure = new IllegalStateException("connection to jdbc:postgresql://db/prod?password=hunter2 lost");

        Map<String, Object> result = api.execute("{ windowOf { end } }", null, null, TenantScope.ALL);

        Map<String, Object> error = onlyError(result);
        String message = (String) error.get("message");
        assertFalse(message.contains("hunter2") || message.contains("jdbc") || message.contains("Exception"), message);
        @SuppressWarnings("unchecked")
        Map<String, Object> extensions = (Map<String, Object>) error.get("extensions");
        assertEquals("INTERNAL_ERROR", extensions.get("classification"));
        String incident = (String) extensions.get("incident");
        assertEquals("Internal error while resolving /windowOf; the server's log has the details under incident "
                + incident, message);
        assertEquals(List.of("windowOf"), error.get("path"));
    }

    @Test
    void anIllegalArgumentFromThePortWithoutACursorIsAnInternalErrorNotTheCallersFault() {
        engine.failure = new IllegalArgumentException("internal invariant broken");

        Map<String, Object> result = api.execute("{ dagRuns { totalCount } }", null, null, TenantScope.ALL);

        assertEquals("INTERNAL_ERROR", at(result, "errors[0].extensions.classification"));
        assertFalse(((String) at(result, "errors[0].message")).contains("invariant"));
    }

    @Test
    void aMissingOrBlankQueryIsAnErrorNotAnException() {
        for (String query : new String[] {null, "  "}) {
            Map<String, Object> result = api.execute(query, null, null, TenantScope.ALL);

            assertEquals("No query: the request must contain a GraphQL document", onlyError(result).get("message"));
            assertFalse(result.containsKey("data"));
        }
    }

    @Test
    void aSyntaxErrorIsReportedWhereItIs() {
        Map<String, Object> result = api.execute("{ dagRuns(first: 5 { totalCount } }", null, null,
                TenantScope.ALL);

        Map<String, Object> error = onlyError(result);
        assertEquals("InvalidSyntax", at(result, "errors[0].extensions.classification"));
        assertEquals(List.of(Map.of("line", 1, "column", 20)), error.get("locations"));
    }

    @Test
    void aCustomizedApiKeepsTheSchemaTheScopeAndTheErrorHandling() {
        AtomicInteger documents = new AtomicInteger();
        PreparsedDocumentProvider counting = (input, parse) -> {
            documents.incrementAndGet();
            return java.util.concurrent.CompletableFuture.completedFuture(parse.apply(input));
        };
        GraphQlApi customized = api.customize(b -> b.preparsedDocumentProvider(counting));
        TenantScope acme = TenantScope.of(Set.of("acme"));

        Map<String, Object> ok = customized.execute("{ dagRun(id: \"run-1\") { id } }", null, null, acme);
        engine.failure = new IllegalStateException("secret");
        Map<String, Object> failed = customized.execute("{ windowOf { end } }", null, null, acme);

        assertEquals("run-1", at(ok, "data.dagRun.id"));
        assertEquals(List.of(acme), engine.scopes);
        assertEquals("INTERNAL_ERROR", at(failed, "errors[0].extensions.classification"));
        assertEquals(2, documents.get());
        assertEquals(api.schema(), customized.schema());
    }

    @Test
    void aServerCanRunTheGraphQlItselfWithTheExecutionInputThatCarriesTheScope() {
        TenantScope acme = TenantScope.of(Set.of("acme"));
        ExecutionInput input = GraphQlApi.executionInput("query Q($id: ID!) { dagRun(id: $id) { tenant } }",
                Map.of("id", "run-1"), "Q", acme).build();

        ExecutionResult result = api.graphQL().execute(input);

        assertEquals(List.of(), result.getErrors());
        assertEquals(Map.of("dagRun", Map.of("tenant", "acme")), result.getData());
        assertEquals(List.of(acme), engine.scopes);
    }

    @Test
    void withoutAScopeInTheContextNoPortIsAskedAndTheFieldFails() {
        ExecutionResult result = api.graphQL().execute(ExecutionInput.newExecutionInput()
                .query("{ dagRun(id: \"run-1\") { id } }").variables(new HashMap<>()));

        assertEquals(1, result.getErrors().size());
        assertEquals("INTERNAL_ERROR", result.getErrors().get(0).getErrorType().toString());
        assertNull(result.<Map<String, Object>>getData().get("dagRun"));
        assertTrue(engine.requests.isEmpty());
    }
}
