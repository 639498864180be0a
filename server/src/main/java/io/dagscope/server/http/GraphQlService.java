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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs GraphQL requests for both transports: parsed documents and error-free answers cached, parser, depth and
 * complexity limits applied, the cost estimated and refused above {@code --max-query-cost} before anything runs, and
 * each execution charged to its caller's budgets and run on a {@link FairScheduler}'s threads, shared fairly between
 * callers, so that it can be timed out. A timed-out execution is cancelled for real: graphql-java's cooperative
 * cancellation stops it before its next field, and its thread is interrupted, which stops a data fetcher that waits.
 * An answer larger than {@code --max-response-bytes} is replaced by an error, its execution stopped where it can be.
 */
final class GraphQlService implements AutoCloseable {

    /** Parser limits: far above any document a person or the dashboard writes, far below what hurts the server. */
    static final int MAX_TOKENS = 15_000;
    static final int MAX_WHITESPACE_TOKENS = 100_000;
    static final int MAX_RULE_DEPTH = 200;
    /** The most executions waiting for a thread, over every caller; beyond, requests are refused as busy. */
    static final int MAX_QUEUED = 256;
    /** What {@link #probe} runs. */
    static final String PROBE = "{ __typename }";
    /** How long past the query timeout a busy pool may go without finishing an execution before it counts as stuck. */
    static final Duration STALL_GRACE = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Measures each execution's CPU time: an execution dearer than its estimate is charged the difference. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Logger LOG = LoggerFactory.getLogger(GraphQlService.class);

    private final GraphQL graphQL;
    private final LongSupplier version;
    private final ResolveWindowUseCase windows;
    private final ServerMetrics metrics;
    private final Redactor redactor;
    private final long timeoutMillis;
    private final FairShare fairShare;
    private final ParserOptions parserOptions;
    private final DocumentCache documents;
    private final ResultCache results;
    private final QueryCost costs;
    private final FairScheduler scheduler;
    private final ScheduledThreadPoolExecutor timeouts;
    private final LongSupplier cpuClock;
    private volatile String fatal;
    private long probedCompleted = -1;
    private long progressAt = System.nanoTime();

    /**
     * @param api the API
     * @param version the engine's data version
     * @param windows resolves the default window, whose end is part of every cache key
     * @param options the limits
     * @param metrics counts what happens
     * @param redactor masks secrets in answers (a source's error that quotes one)
     * @param nanoClock the clock that callers' rate budgets refill by
     * @param cpuClock the current thread's CPU time in nanoseconds, which executions are charged by
     */
    GraphQlService(GraphQlApi api, LongSupplier version, ResolveWindowUseCase windows, ServerOptions options,
            ServerMetrics metrics, Redactor redactor, LongSupplier nanoClock, LongSupplier cpuClock) {
        this.fairShare = options.fairShare();
        this.documents = new DocumentCache(16L << 20);
        this.results = new ResultCache(64L << 20);
        this.graphQL = api.customize(builder -> builder
                .preparsedDocumentProvider(documents)
                .instrumentation(new ChainedInstrumentation(List.of(new OperationGate(),
                        new DepthLimit(options.maxQueryDepth()), new ComplexityLimit(options.maxQueryComplexity()),
                        new ResponseLimit(fairShare.maxResponseBytes())))))
                .graphQL();
        this.version = version;
        this.windows = windows;
        this.metrics = metrics;
        this.redactor = redactor;
        this.timeoutMillis = options.queryTimeout().toMillis();
        this.parserOptions = ParserOptions.getDefaultOperationParserOptions().transform(b -> b
                .maxCharacters((int) Math.min(Integer.MAX_VALUE, options.maxBodyBytes()))
                .maxTokens(MAX_TOKENS)
                .maxWhitespaceTokens(MAX_WHITESPACE_TOKENS)
                .maxRuleDepth(MAX_RULE_DEPTH));
        this.costs = new QueryCost(graphQL.getGraphQLSchema(), parserOptions,
                () -> windows.resolveWindow(WindowRequest.DEFAULT).minutes());
        this.scheduler = new FairScheduler(fairShare.threads(), fairShare.callerConcurrency(), MAX_QUEUED,
                fairShare.callerCostPerSecond(), fairShare.callerBurstCost(), nanoClock);
        this.timeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dagscope-query-timeouts");
            t.setDaemon(true);
            return t;
        });
        this.timeouts.setRemoveOnCancelPolicy(true);
        this.cpuClock = cpuClock;
        metrics.waitingFrom(scheduler::waiting);
    }

    /** @return the current thread's CPU time in nanoseconds, 0 where the JVM cannot tell */
    static long threadCpuNanos() {
        long nanos = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : 0;
        return Math.max(0, nanos);
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
     * data version; waits for the answer.
     *
     * @param request the request
     * @param caller who asks
     * @param budgetKey whose budgets the request is charged to (see {@link Access#budgetKey})
     * @param transport {@code http} or {@code websocket}, for metrics
     * @return the answer
     */
    Answer execute(GraphQlRequest request, Caller caller, String budgetKey, String transport) {
        return submit(request, caller, budgetKey, transport).join();
    }

    /**
     * Answers one request, as {@link #execute}, without waiting: the cost is estimated and the budgets are charged at
     * once, and the answer comes when the execution ends (on its thread).
     *
     * @param request the request
     * @param caller who asks
     * @param budgetKey whose budgets the request is charged to
     * @param transport {@code http} or {@code websocket}, for metrics
     * @return the answer, to come
     */
    CompletableFuture<Answer> submit(GraphQlRequest request, Caller caller, String budgetKey, String transport) {
        long start = System.nanoTime();
        return answer(request, caller, budgetKey).thenApply(answer -> {
            long nanos = System.nanoTime() - start;
            metrics.graphql(answer.operation(), transport, answer.outcome(), nanos);
            if (LOG.isDebugEnabled()) { // the operation's name and the caller's, never the query or its variables
                LOG.debug("graphql over {}: operation={} caller={} outcome={} {} bytes {} ms", transport,
                        answer.operation(), caller.name(), answer.outcome(), answer.json().length,
                        String.format(Locale.ROOT, "%.1f", nanos / 1e6));
            }
            return answer;
        });
    }

    private CompletableFuture<Answer> answer(GraphQlRequest request, Caller caller, String budgetKey) {
        String requested = metrics.operationLabel(request.operationName());
        if (request.query().isBlank()) {
            return CompletableFuture.completedFuture(error(requested, Outcome.ERRORS, "No query: the request must "
                    + "contain a GraphQL document", "BAD_REQUEST"));
        }
        long windowEnd = windows.resolveWindow(WindowRequest.DEFAULT).endMinute();
        ResultCache.Key key = new ResultCache.Key(request.query(), request.variables(), request.operationName(),
                caller.scope(), windowEnd, version.getAsLong());
        var cached = results.get(key);
        if (cached.isPresent()) {
            metrics.cacheHit();
            return CompletableFuture.completedFuture(cached.get());
        }
        metrics.cacheMiss();
        FairScheduler.Submission<Void> early = scheduler.refuseEarly(budgetKey);
        if (early != null) {
            return CompletableFuture.completedFuture(refused(requested, early, 0, budgetKey));
        }
        long cost = 1;
        long readStart = cpuClock.getAsLong();
        Optional<QueryCost.Estimate> estimate = costs.estimate(request);
        // reading a document costs its caller too: a stream of new documents is paid for even when refused
        scheduler.charge(budgetKey, (cpuClock.getAsLong() - readStart) / 1000);
        if (estimate.isPresent()) {
            cost = Math.max(1, estimate.get().total());
            if (cost > fairShare.maxQueryCost()) {
                return CompletableFuture.completedFuture(tooCostly(requested, estimate.get()));
            }
        }
        ExecutionInput input = GraphQlApi.executionInput(request.query(), request.variables(),
                request.operationName(), caller.scope())
                .graphQLContext(Map.of(ParserOptions.class, parserOptions))
                .build();
        long estimated = cost;
        FairScheduler.Submission<Answer> submission = scheduler.submit(budgetKey, cost, () -> {
            long cpuStart = cpuClock.getAsLong();
            try {
                return finish(requested, key, input, graphQL.execute(input));
            } finally {
                long spentMicros = (cpuClock.getAsLong() - cpuStart) / 1000;
                if (spentMicros > estimated) {
                    scheduler.charge(budgetKey, spentMicros - estimated);
                }
            }
        });
        if (!submission.accepted()) {
            return CompletableFuture.completedFuture(refused(requested, submission, cost, budgetKey));
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = timeouts.schedule(() -> {
            timedOut.set(true);
            input.cancel();
            scheduler.cancel(submission.task());
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return submission.result().handle((answer, failure) -> {
            timer.cancel(false);
            if (failure == null) {
                return answer;
            }
            if (timedOut.get()) {
                return error(requested, Outcome.TIMEOUT, "The query ran longer than " + timeoutMillis + " ms and "
                        + "was cancelled (dagscope serve --query-timeout-ms)", "TIMEOUT");
            }
            if (failure instanceof CancellationException || failure instanceof InterruptedException) {
                return error(requested, Outcome.ERRORS, "The request was cancelled: the server is stopping",
                        "INTERNAL_ERROR");
            }
            String incident = UUID.randomUUID().toString();
            LOG.error("executing a GraphQL request failed (incident {})", incident, failure);
            if (Liveness.isFatal(failure)) {
                fatal = Liveness.describe("an execution failed", failure);
            }
            return error(requested, Outcome.ERRORS, "Internal error; the server's log has the details under incident "
                    + incident, "INTERNAL_ERROR");
        });
    }

    /** Turns a result into the answer, on the execution's thread; an answer over the size limit is an error. */
    private Answer finish(String requested, ResultCache.Key key, ExecutionInput input, ExecutionResult result) {
        GraphQLContext context = input.getGraphQLContext();
        String operation = context.hasKey(OperationGate.OPERATION)
                ? metrics.operationLabel(context.get(OperationGate.OPERATION)) : requested;
        long max = fairShare.maxResponseBytes();
        if (context.getOrDefault(ResponseLimit.EXCEEDED, false)) {
            return tooLarge(operation, "The answer grew past " + max + " bytes, the most this server sends, and its "
                    + "execution was stopped");
        }
        Outcome outcome = context.getOrDefault(OperationGate.REFUSED, false) ? Outcome.NOT_A_QUERY
                : result.getErrors().isEmpty() ? Outcome.OK : Outcome.ERRORS;
        byte[] json = redactor.redact(serialize(result.toSpecification()));
        if (json.length > max) {
            return tooLarge(operation, "The answer is " + json.length + " bytes; this server sends at most " + max);
        }
        Answer answer = new Answer(json, operation, outcome, result.getData() != null);
        results.put(key, answer);
        return answer;
    }

    private static Answer tooLarge(String operation, String what) {
        return error(operation, Outcome.TOO_LARGE, what + " (dagscope serve --max-response-bytes). Ask for less: a "
                + "smaller first, fewer fields under lists, or page through the results with after.",
                "RESPONSE_TOO_LARGE");
    }

    private Answer tooCostly(String operation, QueryCost.Estimate estimate) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("classification", "QUERY_TOO_COSTLY");
        extensions.put("cost", estimate.total());
        extensions.put("maxCost", fairShare.maxQueryCost());
        return error(operation, Outcome.TOO_COSTLY, "The query's estimated cost is "
                + QueryCost.format(estimate.total()) + "; this server allows at most "
                + QueryCost.format(fairShare.maxQueryCost()) + " (dagscope serve --max-query-cost). Each field costs 1 "
                + "plus what is selected under it, times the items a list may return. Most of it comes from: "
                + estimate.describeDrivers() + ". To lower it, ask for fewer items (a smaller first, fewer buckets "
                + "with a larger bucketMinutes or a shorter window), select fewer fields under lists, or split the "
                + "query.", extensions, 0, null);
    }

    private Answer refused(String operation, FairScheduler.Submission<?> refusal, long cost, String budgetKey) {
        long retry = refusal.retryAfterSeconds();
        Map<String, Object> extensions = new LinkedHashMap<>();
        String message;
        if (refusal.refused() == FairScheduler.Budget.QUEUE) {
            return error(operation, Outcome.BUSY, "The server is busy: every execution thread is taken and the queue "
                    + "is full; try again shortly", "BUSY");
        }
        if (refusal.refused() == FairScheduler.Budget.CONCURRENCY) {
            message = "Too many queries at once: " + budgetKey + " already has " + fairShare.callerConcurrency()
                    + " running or waiting, the most one caller may (dagscope serve --caller-concurrency). Wait "
                    + "for an answer before sending more; retry after " + retry + " s.";
            extensions.put("budget", "concurrency");
        } else if (cost == 0) {
            message = "Rate budget spent: " + budgetKey + " has " + QueryCost.format((long) Math.floor(
                    scheduler.available(budgetKey))) + " of its " + QueryCost.format(fairShare.callerBurstCost())
                    + " left; it refills at " + QueryCost.format(fairShare.callerCostPerSecond()) + " per second "
                    + "(dagscope serve --caller-cost-per-second, --caller-burst-cost). Retry after " + retry + " s, "
                    + "and ask for less.";
            extensions.put("budget", "rate");
        } else {
            message = "Rate budget spent: this query's estimated cost is " + QueryCost.format(cost) + " and "
                    + budgetKey + " has " + QueryCost.format((long) Math.floor(scheduler.available(budgetKey)))
                    + " of its " + QueryCost.format(fairShare.callerBurstCost()) + " left; it refills at "
                    + QueryCost.format(fairShare.callerCostPerSecond()) + " per second (dagscope serve "
                    + "--caller-cost-per-second, --caller-burst-cost). Retry after " + retry + " s, or ask for less.";
            extensions.put("budget", "rate");
            extensions.put("cost", cost);
        }
        extensions.put("classification", "RATE_LIMITED");
        extensions.put("retryAfterSeconds", retry);
        return error(operation, Outcome.RATE_LIMITED, message, extensions, retry, refusal.refused());
    }

    private static Answer error(String operation, Outcome outcome, String message, String classification) {
        return error(operation, outcome, message, Map.of("classification", classification), 0, null);
    }

    private static Answer error(String operation, Outcome outcome, String message, Map<String, Object> extensions,
            long retryAfterSeconds, FairScheduler.Budget refusedBy) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", extensions);
        return new Answer(serialize(Map.of("errors", List.of(error))), operation, outcome, false, retryAfterSeconds,
                refusedBy);
    }

    static byte[] serialize(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a GraphQL result that JSON cannot hold", e);
        }
    }

    /**
     * Whether executions can run: a trivial query ({@value #PROBE}) is run on the scheduler's threads and must answer
     * within the deadline. It belongs to no caller: no budget is charged for it or refuses it, and it goes ahead of
     * every caller's queue, so it waits only for a thread to be free (a caller runs at most half the threads, so one
     * caller's stuck executions leave it some). If it does not answer (every thread is taken), the threads count as
     * working while executions keep finishing: every one is cancelled at the query timeout, so working threads
     * finish one at least every query timeout; none for longer than that and {@link #STALL_GRACE} means they are
     * stuck.
     *
     * @param deadline how long the trivial query may take
     * @return empty when executions run, else why they do not
     */
    synchronized Optional<String> probe(Duration deadline) {
        if (fatal != null) {
            return Optional.of(fatal);
        }
        long now = System.nanoTime();
        long completed = scheduler.completed();
        if (completed != probedCompleted) {
            probedCompleted = completed;
            progressAt = now;
        }
        FairScheduler.Task<ExecutionResult> trivial = null;
        try {
            trivial = scheduler.submitFirst(() -> graphQL.execute(ExecutionInput.newExecutionInput(PROBE)
                    .graphQLContext(Map.of(ParserOptions.class, parserOptions)).build()));
            ExecutionResult result = trivial.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return result.getErrors().isEmpty() ? Optional.empty()
                    : Optional.of("a trivial query failed: " + result.getErrors().get(0).getMessage());
        } catch (RejectedExecutionException | TimeoutException | CancellationException e) {
            if (trivial != null) {
                scheduler.cancel(trivial);
            }
        } catch (ExecutionException e) {
            return Optional.of("a trivial query failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (trivial != null) {
                scheduler.cancel(trivial);
            }
            return Optional.empty();
        }
        if (scheduler.completed() != probedCompleted) {
            return Optional.empty();
        }
        long stalled = System.nanoTime() - progressAt;
        if (stalled <= TimeUnit.MILLISECONDS.toNanos(timeoutMillis) + STALL_GRACE.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("no execution has finished for " + TimeUnit.NANOSECONDS.toSeconds(stalled) + " s and a "
                + "trivial query found no thread within " + deadline.toMillis() + " ms (" + scheduler.running()
                + " of " + scheduler.threads() + " busy): the execution threads are stuck");
    }

    /** @return how many tasks have ended on the execution threads, liveness probes included (for tests) */
    long executionsCompleted() {
        return scheduler.completed();
    }

    /** @return how many answers the result cache keeps */
    long cachedAnswers() {
        return results.size();
    }

    @Override
    public void close() {
        scheduler.close();
        timeouts.shutdownNow();
    }
}
