package io.dagscope.server.http;

import io.dagscope.core.port.in.ResolveWindowUseCase;
import io.dagscope.core.port.in.WindowRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps subscriptions up to date: each gets a first answer at once, and is answered again when the engine's data
 * version or the default window's minute has moved since its last answer, at most once per interval; an answer that
 * equals the last one sent is not sent again. Answers come from {@link GraphQlService}, so subscribers that share a
 * document and scope share one execution through the result cache, and every execution is charged to the subscriber's
 * budgets: a first answer refused by the rate budget ends the subscription with the error; one that finds the
 * subscriber's executions all taken (its concurrency budget: a connection may hold more subscriptions than a caller
 * may run executions) waits for a slot, and a later answer refused by either budget is postponed (the subscriber keeps
 * its last answer), each tried again once the refusal's retry time has passed.
 */
final class SubscriptionHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHub.class);

    /** Where a subscription's answers go. */
    interface Sink {
        /**
         * @param answer a new answer, different from the last one sent
         */
        void next(Answer answer);

        /**
         * @param answer a first answer without data: the subscription ends with its errors
         */
        void fail(Answer answer);
    }

    /** One subscription: a query to re-run for a caller. */
    static final class Subscription {
        private final GraphQlRequest request;
        private final Caller caller;
        private final String budgetKey;
        private final Sink sink;
        private volatile boolean inFlight;
        private volatile boolean closed;
        private volatile boolean started;
        private volatile long lastVersion = Long.MIN_VALUE;
        private volatile long lastMinute = Long.MIN_VALUE;
        private volatile long lastRunNanos;
        private volatile long notBeforeNanos;
        /** The digest of the last answer sent, not the answer: a subscription keeps 32 bytes, not its answer. */
        private volatile byte[] lastSent;

        Subscription(GraphQlRequest request, Caller caller, String budgetKey, Sink sink) {
            this.request = request;
            this.caller = caller;
            this.budgetKey = budgetKey;
            this.sink = sink;
        }
    }

    private final GraphQlService service;
    private final LongSupplier version;
    private final ResolveWindowUseCase windows;
    private final ServerMetrics metrics;
    private final long intervalNanos;
    private final Set<Subscription> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private final ExecutorService evaluators;

    /**
     * @param service answers the queries
     * @param version the engine's data version
     * @param windows resolves the default window
     * @param metrics counts open subscriptions
     * @param interval the shortest time between two answers to one subscription
     */
    SubscriptionHub(GraphQlService service, LongSupplier version, ResolveWindowUseCase windows, ServerMetrics metrics,
            Duration interval) {
        this.service = service;
        this.version = version;
        this.windows = windows;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dagscope-subscriptions"));
        AtomicInteger n = new AtomicInteger();
        this.evaluators = Executors.newFixedThreadPool(2, r -> daemon(r, "dagscope-subscription-" + n.incrementAndGet()));
        long tick = Math.max(50, Math.min(250, interval.toMillis() / 4));
        ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts a subscription: its first answer is computed at once.
     *
     * @param subscription the subscription
     */
    void add(Subscription subscription) {
        active.add(subscription);
        metrics.subscriptionsChanged(1);
        subscription.inFlight = true;
        evaluators.execute(() -> evaluate(subscription));
    }

    /**
     * Ends a subscription; an answer being computed is not sent.
     *
     * @param subscription the subscription
     */
    void remove(Subscription subscription) {
        subscription.closed = true;
        if (active.remove(subscription)) {
            metrics.subscriptionsChanged(-1);
        }
    }

    /**
     * Runs a task after a delay on the hub's timer (e.g. closing a connection that never initialised).
     *
     * @param task the task
     * @param delay the delay
     * @return its handle
     */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return ticker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return how many subscriptions are open */
    int size() {
        return active.size();
    }

    private void tick() {
        try {
            long v = version.getAsLong();
            long minute = windows.resolveWindow(WindowRequest.DEFAULT).endMinute();
            long now = System.nanoTime();
            for (Subscription s : active) {
                if (!s.inFlight && (s.lastVersion != v || s.lastMinute != minute)
                        && now - s.lastRunNanos >= intervalNanos && now - s.notBeforeNanos >= 0) {
                    s.inFlight = true;
                    evaluators.execute(() -> evaluate(s));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("updating subscriptions failed", e);
        }
    }

    /**
     * Starts an answer: its execution is charged to the subscriber's budgets and runs on the service's threads, so
     * the hub's own threads never wait for it.
     */
    private void evaluate(Subscription s) {
        if (s.closed) {
            s.inFlight = false;
            return;
        }
        long previousVersion = s.lastVersion;
        long previousMinute = s.lastMinute;
        s.lastVersion = version.getAsLong();
        s.lastMinute = windows.resolveWindow(WindowRequest.DEFAULT).endMinute();
        s.lastRunNanos = System.nanoTime();
        try {
            service.submit(s.request, s.caller, s.budgetKey, "websocket").whenComplete((answer, failure) -> {
                try {
                    if (failure != null) {
                        LOG.error("answering a subscription failed", failure);
                    } else if (answer.outcome().refused()
                            && (s.started || answer.refusedBy() == FairScheduler.Budget.CONCURRENCY)) {
                        // an update refused by the subscriber's budgets, or a first answer that found no slot among
                        // the subscriber's executions: keep the last answer, if any, and try again later
                        s.lastVersion = previousVersion;
                        s.lastMinute = previousMinute;
                        s.notBeforeNanos = System.nanoTime()
                                + TimeUnit.SECONDS.toNanos(Math.max(1, answer.retryAfterSeconds()));
                    } else {
                        deliver(s, answer);
                    }
                } catch (RuntimeException e) {
                    LOG.error("answering a subscription failed", e);
                } finally {
                    s.inFlight = false;
                }
            });
        } catch (RuntimeException e) {
            s.inFlight = false;
            LOG.error("answering a subscription failed", e);
        }
    }

    private void deliver(Subscription s, Answer answer) {
        if (s.closed) {
            return;
        }
        if (!s.started && !answer.hasData()) {
            remove(s);
            s.sink.fail(answer);
            return;
        }
        s.started = true;
        byte[] digest = digest(answer.json());
        if (!Arrays.equals(digest, s.lastSent)) {
            s.lastSent = digest;
            s.sink.next(answer);
        }
    }

    private static byte[] digest(byte[] answer) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(answer);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        evaluators.shutdownNow();
        active.clear();
    }
}
