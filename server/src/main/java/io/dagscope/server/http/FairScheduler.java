package io.dagscope.server.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Runs executions on a fixed set of threads, shared fairly between callers. Each caller has a queue of its own, and a
 * free thread takes the next execution of the caller that has the fewest running (ties: the caller served least
 * recently), so a caller's single query never waits behind another caller's queue. A caller may have at most
 * {@code maxInFlight} executions running or waiting (its concurrency budget), runs at most half the threads at once
 * (so another caller finds one soon, and the CPU is not all one caller's), and spends cost units from a
 * {@link TokenBucket} (its rate budget). What a caller may not start now is refused at once, with how long to wait.
 * A task of no caller ({@link #submitFirst}, the liveness probe) goes ahead of every caller's queue, outside every
 * budget.
 */
final class FairScheduler implements AutoCloseable {

    /** Which budget refused a submission. */
    enum Budget {
        /** The caller has its most executions running or waiting. */
        CONCURRENCY,
        /** The caller's rate budget does not hold the query's cost. */
        RATE,
        /** Every caller's waiting executions together fill the server's queue. */
        QUEUE
    }

    /**
     * What {@link #submit} came to: a running or waiting execution, or a refusal.
     *
     * @param result the execution's result, completed when it ends (a {@link CancellationException} when cancelled);
     *     null when refused
     * @param task the execution, for {@link #cancel}; null when refused
     * @param refused the budget that refused it; null when accepted
     * @param retryAfterSeconds when refused, the whole seconds after which the same submission may be accepted
     * @param <T> what the execution returns
     */
    record Submission<T>(CompletableFuture<T> result, Task<T> task, Budget refused, long retryAfterSeconds) {
        boolean accepted() {
            return refused == null;
        }
    }

    /** One execution, queued in its caller's lane. */
    static final class Task<T> extends FutureTask<T> {
        private final Lane lane;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Task(Lane lane, Callable<T> work) {
            super(work);
            this.lane = lane;
        }

        @Override
        protected void done() {
            try {
                result.complete(get());
            } catch (CancellationException e) {
                result.completeExceptionally(e);
            } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        }
    }

    /** One caller's queue and budgets. */
    private static final class Lane {
        private final String caller;
        private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
        private final TokenBucket bucket;
        private int running;
        private int inFlight;
        private long lastServed;
        private boolean ready;

        Lane(String caller, TokenBucket bucket) {
            this.caller = caller;
            this.bucket = bucket;
        }
    }

    private final int maxRunning;
    private final int maxInFlight;
    private final int maxQueued;
    private final double costPerSecond;
    private final double burstCost;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Tasks of no caller, taken before any caller's: in no map of callers, no budget, no count of the queue. */
    private final Lane first = new Lane("", null);
    private int queued;
    private int running;
    private long completed;
    private long served;
    private long submissions;
    private boolean closed;

    /**
     * @param threads how many executions run at once, over every caller
     * @param maxInFlight the most executions one caller may have running or waiting
     * @param maxQueued the most executions waiting, over every caller
     * @param costPerSecond the rate budget's refill, cost units per second per caller
     * @param burstCost the most cost a caller may spend at once
     * @param nanoClock the clock the rate budgets refill by ({@link System#nanoTime} but in tests)
     */
    FairScheduler(int threads, int maxInFlight, int maxQueued, double costPerSecond, double burstCost,
            LongSupplier nanoClock) {
        if (threads < 1 || maxInFlight < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("threads and the concurrency budget must be positive");
        }
        this.maxRunning = Math.max(1, threads / 2);
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.costPerSecond = costPerSecond;
        this.burstCost = burstCost;
        this.nanoClock = nanoClock;
        for (int i = 1; i <= threads; i++) {
            Thread t = new Thread(this::work, "dagscope-query-" + i);
            t.setDaemon(true);
            this.threads.add(t);
            t.start();
        }
    }

    /**
     * Queues an execution for a caller, if its budgets and the queue allow.
     *
     * @param caller who asks (a token or an address)
     * @param cost the query's estimated cost, taken from the caller's rate budget
     * @param work the execution
     * @param <T> what it returns
     * @return the queued execution, or the refusal
     */
    <T> Submission<T> submit(String caller, long cost, Callable<T> work) {
        lock.lock();
        try {
            if (closed) {
                return new Submission<>(null, null, Budget.QUEUE, 1);
            }
            long now = nanoClock.getAsLong();
            if (++submissions % 1024 == 0) {
                forgetIdleCallers(now);
            }
            Lane lane = lanes.computeIfAbsent(caller, c -> new Lane(c, new TokenBucket(costPerSecond, burstCost,
                    now)));
            if (lane.inFlight >= maxInFlight) {
                return new Submission<>(null, null, Budget.CONCURRENCY, 1);
            }
            if (queued >= maxQueued) {
                return new Submission<>(null, null, Budget.QUEUE, 1);
            }
            long wait = lane.bucket.tryTake(cost, now);
            if (wait > 0) {
                return new Submission<>(null, null, Budget.RATE, wait);
            }
            Task<T> task = new Task<>(lane, work);
            lane.queue.addLast(task);
            lane.inFlight++;
            queued++;
            if (!lane.ready) {
                lane.ready = true;
                ready.addLast(lane);
            }
            available.signal();
            return new Submission<>(task.result, task, null, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a task that belongs to no caller ahead of every caller's executions: the next thread to be free runs
     * it, whatever the callers' budgets, their share of the threads and the queue's length. For the liveness probe,
     * which must tell whether the threads run, not whether some caller may.
     *
     * @param work the task
     * @param <T> what it returns
     * @return the queued task, to wait for or {@link #cancel}
     * @throws RejectedExecutionException when the scheduler is closed
     */
    <T> Task<T> submitFirst(Callable<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the scheduler is closed");
            }
            Task<T> task = new Task<>(first, work);
            first.queue.addLast(task);
            first.inFlight++;
            available.signal();
            return task;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels an execution: a waiting one leaves its queue (and frees its place in the caller's budget) at once, a
     * running one is interrupted and frees its place when its thread returns.
     *
     * @param task the execution
     */
    void cancel(Task<?> task) {
        lock.lock();
        try {
            Lane lane = task.lane;
            if (lane.queue.remove(task)) {
                lane.inFlight--;
                if (lane != first) {
                    queued--;
                }
                if (lane.queue.isEmpty() && lane.ready) {
                    // a lane is ready only while it has an execution waiting: else a free thread would take
                    // nothing from it, yet count it as running and as taken from the queue
                    lane.ready = false;
                    ready.remove(lane);
                }
            }
        } finally {
            lock.unlock();
        }
        task.cancel(true);
    }

    /**
     * Takes more from a caller's rate budget: what reading a request or an execution turned out to cost beyond its
     * estimate.
     *
     * @param caller the caller
     * @param cost the cost to take
     */
    void charge(String caller, long cost) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            lanes.computeIfAbsent(caller, c -> new Lane(c, new TokenBucket(costPerSecond, burstCost, now))).bucket
                    .take(cost, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses a caller at once, before its request is even read, when its budgets cannot take any query: it has its
     * most executions running or waiting, or its rate budget is spent (empty or in debt).
     *
     * @param caller the caller
     * @return the refusal (its result and task null), or null when a query might be accepted
     */
    Submission<Void> refuseEarly(String caller) {
        lock.lock();
        try {
            Lane lane = lanes.get(caller);
            if (lane == null) {
                return null;
            }
            if (lane.inFlight >= maxInFlight) {
                return new Submission<>(null, null, Budget.CONCURRENCY, 1);
            }
            long wait = lane.bucket.tryTake(0, nanoClock.getAsLong());
            return wait > 0 ? new Submission<>(null, null, Budget.RATE, wait) : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param caller a caller
     * @return how much of its rate budget it has left now
     */
    double available(String caller) {
        lock.lock();
        try {
            Lane lane = lanes.get(caller);
            return lane == null ? burstCost : lane.bucket.available(nanoClock.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    /** @return how many tasks have ended on the threads (a cancelled one when its thread returns), ever */
    long completed() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many threads are running a task now */
    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many threads run tasks */
    int threads() {
        return threads.size();
    }

    /** @return how many executions are waiting for a thread, over every caller */
    int waiting() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Task<?> task;
            lock.lock();
            try {
                while ((task = next()) == null) {
                    if (closed) {
                        return;
                    }
                    available.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } finally {
                Thread.interrupted(); // a cancelled execution's interrupt must not reach the next one
                lock.lock();
                try {
                    Lane lane = task.lane;
                    lane.running--;
                    lane.inFlight--;
                    running--;
                    completed++;
                    if (lane != first && !lane.queue.isEmpty() && !lane.ready) {
                        lane.ready = true;
                        ready.addLast(lane);
                    }
                    available.signal();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * The next execution to run: a task of no caller first, else of the waiting caller with the fewest running, and
     * among equals the one served least recently.
     */
    private Task<?> next() {
        if (!first.queue.isEmpty()) {
            first.running++;
            running++;
            if (!ready.isEmpty()) {
                available.signal();
            }
            return first.queue.pollFirst();
        }
        Lane chosen = null;
        for (Lane lane : ready) {
            if (lane.running < maxRunning && (chosen == null || lane.running < chosen.running
                    || (lane.running == chosen.running && lane.lastServed < chosen.lastServed))) {
                chosen = lane;
            }
        }
        if (chosen == null) {
            return null;
        }
        Task<?> task = chosen.queue.pollFirst();
        queued--;
        running++;
        chosen.running++;
        chosen.lastServed = ++served;
        ready.remove(chosen);
        chosen.ready = false;
        if (!chosen.queue.isEmpty()) {
            chosen.ready = true;
            ready.addLast(chosen);
        }
        if (!ready.isEmpty()) {
            available.signal(); // another caller may be runnable on another free thread
        }
        return task;
    }

    /** A caller with nothing running or waiting and a full bucket is the same as a new one. */
    private void forgetIdleCallers(long now) {
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext();) {
            Lane lane = it.next();
            if (lane.inFlight == 0 && lane.bucket.full(now)) {
                it.remove();
            }
        }
    }

    /** Stops the threads; executions still waiting are cancelled. */
    @Override
    public void close() {
        List<Task<?>> waiting = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Lane lane : lanes.values()) {
                waiting.addAll(lane.queue);
                lane.queue.clear();
            }
            waiting.addAll(first.queue);
            first.queue.clear();
            ready.clear();
            available.signalAll();
        } finally {
            lock.unlock();
        }
        waiting.forEach(t -> t.cancel(true));
        threads.forEach(Thread::interrupt);
    }
}
