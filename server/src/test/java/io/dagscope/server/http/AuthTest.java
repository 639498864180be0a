package io.dagscope.server.http;

import static io.dagscope.server.http.HttpServerTest.classification;
import static io.dagscope.server.http.HttpServerTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens: no token, a wrong one, one limited to some tenants, an admin one; and proof that a scoped token sees
 * nothing of another tenant through any root field, over HTTP and over a subscription.
 */
class AuthTest {

    static final String ADMIN = "admin-token-6f1c2b9e8d7a";
    static final String INITECH = "initech-token-3a9f0c2d1e4b";
    static final String GLOBEX = "globex-umbrella-token-9b8a7c6d5e4f";
    private static ServerFixture fixture;
    private static Http http;
    private static Path tokenFile;

    @BeforeAll
    static void start() throws IOException {
        tokenFile = Files.createTempFile("dagscope-tokens", ".yaml");
        Files.writeString(tokenFile, "# tokens for the tests\n"
                + "- name: ops\n  token_sha256: " + Authenticator.sha256Hex(ADMIN) + "\n  admin: true\n"
                + "- name: initech-dashboard\n  token_sha256: " + Authenticator.sha256Hex(INITECH).toUpperCase()
                + "\n  tenants: [initech]\n"
                + "- {token_sha256: " + Authenticator.sha256Hex(GLOBEX) + ", tenants: [globex, umbrella]}\n");
        // the tests read every root field with pages of 1000 runs back to back: rate budgets (FairShareTest) aside
        FairShare unthrottled = new FairShare(FairShare.DEFAULT_MAX_QUERY_COST, FairShare.DEFAULT_MAX_RESPONSE_BYTES,
                FairShare.defaultThreads(), FairShare.DEFAULT_CALLER_CONCURRENCY, Long.MAX_VALUE / 4,
                Long.MAX_VALUE / 4, false);
        fixture = new ServerFixture(ServerOptions.defaults(0).withAccessLog(true).withFairShare(unthrottled),
                Authenticator.fromFile(tokenFile));
        http = fixture.http;
    }

    @AfterAll
    static void stop() throws IOException {
        fixture.close();
        Files.deleteIfExists(tokenFile);
    }

    @Test
    void aRequestWithoutAValidTokenGets401WithAJsonErrorWhileLivenessStaysOpen() {
        for (Http.Response response : List.of(http.graphql("{ windowOf { end } }", null),
                http.graphql("{ windowOf { end } }", "not-a-token"),
                http.postJson("{\"query\": \"{ windowOf { end } }\"}", "Authorization", "Basic " + ADMIN),
                http.graphqlGet("{ windowOf { end } }", null, null, null),
                http.get("/metrics"))) {
            assertEquals(401, response.status(), response.body());
            assertEquals("UNAUTHENTICATED", classification(response));
            assertTrue(message(response).contains("Authorization: Bearer"));
            assertEquals("Bearer realm=\"dagscope\"", response.header("WWW-Authenticate"));
        }
        assertEquals(200, http.get("/health").status());
        assertEquals(200, http.get("/graphiql").status(), "the explorer page holds no data");
    }

    @Test
    void readinessShowsEachSourceToAnAdminTokenOnlyAndMetricsNeedOneToo() {
        Http.Response anonymous = http.get("/health/ready");
        Http.Response scoped = http.get("/health/ready", "Authorization", "Bearer " + INITECH);
        Http.Response admin = http.get("/health/ready", "Authorization", "Bearer " + ADMIN);

        assertEquals(200, anonymous.status());
        assertEquals("UP", anonymous.json().get("status"));
        assertNull(anonymous.json().get("sources"));
        assertNull(scoped.json().get("sources"));
        assertEquals(2, ((List<?>) admin.json().get("sources")).size());
        assertEquals(403, http.get("/metrics", "Authorization", "Bearer " + INITECH).status());
        assertEquals(200, http.get("/metrics", "Authorization", "Bearer " + ADMIN).status());
    }

    @Test
    void aScopedTokenSeesItsTenantsAsAnAdminFilteringByThemWould() {
        String summary = "query S($t: String) { taskSummary(tenant: $t) { allTime { started succeeded failed } "
                + "window { started } } }";

        Map<String, Object> scoped = data(http.graphql(summary, null, null, INITECH));
        Map<String, Object> adminFiltered = data(http.graphql(summary, Map.of("t", "initech"), null, ADMIN));
        Map<String, Object> adminAll = data(http.graphql(summary, ADMIN));

        assertEquals(adminFiltered, scoped);
        assertTrue(((Number) path(scoped, "taskSummary", "allTime", "started")).longValue() > 0);
        assertTrue(((Number) path(adminAll, "taskSummary", "allTime", "started")).longValue()
                > ((Number) path(scoped, "taskSummary", "allTime", "started")).longValue());
        List<?> load = (List<?>) data(http.graphql("{ tenantLoad(window: {hours: 2000}) { tenant } }", GLOBEX))
                .get("tenantLoad");
        assertFalse(load.isEmpty());
        load.forEach(row -> assertTrue(Set.of("globex", "umbrella").contains(((Map<?, ?>) row).get("tenant"))));
    }

    @Test
    void sourcesNeedsAnAdminTokenAndAScopedOneIsToldSo() {
        Http.Response scoped = http.graphql("{ sources { name } }", INITECH);
        Http.Response admin = http.graphql("{ sources { name } }", ADMIN);

        assertEquals("FORBIDDEN", classification(scoped));
        assertTrue(message(scoped).contains("needs an admin token"), scoped.body());
        assertEquals(2, ((List<?>) data(admin).get("sources")).size());
    }

    @Test
    void aScopedTokenCannotSeeAnotherTenantThroughAnyRootQueryOrSubscription() throws Exception {
        Set<String> otherTenants = Set.of("acme-corp", "local-dev", "globex", "umbrella");
        Set<String> otherRuns = new HashSet<>();
        String initechRun = null;
        String after = null;
        do {
            Map<String, Object> page = data(http.graphql("query P($after: String) { dagRuns(first: 1000, after: "
                    + "$after) { pageInfo { hasNextPage endCursor } edges { node { id tenant } } } }",
                    after == null ? null : Map.of("after", after), null, ADMIN));
            for (Object edge : (List<?>) path(page, "dagRuns", "edges")) {
                Map<?, ?> node = (Map<?, ?>) ((Map<?, ?>) edge).get("node");
                if (node.get("tenant").equals("initech")) {
                    initechRun = (String) node.get("id");
                } else {
                    otherRuns.add((String) node.get("id"));
                }
            }
            after = Boolean.TRUE.equals(path(page, "dagRuns", "pageInfo", "hasNextPage"))
                    ? (String) path(page, "dagRuns", "pageInfo", "endCursor") : null;
        } while (after != null);
        assertTrue(otherRuns.size() > 1000 && initechRun != null);
        String otherRun = otherRuns.iterator().next();

        GraphQLObjectType query = fixture.app.api().schema().getQueryType();
        GraphQLObjectType subscription = fixture.app.api().schema().getSubscriptionType();
        List<String> checked = new ArrayList<>();
        for (GraphQLObjectType root : List.of(query, subscription)) {
            for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
                for (boolean pointAtOthers : List.of(false, true)) {
                    String selection = field.getName() + arguments(field, pointAtOthers ? otherRun : initechRun,
                            pointAtOthers ? "acme-corp" : null) + selectAll(field.getType(), 0);
                    Map<String, Object> answer = root == query
                            ? http.graphql("{ " + selection + " }", INITECH).json()
                            : firstSubscriptionAnswer("subscription { " + selection + " }");
                    if (field.getName().equals("sources")) {
                        assertTrue(String.valueOf(answer.get("errors")).contains("needs an admin token"));
                        assertNull(answer.get("data"));
                    } else {
                        assertNull(answer.get("errors"), selection + ": " + answer);
                    }
                    Set<String> strings = new LinkedHashSet<>();
                    collectStrings(answer.get("data"), strings);
                    for (String s : strings) {
                        assertFalse(otherTenants.contains(s), root.getName() + "." + selection + " shows tenant " + s);
                        assertFalse(otherRuns.contains(s), root.getName() + "." + selection + " shows run " + s);
                    }
                    checked.add(root.getName() + "." + field.getName());
                }
            }
        }
        assertEquals(2 * (query.getFieldDefinitions().size() + subscription.getFieldDefinitions().size()),
                checked.size());
        assertTrue(checked.contains("Subscription.dagRun") && checked.contains("Query.schedules"), checked.toString());
    }

    @Test
    void answersAreCachedPerScopeSoTheSameQueryNeverCrossesFromOneTokenToAnother() {
        String query = "{ dagRuns(first: 1000) { totalCount edges { node { tenant } } } }";

        Map<String, Object> initech = data(http.graphql(query, INITECH));
        Map<String, Object> globex = data(http.graphql(query, GLOBEX));
        Map<String, Object> initechAgain = data(http.graphql(query, INITECH));

        assertEquals(initech, initechAgain);
        assertTrue(((Number) path(initech, "dagRuns", "totalCount")).longValue() > 0);
        assertTrue(((Number) path(globex, "dagRuns", "totalCount")).longValue() > 0);
        Set<Object> initechTenants = new HashSet<>();
        ((List<?>) path(initech, "dagRuns", "edges")).forEach(e -> initechTenants.add(((Map<?, ?>) ((Map<?, ?>) e)
                .get("node")).get("tenant")));
        Set<Object> globexTenants = new HashSet<>();
        ((List<?>) path(globex, "dagRuns", "edges")).forEach(e -> globexTenants.add(((Map<?, ?>) ((Map<?, ?>) e)
                .get("node")).get("tenant")));
        assertEquals(Set.of("initech"), initechTenants);
        assertTrue(Set.of("globex", "umbrella").containsAll(globexTenants), globexTenants.toString());
    }

    @Test
    void aWebSocketNeedsTheTokenInConnectionInitElseItIsClosedWith4401() throws Exception {
        try (Ws none = new Ws(fixture.server.port())) {
            none.init(Map.of());
            assertEquals(4401, none.awaitClose(Duration.ofSeconds(5)));
        }
        try (Ws wrong = new Ws(fixture.server.port())) {
            wrong.init(Map.of("Authorization", "Bearer wrong"));
            assertEquals(4401, wrong.awaitClose(Duration.ofSeconds(5)));
        }
        try (Ws early = new Ws(fixture.server.port())) {
            early.subscribe("1", "subscription { windowOf { end } }");
            assertEquals(4401, early.awaitClose(Duration.ofSeconds(5)));
        }
        try (Ws header = new Ws(fixture.server.port()); Ws token = new Ws(fixture.server.port())) {
            header.init(Map.of("Authorization", "Bearer " + ADMIN));
            token.init(Map.of("token", INITECH));
            assertEquals("connection_ack", header.next(Duration.ofSeconds(5)).get("type"));
            assertEquals("connection_ack", token.next(Duration.ofSeconds(5)).get("type"));
        }
    }

    @Test
    void noCorsHeaderIsSentWhenNoOriginIsListedAndNoTokenEverReachesTheLog() {
        Http.Response response = http.get("/health", "Origin", "https://dash.example.com");

        assertNull(response.header("Access-Control-Allow-Origin"));
        http.graphql("{ windowOf { end } }", ADMIN);
        http.graphql("{ windowOf { end } }", "some-wrong-token-value");
        String log = fixture.log();
        assertTrue(log.contains("caller=ops"), "callers are named by their token's name: " + log);
        for (String secret : List.of(ADMIN, INITECH, GLOBEX, "some-wrong-token-value", Authenticator.sha256Hex(ADMIN),
                Authenticator.sha256Hex(INITECH))) {
            assertFalse(log.contains(secret), "the log shows " + secret);
        }
    }

    private Map<String, Object> firstSubscriptionAnswer(String document) throws Exception {
        try (Ws ws = new Ws(fixture.server.port())) {
            ws.init(Map.of("Authorization", "Bearer " + INITECH));
            assertEquals("connection_ack", ws.next(Duration.ofSeconds(5)).get("type"));
            ws.subscribe("s", document);
            Map<String, Object> message = ws.next(Duration.ofSeconds(10));
            if (message.get("type").equals("error")) {
                return Map.of("errors", message.get("payload"));
            }
            assertEquals("next", message.get("type"), message.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) message.get("payload");
            return payload;
        }
    }

    /** Arguments for a root field: every required one, and tenant filters pointed at the given tenant. */
    private static String arguments(GraphQLFieldDefinition field, String runId, String tenant) {
        List<String> args = new ArrayList<>();
        for (GraphQLArgument a : field.getArguments()) {
            if (a.getName().equals("id")) {
                args.add("id: \"" + runId + "\"");
            } else if (a.getName().equals("tenant") && tenant != null) {
                args.add("tenant: \"" + tenant + "\"");
            } else if (a.getName().equals("filter") && tenant != null) {
                args.add("filter: {tenant: \"" + tenant + "\"}");
            } else if (a.getName().equals("first")) {
                args.add("first: 1000");
            } else if (a.getName().equals("window")) {
                args.add("window: {hours: 2000}");
            } else if (a.getType() instanceof GraphQLNonNull) {
                throw new AssertionError("no value for the required argument " + field.getName() + "." + a.getName());
            }
        }
        return args.isEmpty() ? "" : "(" + String.join(", ", args) + ")";
    }

    /** Every field of a type, recursively (objects up to five levels down). */
    private static String selectAll(GraphQLType type, int depth) {
        GraphQLNamedType named = GraphQLTypeUtil.unwrapAll(type);
        if (!(named instanceof GraphQLFieldsContainer container)) {
            return "";
        }
        List<String> fields = new ArrayList<>();
        for (GraphQLFieldDefinition f : container.getFieldDefinitions()) {
            boolean leaf = !(GraphQLTypeUtil.unwrapAll(f.getType()) instanceof GraphQLFieldsContainer);
            if (leaf) {
                fields.add(f.getName());
            } else if (depth < 5) {
                fields.add(f.getName() + " " + selectAll(f.getType(), depth + 1));
            }
        }
        return "{ " + String.join(" ", fields) + " }";
    }

    private static void collectStrings(Object value, Set<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectStrings(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectStrings(v, out));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Http.Response response) {
        assertEquals(200, response.status(), response.body());
        assertNull(response.json().get("errors"), response.body());
        return (Map<String, Object>) response.json().get("data");
    }

    private static Object path(Map<String, Object> data, String... keys) {
        Object current = data;
        for (String k : keys) {
            current = ((Map<?, ?>) current).get(k);
        }
        return current;
    }
}
