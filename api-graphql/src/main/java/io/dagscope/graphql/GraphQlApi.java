package io.dagscope.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.dagscope.core.port.in.CatalogQuery;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.FailureQuery;
import io.dagscope.core.port.in.RunCountsQuery;
import io.dagscope.core.port.in.TaskSeriesQuery;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.ScheduleQuery;
import io.dagscope.core.port.in.SourceStatusQuery;
import io.dagscope.core.port.in.TaskSummaryQuery;
import io.dagscope.core.port.in.TenantLoadQuery;
import io.dagscope.core.port.in.TenantScope;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * dagscope's GraphQL API: the schema in {@code schema.graphqls} wired to the core's inbound ports.
 *
 * <p>Construction builds the schema and a {@link GraphQL} once; {@link #execute} runs one request against it and may
 * be called from many threads. A server that adds a {@code PreparsedDocumentProvider}, instrumentations or limits
 * does so with {@link #customize}, and keeps calling {@link #execute}; or it runs {@link #graphQL()} itself with an
 * input from {@link #executionInput}, which puts the caller's {@link TenantScope} where the resolvers look for it.
 * Every port call is made with that scope; without one, a field fails rather than show every tenant.
 *
 * <p>Nothing here returns or accepts null unless its documentation says so.
 */
public final class GraphQlApi {

    /** The classpath resource that holds the schema, in SDL. */
    public static final String SCHEMA_RESOURCE = "/io/dagscope/graphql/schema.graphqls";

    private static final Logger LOG = LoggerFactory.getLogger(GraphQlApi.class);

    private final GraphQL graphQL;

    /**
     * The core's ports the API asks, one per group of root fields.
     *
     * @param taskSummaries answers {@code taskSummary}
     * @param runs answers {@code dagRuns} and {@code dagRun}
     * @param tenantLoads answers {@code tenantLoad}
     * @param schedules answers {@code schedules}
     * @param sources answers {@code sources}
     * @param windows answers {@code windowOf}
     * @param series answers {@code taskSeries}
     * @param failures answers {@code failures}
     * @param runCounts answers {@code runCounts}
     * @param catalog answers {@code tenants} and {@code dagNames}
     */
    public record Ports(TaskSummaryQuery taskSummaries, DagRunQuery runs, TenantLoadQuery tenantLoads,
            ScheduleQuery schedules, SourceStatusQuery sources, ResolveWindowUseCase windows, TaskSeriesQuery series,
            FailureQuery failures, RunCountsQuery runCounts, CatalogQuery catalog) {

        public Ports {
            Objects.requireNonNull(taskSummaries, "taskSummaries");
            Objects.requireNonNull(runs, "runs");
            Objects.requireNonNull(tenantLoads, "tenantLoads");
            Objects.requireNonNull(schedules, "schedules");
            Objects.requireNonNull(sources, "sources");
            Objects.requireNonNull(windows, "windows");
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(failures, "failures");
            Objects.requireNonNull(runCounts, "runCounts");
            Objects.requireNonNull(catalog, "catalog");
        }

        /**
         * Every port from one object that implements them all (the engine, or a live view of it).
         *
         * @param engine the engine
         * @param <E> its type
         * @return the ports
         */
        public static <E extends TaskSummaryQuery & DagRunQuery & TenantLoadQuery & ScheduleQuery
                & SourceStatusQuery & ResolveWindowUseCase & TaskSeriesQuery & FailureQuery & RunCountsQuery
                & CatalogQuery> Ports of(E engine) {
            return of(engine, engine);
        }

        /**
         * Every port from an engine, with the sources answered apart (an engine reads no sources itself).
         *
         * @param engine the engine
         * @param sources answers {@code sources}
         * @param <E> the engine's type
         * @return the ports
         */
        public static <E extends TaskSummaryQuery & DagRunQuery & TenantLoadQuery & ScheduleQuery
                & ResolveWindowUseCase & TaskSeriesQuery & FailureQuery & RunCountsQuery & CatalogQuery> Ports of(
                E engine, SourceStatusQuery sources) {
            return new Ports(engine, engine, engine, engine, sources, engine, engine, engine, engine, engine);
        }

        /**
         * @param replacement answers {@code taskSummary} instead
         * @return these ports with that one replaced
         */
        public Ports withTaskSummaries(TaskSummaryQuery replacement) {
            return new Ports(replacement, runs, tenantLoads, schedules, sources, windows, series, failures,
                    runCounts, catalog);
        }

        /**
         * @param replacement answers {@code dagRuns} and {@code dagRun} instead
         * @return these ports with that one replaced
         */
        public Ports withRuns(DagRunQuery replacement) {
            return new Ports(taskSummaries, replacement, tenantLoads, schedules, sources, windows, series, failures,
                    runCounts, catalog);
        }

        /**
         * @param replacement answers {@code sources} instead
         * @return these ports with that one replaced
         */
        public Ports withSources(SourceStatusQuery replacement) {
            return new Ports(taskSummaries, runs, tenantLoads, schedules, replacement, windows, series, failures,
                    runCounts, catalog);
        }
    }

    /**
     * Builds the API over the core's ports.
     *
     * @param ports the ports
     */
    public GraphQlApi(Ports ports) {
        this(GraphQL.newGraphQL(schema(new QueryResolvers(ports))).defaultDataFetcherExceptionHandler(
                new ApiErrorHandler()).build());
    }

    private GraphQlApi(GraphQL graphQL) {
        this.graphQL = graphQL;
    }

    /**
     * Builds the API over an engine that implements every port.
     *
     * @param engine the engine
     * @param <E> its type
     * @return the API
     */
    public static <E extends TaskSummaryQuery & DagRunQuery & TenantLoadQuery & ScheduleQuery & SourceStatusQuery
            & ResolveWindowUseCase & TaskSeriesQuery & FailureQuery & RunCountsQuery & CatalogQuery> GraphQlApi of(
            E engine) {
        return new GraphQlApi(Ports.of(engine));
    }

    /**
     * The same API with a changed {@link GraphQL}, e.g. a {@code PreparsedDocumentProvider} or an instrumentation
     * added. The schema and the error handling are kept, unless the customizer replaces the execution strategies.
     *
     * @param customizer changes the builder, which starts as a copy of this API's {@link GraphQL}
     * @return a new API; this one is unchanged
     */
    public GraphQlApi customize(Consumer<GraphQL.Builder> customizer) {
        return new GraphQlApi(graphQL.transform(customizer));
    }

    /** @return the executable schema */
    public GraphQLSchema schema() {
        return graphQL.getGraphQLSchema();
    }

    /**
     * The configured {@link GraphQL}. Run it with an input from {@link #executionInput}, so that the caller's scope
     * reaches the resolvers.
     *
     * @return the engine that executes requests
     */
    public GraphQL graphQL() {
        return graphQL;
    }

    /**
     * The schema as SDL, as {@link #SCHEMA_RESOURCE} holds it (e.g. for a server to publish).
     *
     * @return the SDL text
     */
    public static String schemaSdl() {
        try (InputStream in = GraphQlApi.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the classpath: " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
        }
    }

    /**
     * An execution input for one request, with the caller's scope in its GraphQL context. The builder can take more
     * (a data loader registry, a locale, an execution id) before it is built.
     *
     * @param query the GraphQL document
     * @param variables the variables, or null for none
     * @param operationName the operation to run, or null when the document has one
     * @param scope the tenants the caller may see
     * @return the input's builder
     * @throws NullPointerException if {@code query} or {@code scope} is null
     */
    public static ExecutionInput.Builder executionInput(String query, Map<String, Object> variables,
            String operationName, TenantScope scope) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(scope, "scope");
        return ExecutionInput.newExecutionInput()
                .query(query)
                .variables(variables == null ? Map.of() : variables)
                .operationName(operationName)
                .graphQLContext(Map.of(TenantScope.class, scope));
    }

    /**
     * Runs one request.
     *
     * @param query the GraphQL document; null or blank is answered with an error
     * @param variables the variables, or null for none
     * @param operationName the operation to run, or null when the document has one
     * @param scope the tenants the caller may see
     * @return the result as the GraphQL specification shapes it: {@code data}, {@code errors}, {@code extensions};
     *     for a subscription, its first (in-process: its only) event, the current answer
     * @throws NullPointerException if {@code scope} is null: an unknown caller must not see every tenant
     */
    public Map<String, Object> execute(String query, Map<String, Object> variables, String operationName,
            TenantScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (query == null || query.isBlank()) {
            return errorResult(GraphqlErrorBuilder.newError()
                    .message("No query: the request must contain a GraphQL document")
                    .errorType(ErrorCode.BAD_USER_INPUT)
                    .build());
        }
        try {
            ExecutionResult result = graphQL.execute(executionInput(query, variables, operationName, scope));
            if (result.getData() instanceof Publisher<?> events) {
                return firstEvent(events);
            }
            return result.toSpecification();
        } catch (RuntimeException e) {
            // a failure outside any field (the data fetcher handler covers those): still an answer, not a trace
            String incident = UUID.randomUUID().toString();
            LOG.error("Executing a GraphQL request failed (incident {})", incident, e);
            return errorResult(GraphqlErrorBuilder.newError()
                    .message("%s", ApiErrorHandler.internalMessage("the request", incident))
                    .errorType(ErrorCode.INTERNAL_ERROR)
                    .extensions(Map.of("incident", incident))
                    .build());
        }
    }

    /**
     * A subscription's first event: executed in-process, its stream publishes the answer at once and completes (see
     * {@link OnceValuePublisher}), so waiting for it takes no longer than the query would.
     */
    private static Map<String, Object> firstEvent(Publisher<?> events) {
        CompletableFuture<Map<String, Object>> first = new CompletableFuture<>();
        events.subscribe(new Subscriber<Object>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(Object event) {
                first.complete(((ExecutionResult) event).toSpecification());
            }

            @Override
            public void onError(Throwable error) {
                first.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                first.complete(ExecutionResult.newExecutionResult().data(null).build().toSpecification());
            }
        });
        try {
            return first.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static Map<String, Object> errorResult(graphql.GraphQLError error) {
        return ExecutionResult.newExecutionResult().addError(error).build().toSpecification();
    }

    private static GraphQLSchema schema(QueryResolvers resolvers) {
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaSdl()),
                ApiWiring.runtimeWiring(resolvers));
    }
}
