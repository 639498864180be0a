package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A task of no caller (the liveness probe) on the fair scheduler: it runs on the next thread to be free, ahead of
 * every caller's queue and outside every budget, and the scheduler counts what it ran, so that {@code /health} can
 * tell stuck threads from busy ones. Latches decide what runs when; nothing waits on wall time but a deadline.
 */
class FairSchedulerTest {

    /** Tasks by name, each held until released, deaf to interrupts (as a thread stuck in a read would be). */
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    /** Task names in the order they started. */
    private final List<String> started = new CopyOnWriteArrayList<>();

    private FairScheduler.Submission<String> held(FairScheduler scheduler, String caller, long cost, String name) {
        CountDownLatch hold = holds.computeIfAbsent(name, n -> new CountDownLatch(1));
        return scheduler.submit(caller, cost, () -> {
            started.add(name);
            boolean released = false;
            while (!released) {
                try {
                    released = hold.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // held all the same
                }
            }
            return name;
        });
    }

    private void release(String name) {
        holds.get(name).countDown();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aTaskOfNoCallerRunsOnTheNextFreeThreadAheadOfEveryCallersQueue() throws Exception {
        // two threads: each caller runs one at once, and both threads are taken
        try (FairScheduler scheduler = new FairScheduler(2, 10, 10, 1_000_000, 1_000_000, () -> 0)) {
            for (String name : List.of("a1", "b1", "a2", "b2", "a3", "b3")) {
                assertTrue(held(scheduler, name.substring(0, 1), 1, name).accepted());
            }
            await("both threads run", () -> scheduler.running() == 2 && started.size() == 2);
            assertEquals(4, scheduler.waiting());

            FairScheduler.Task<String> probe = scheduler.submitFirst(() -> {
                started.add("probe");
                return "probe";
            });
            assertEquals(4, scheduler.waiting(), "the probe is in no caller's queue");
            String freed = started.get(0);
            release(freed);

            assertEquals("probe", probe.get(20, TimeUnit.SECONDS));
            await("the freed thread moves on", () -> started.size() == 4);
            assertEquals("probe", started.get(2), "the freed thread ran the probe before any waiting execution: "
                    + started);
            holds.values().forEach(CountDownLatch::countDown);
            await("every execution ends", () -> scheduler.completed() == 7);
            assertEquals(0, scheduler.running());
        }
    }

    @Test
    void aTaskOfNoCallerIsNeitherRefusedNorChargedByAnyBudget() throws Exception {
        // two threads, one each caller at once; two running or waiting per caller, one waiting over all; a rate
        // budget of 10 that never refills
        try (FairScheduler scheduler = new FairScheduler(2, 2, 1, 1, 10, () -> 0)) {
            assertTrue(held(scheduler, "a", 5, "a1").accepted());
            await("a1 runs", () -> scheduler.running() == 1);
            assertTrue(held(scheduler, "b", 10, "b1").accepted());
            await("both threads run", () -> scheduler.running() == 2);
            assertTrue(held(scheduler, "a", 5, "a2").accepted());
            // every budget is spent: a's concurrency and rate, b's rate, the queue
            assertEquals(FairScheduler.Budget.CONCURRENCY, held(scheduler, "a", 1, "a3").refused());
            assertEquals(FairScheduler.Budget.QUEUE, held(scheduler, "b", 1, "b2").refused());
            assertEquals(FairScheduler.Budget.RATE, scheduler.refuseEarly("b").refused());
            assertEquals(FairScheduler.Budget.QUEUE, held(scheduler, "c", 1, "c1").refused());

            FairScheduler.Task<String> probe = scheduler.submitFirst(() -> "probe");
            release("b1");

            assertEquals("probe", probe.get(20, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) { // more than any budget would let through
                assertEquals("probe", scheduler.submitFirst(() -> "probe").get(20, TimeUnit.SECONDS));
            }
            assertEquals(0, scheduler.available("a"), 1e-9, "nothing taken from a budget, nor given");
            assertEquals(0, scheduler.available("b"), 1e-9);
            assertEquals(1, scheduler.waiting(), "a2 waits for a1, as before");
            holds.values().forEach(CountDownLatch::countDown);
            await("every task ends", () -> scheduler.completed() == 7);
            assertEquals(List.of("a1", "a2", "b1"), started.stream().sorted().toList());
        }
    }

    @Test
    void aWaitingTaskOfNoCallerCancelledLeavesNoTraceAndRunsNever() throws Exception {
        try (FairScheduler scheduler = new FairScheduler(1, 10, 10, 1_000_000, 1_000_000, () -> 0)) {
            assertTrue(held(scheduler, "a", 1, "a1").accepted());
            await("the only thread runs", () -> scheduler.running() == 1);
            FairScheduler.Task<String> probe = scheduler.submitFirst(() -> {
                started.add("probe");
                return "probe";
            });
            assertTrue(held(scheduler, "a", 1, "a2").accepted());

            scheduler.cancel(probe);

            assertTrue(probe.isCancelled());
            assertThrows(CancellationException.class, () -> probe.get(1, TimeUnit.SECONDS));
            assertEquals(1, scheduler.waiting(), "a2 still waits, counted once");
            release("a1");
            release("a2");
            await("a2 ran", () -> scheduler.completed() == 2);
            assertEquals(List.of("a1", "a2"), started);
        }
    }

    @Test
    void aCallersWaitingExecutionCancelledLeavesItsLaneAndTheQueueAsTheyWere() throws Exception {
        // two threads: each caller runs one at once; a queue of one over all callers
        try (FairScheduler scheduler = new FairScheduler(2, 10, 1, 1_000_000, 1_000_000, () -> 0)) {
            assertTrue(held(scheduler, "a", 1, "a1").accepted());
            await("a1 runs", () -> scheduler.running() == 1);
            FairScheduler.Submission<String> a2 = held(scheduler, "a", 1, "a2");
            assertEquals(1, scheduler.waiting());

            scheduler.cancel(a2.task()); // as a timeout does to an execution still waiting
            assertEquals(0, scheduler.waiting());
            release("a1");
            await("a1 ends", () -> scheduler.completed() == 1);

            // a's next execution runs on the free thread at once, and the queue still holds one, no more
            assertTrue(held(scheduler, "a", 1, "a3").accepted());
            await("a3 runs", () -> started.contains("a3"));
            assertEquals(0, scheduler.waiting());
            assertTrue(held(scheduler, "b", 1, "b1").accepted());
            await("b1 runs on the other thread", () -> started.contains("b1"));
            assertTrue(held(scheduler, "a", 1, "a4").accepted());
            assertEquals(FairScheduler.Budget.QUEUE, held(scheduler, "b", 1, "b2").refused());
            assertEquals(List.of("a1", "a3", "b1"), started);
            holds.values().forEach(CountDownLatch::countDown);
            await("every execution ends", () -> scheduler.completed() == 4);
            assertEquals(0, scheduler.running());
            assertEquals(0, scheduler.waiting());
        }
    }

    @Test
    void countsTheTasksItRanAndTheThreadsBusySoThatStuckThreadsShow() throws Exception {
        FairScheduler scheduler = new FairScheduler(2, 10, 10, 1_000_000, 1_000_000, () -> 0);
        assertEquals(2, scheduler.threads());
        assertEquals(0, scheduler.completed());
        FairScheduler.Submission<String> a = held(scheduler, "a", 1, "a1");
        held(scheduler, "b", 1, "b1");
        await("both threads busy", () -> scheduler.running() == 2);

        scheduler.cancel(a.task()); // a cancelled execution counts once its thread returns, not before
        assertTrue(a.result().isCompletedExceptionally());
        assertEquals(0, scheduler.completed());
        release("b1");
        await("b1 ends", () -> scheduler.completed() == 1);
        assertEquals(1, scheduler.running(), "a1's thread, deaf to the interrupt, has not returned");
        release("a1");
        await("a1's thread returns", () -> scheduler.completed() == 2);
        assertEquals(0, scheduler.running());

        scheduler.close();
        assertThrows(RejectedExecutionException.class, () -> scheduler.submitFirst(() -> "late"));
        assertFalse(scheduler.submit("a", 1, () -> "late").accepted());
    }
}
