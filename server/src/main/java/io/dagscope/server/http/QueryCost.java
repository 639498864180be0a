package io.dagscope.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ParseAndValidate;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Estimates what a query costs before it runs, from the list sizes it asks for, as GitHub's GraphQL API does: each
 * selected field costs 1 plus what is selected under it, and a field that returns a list multiplies that by the number
 * of items it may return: its size argument ({@code first} of {@code dagRuns} and {@code failures}, 0 to 1000, 20 when
 * absent), the buckets {@code taskSeries} makes (from {@code bucketMinutes} and the window, at most 1000; 60 when the
 * server chooses; each bucket costs {@value #BUCKET_WORK}, not 1, as it sums every series), {@value #RETRIES} for a
 * task's retries, or {@value #UNSIZED_LIST} for any other list, which takes no size argument (a run's tasks, schedules,
 * tenants...). Variables are resolved, fragments are counted where they are spread and aliases each on their own.
 * Introspection fields cost 1.
 */
final class QueryCost {

    /** The items a list without a size argument counts as. */
    static final int UNSIZED_LIST = 20;
    /** The items a task's {@code retries} count as: the orchestrator retries a task a few times at most. */
    static final int RETRIES = 5;
    /** The items {@code taskSeries} counts as when the server chooses the buckets (about 60). */
    static final int CHOSEN_BUCKETS = 60;
    /** What one bucket of {@code taskSeries} costs before its fields: it sums every series of the window. */
    static final int BUCKET_WORK = 100;
    /** The most items one list may return: {@code first} and the buckets are capped there by the API. */
    static final int MAX_LIST = 1000;
    /** The page size of {@code dagRuns} and {@code failures} when {@code first} is absent or null. */
    static final int DEFAULT_FIRST = 20;

    /**
     * A query's estimated cost.
     *
     * @param total the whole query's cost
     * @param drivers the fields that multiply it most, costliest first: what to change to lower it
     */
    record Estimate(long total, List<Driver> drivers) {
        Estimate {
            drivers = List.copyOf(drivers);
        }

        /**
         * @return the drivers as text, costliest first, the same field under other aliases counted once, e.g.
         *     {@code a0 (first: 1000, ×1000) 215,000 (and 9 more like it); a0.edges.node.tasks (...) 210}
         */
        String describeDrivers() {
            Map<String, Integer> alike = new LinkedHashMap<>();
            Map<String, Driver> first = new LinkedHashMap<>();
            for (Driver d : drivers) {
                String shape = d.fields() + "|" + d.why();
                alike.merge(shape, 1, Integer::sum);
                first.putIfAbsent(shape, d);
            }
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Driver> e : first.entrySet()) {
                if (parts.size() == 4) {
                    break;
                }
                Driver d = e.getValue();
                int more = alike.get(e.getKey()) - 1;
                parts.add(d.path() + " (" + d.why() + ") " + format(d.cost())
                        + (more > 0 ? " (and " + more + " more like it)" : ""));
            }
            return String.join("; ", parts);
        }
    }

    /**
     * A list field and what it costs with everything under it.
     *
     * @param path where it is in the query, by response keys ({@code runs.edges.node.tasks})
     * @param why its size and where the size comes from
     * @param cost its cost, everything under it included
     * @param fields where it is in the query, by field names: the same for the same field under other aliases
     */
    record Driver(String path, String why, long cost, String fields) {
    }

    private final GraphQLSchema schema;
    private final ParserOptions parserOptions;
    private final LongSupplier defaultWindowMinutes;
    private final Cache<String, Optional<Document>> documents = Caffeine.newBuilder()
            .maximumWeight(16L << 20)
            .<String, Optional<Document>>weigher((query, document) -> query.length() + 64)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    /**
     * @param schema the schema
     * @param parserOptions the parser's limits
     * @param defaultWindowMinutes the length of the default window, for a {@code taskSeries} without {@code hours}
     */
    QueryCost(GraphQLSchema schema, ParserOptions parserOptions, LongSupplier defaultWindowMinutes) {
        this.schema = schema;
        this.parserOptions = parserOptions;
        this.defaultWindowMinutes = defaultWindowMinutes;
    }

    /**
     * Estimates a request's cost before it runs (the parsed and validated documents are kept by their text).
     *
     * @param request the request
     * @return the estimate; empty when execution will refuse the request at once (a syntax or validation error,
     *     variables that do not fit, no such operation) and for introspection, which the schema bounds
     */
    Optional<Estimate> estimate(GraphQlRequest request) {
        Optional<Document> document = documents.get(request.query(), this::parseAndValidate);
        if (document.isEmpty()) {
            return Optional.empty();
        }
        try {
            OperationDefinition operation = NodeUtil.getOperation(document.get(), request.operationName())
                    .operationDefinition;
            if (OperationGate.introspectionOnly(operation)) {
                return Optional.empty();
            }
            return Optional.of(estimate(schema, document.get(), request.operationName(), request.variables()));
        } catch (RuntimeException e) {
            return Optional.empty(); // execution reports the unknown operation or the variables that do not fit
        }
    }

    private Optional<Document> parseAndValidate(String query) {
        try {
            Document document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment().document(query)
                    .parserOptions(parserOptions).build());
            return ParseAndValidate.validate(schema, document).isEmpty() ? Optional.of(document) : Optional.empty();
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * @param schema the schema
     * @param document a valid document
     * @param operationName the operation to estimate, or null when the document has one
     * @param variables the raw variables (coerced as execution would)
     * @return the estimate
     * @throws RuntimeException if the variables cannot be coerced (execution reports that)
     */
    Estimate estimate(GraphQLSchema schema, Document document, String operationName, Map<String, Object> variables) {
        QueryTraverser traverser = QueryTraverser.newQueryTraverser().schema(schema).document(document)
                .operationName(operationName).variables(variables).build();
        Map<QueryVisitorFieldEnvironment, Long> childCosts = new HashMap<>();
        List<Driver> drivers = new ArrayList<>();
        long[] total = {0};
        traverser.visitPostOrder(new QueryVisitorStub() {
            @Override
            public void visitField(QueryVisitorFieldEnvironment env) {
                Long counted = childCosts.remove(env);
                long children = counted == null ? 0 : counted;
                Size size = size(env);
                long cost = saturatedMultiply(size.items(), saturatedAdd(size.work(), children));
                if (size.why() != null && size.items() > 1) {
                    drivers.add(new Driver(path(env, false), size.why(), cost, path(env, true)));
                }
                QueryVisitorFieldEnvironment parent = env.getParentEnvironment();
                if (parent == null) {
                    total[0] = saturatedAdd(total[0], cost);
                } else {
                    childCosts.merge(parent, cost, QueryCost::saturatedAdd);
                }
            }
        });
        drivers.sort(Comparator.comparingLong(Driver::cost).reversed());
        return new Estimate(total[0], drivers);
    }

    /**
     * How many items a field may return, and why ({@code why} is null for a field that is not a list), and what each
     * item costs before what is selected under it.
     */
    private record Size(long items, String why, long work) {
        Size(long items, String why) {
            this(items, why, 1);
        }
    }

    private Size size(QueryVisitorFieldEnvironment env) {
        if (env.isTypeNameIntrospectionField() || env.getFieldDefinition().getName().startsWith("__")) {
            return new Size(1, null);
        }
        String field = env.getFieldsContainer().getName() + "." + env.getFieldDefinition().getName();
        Map<String, Object> args = env.getArguments();
        switch (field) {
            case "Query.dagRuns", "Subscription.dagRuns", "Query.failures", "Subscription.failures" -> {
                Object first = args.get("first");
                long n = first instanceof Number number ? clamp(number.longValue()) : DEFAULT_FIRST;
                return new Size(n, first instanceof Number ? "first: " + first + ", ×" + n
                        : "first absent: " + DEFAULT_FIRST + ", ×" + n);
            }
            case "Query.taskSeries", "Subscription.taskSeries" -> {
                return buckets(args);
            }
            case "DagRunConnection.edges", "TaskSeries.buckets" -> {
                return new Size(1, null); // counted on dagRuns and taskSeries
            }
            case "TaskRun.retries" -> {
                return new Size(RETRIES, "a task's retries, ×" + RETRIES);
            }
            default -> {
                if (GraphQLTypeUtil.unwrapNonNull(env.getFieldDefinition().getType()) instanceof GraphQLList) {
                    return new Size(UNSIZED_LIST, "a list without a size argument, ×" + UNSIZED_LIST);
                }
                return new Size(1, null);
            }
        }
    }

    private Size buckets(Map<String, Object> args) {
        if (!(args.get("bucketMinutes") instanceof Number bucket) || bucket.longValue() < 1) {
            return new Size(CHOSEN_BUCKETS, "about " + CHOSEN_BUCKETS + " buckets chosen by the server, ×"
                    + CHOSEN_BUCKETS + " buckets of " + BUCKET_WORK, BUCKET_WORK);
        }
        long minutes = defaultWindowMinutes.getAsLong();
        if (args.get("window") instanceof Map<?, ?> window && window.get("hours") instanceof Number hours
                && hours.doubleValue() > 0) {
            minutes = (long) Math.ceil(Math.min(hours.doubleValue(), 1e9) * 60);
        }
        long n = clamp((minutes + bucket.longValue() - 1) / bucket.longValue());
        return new Size(n, "bucketMinutes: " + bucket + " over " + minutes + " minutes, ×" + n + " buckets of "
                + BUCKET_WORK, BUCKET_WORK);
    }

    private static long clamp(long n) {
        return Math.max(0, Math.min(MAX_LIST, n));
    }

    private static String path(QueryVisitorFieldEnvironment env, boolean byName) {
        List<String> keys = new ArrayList<>();
        for (QueryVisitorFieldEnvironment e = env; e != null; e = e.getParentEnvironment()) {
            keys.add(0, byName ? e.getField().getName() : e.getField().getResultKey());
        }
        return String.join(".", keys);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** @return the number with thousands separators, as messages show it */
    static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
