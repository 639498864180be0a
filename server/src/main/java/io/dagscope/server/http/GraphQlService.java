package io.dagscope.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.graphql.GraphQlApi;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs GraphQL requests for both transports: parsed documents and error-free answers cached, parser, depth and
 * complexity limits applied, and each execution run on a bounded pool of its own threads so that it can be timed out.
 * A timed-out execution is cancelled for real: graphql-java's cooperative cancellation stops it before its next field,
 * and its thread is interrupted, which stops a data fetcher that waits.
 */
final class GraphQlService implements AutoCloseable {

    /** Parser limits: far above any document a person or the dashboard writes, far below what hurts the server. */
    static final int MAX_TOKENS = 15_000;
    static final int MAX_WHITESPACE_TOKENS = 100_000;
    static final int MAX_RULE_DEPTH = 200;
    /** What {@link #probe} runs. */
    static final String PROBE = "{ __typename }";
    /** How long past the query timeout a busy pool may go without finishing an execution before it counts as stuck. */
    static final Duration STALL_GRACE = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GraphQL graphQL;
    private final LongSupplier version;
    private final ResolveWindowUseCase windows;
    private final ServerMetrics metrics;
    private final ServerLog log;
    private final Redactor redactor;
    private final long timeoutMillis;
    private final ParserOptions parserOptions;
    private final DocumentCache documents;
    private final ResultCache results;
    private final ThreadPoolExecutor pool;
    private volatile String fatal;
    private long probedCompleted = -1;
    private long progressAt = System.nanoTime();

    /**
     * @param api the API
     * @param version the engine's data version
     * @param windows resolves the default window, whose end is part of every cache key
     * @param options the limits
     * @param metrics counts what happens
     * @param log where failures are logged
     * @param redactor masks secrets in answers (a source's error that quotes one)
     */
    GraphQlService(GraphQlApi api, LongSupplier version, ResolveWindowUseCase windows, ServerOptions options,
            ServerMetrics metrics, ServerLog log, Redactor redactor) {
        this.documents = new DocumentCache(16L << 20);
        this.results = new ResultCache(64L << 20);
        this.graphQL = api.customize(builder -> builder
                .preparsedDocumentProvider(documents)
                .instrumentation(new ChainedInstrumentation(List.of(new OperationGate(),
                        new DepthLimit(options.maxQueryDepth()), new ComplexityLimit(options.maxQueryComplexity())))))
                .graphQL();
        this.version = version;
        this.windows = windows;
        this.metrics = metrics;
        this.log = log;
        this.redactor = redactor;
        this.timeoutMillis = options.queryTimeout().toMillis();
        this.parserOptions = ParserOptions.getDefaultOperationParserOptions().transform(b -> b
                .maxCharacters((int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()))
                .maxTokens(MAX_TOKENS)
                .maxWhitespaceTokens(MAX_WHITESPACE_TOKENS)
                .maxRuleDepth(MAX_RULE_DEPTH));
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "dagscope-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** @return the schema requests run against */
    GraphQLSchema schema() {
        return graphQL.getGraphQLSchema();
    }

    /** @return the parser limits every document is parsed with */
    ParserOptions parserOptions() {
        return parserOptions;
    }

    /**
     * Answers one request, from the cache when the same request was answered for the same scope, default window and
     * data version.
     *
     * @param request the request
     * @param caller who asks
     * @param transport {@code http} or {@code websocket}, for metrics
     * @return the answer
     */
    Answer execute(GraphQlRequest request, Caller caller, String transport) {
        long start = System.nanoTime();
        Answer answer = answer(request, caller);
        metrics.graphql(answer.operation(), transport, answer.outcome(), System.nanoTime() - start);
        return answer;
    }

    private Answer answer(GraphQlRequest request, Caller caller) {
        String requested = metrics.operationLabel(request.operationName());
        if (request.query().isBlank()) {
            return error(requested, Outcome.ERRORS, "No query: the request must contain a GraphQL document",
                    "BAD_REQUEST");
        }
        long windowEnd = windows.resolveWindow(WindowRequest.DEFAULT).endMinute();
        ResultCache.Key key = new ResultCache.Key(request.query(), request.variables(), request.operationName(),
                caller.scope(), windowEnd, version.getAsLong());
        var cached = results.get(key);
        if (cached.isPresent()) {
            metrics.cacheHit();
            return cached.get();
        }
        metrics.cacheMiss();
        ExecutionInput input = GraphQlApi.executionInput(request.query(), request.variables(),
                request.operationName(), caller.scope())
                .graphQLContext(Map.of(ParserOptions.class, parserOptions))
                .build();
        Future<ExecutionResult> running;
        try {
            running = pool.submit(() -> graphQL.execute(input));
        } catch (RejectedExecutionException e) {
            return error(requested, Outcome.BUSY, "The server is busy: every execution thread is taken and the queue "
                    + "is full; try again shortly", "BUSY");
        }
        ExecutionResult result;
        try {
            result = running.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            input.cancel();
            running.cancel(true);
            return error(requested, Outcome.TIMEOUT, "The query ran longer than " + timeoutMillis + " ms and was "
                    + "cancelled (dagscope serve --query-timeout-ms)", "TIMEOUT");
        } catch (InterruptedException e) {
            input.cancel();
            running.cancel(true);
            Thread.currentThread().interrupt();
            return error(requested, Outcome.ERRORS, "The request was interrupted", "INTERNAL_ERROR");
        } catch (ExecutionException e) {
            String incident = UUID.randomUUID().toString();
            log.error("executing a GraphQL request failed (incident " + incident + ")", e.getCause());
            if (Liveness.isFatal(e.getCause())) {
                fatal = Liveness.describe("an execution failed", e.getCause());
            }
            return error(requested, Outcome.ERRORS, "Internal error; the server's log has the details under incident "
                    + incident, "INTERNAL_ERROR");
        }
        GraphQLContext context = input.getGraphQLContext();
        String operation = context.hasKey(OperationGate.OPERATION)
                ? metrics.operationLabel(context.get(OperationGate.OPERATION)) : requested;
        Outcome outcome = context.getOrDefault(OperationGate.REFUSED, false) ? Outcome.NOT_A_QUERY
                : result.getErrors().isEmpty() ? Outcome.OK : Outcome.ERRORS;
        Answer answer = new Answer(redactor.redact(serialize(result.toSpecification())), operation, outcome,
                result.getData() != null);
        results.put(key, answer);
        return answer;
    }

    private static Answer error(String operation, Outcome outcome, String message, String classification) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", Map.of("classification", classification));
        return new Answer(serialize(Map.of("errors", List.of(error))), operation, outcome, false);
    }

    static byte[] serialize(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a GraphQL result that JSON cannot hold", e);
        }
    }

    /**
     * Whether executions can run: a trivial query ({@value #PROBE}) is run on the pool and must answer within the
     * deadline. If it does not (every thread is taken and the queue holds others' work), the pool counts as working
     * while executions keep finishing: every one is cancelled at the query timeout, so a working pool finishes one at
     * least every query timeout; none for longer than that and {@link #STALL_GRACE} means its threads are stuck.
     *
     * @param deadline how long the trivial query may take
     * @return empty when executions run, else why they do not
     */
    synchronized Optional<String> probe(Duration deadline) {
        if (fatal != null) {
            return Optional.of(fatal);
        }
        long now = System.nanoTime();
        long completed = pool.getCompletedTaskCount();
        if (completed != probedCompleted) {
            probedCompleted = completed;
            progressAt = now;
        }
        Future<ExecutionResult> trivial = null;
        try {
            trivial = pool.submit(() -> graphQL.execute(ExecutionInput.newExecutionInput(PROBE)
                    .graphQLContext(Map.of(ParserOptions.class, parserOptions)).build()));
            ExecutionResult result = trivial.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return result.getErrors().isEmpty() ? Optional.empty()
                    : Optional.of("a trivial query failed: " + result.getErrors().get(0).getMessage());
        } catch (RejectedExecutionException | TimeoutException e) {
            if (trivial != null) {
                trivial.cancel(true);
                pool.remove((Runnable) trivial);
            }
        } catch (ExecutionException e) {
            return Optional.of("a trivial query failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (pool.getCompletedTaskCount() != probedCompleted) {
            return Optional.empty();
        }
        long stalled = System.nanoTime() - progressAt;
        if (stalled <= TimeUnit.MILLISECONDS.toNanos(timeoutMillis) + STALL_GRACE.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("no execution has finished for " + TimeUnit.NANOSECONDS.toSeconds(stalled) + " s while "
                + "every execution thread is busy: they are stuck");
    }

    /** @return how many answers the result cache keeps */
    long cachedAnswers() {
        return results.size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
