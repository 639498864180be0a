package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Random but runner-shaped logs: overlapping runs, retries, failures, checkpoints, lost lines, disorder. */
final class RandomLogs {

    static final long BASE = 1_760_000_000_000_000L; // 2025-10-09T08:53:20Z
    static final long MINUTE = 60_000_000L;

    enum Ids { ALWAYS, NEVER, MIXED }

    private final Random rnd;
    private final Ids ids;
    private final int dags;
    private final int days;
    private final boolean lossy;
    private final boolean disorder;
    private int runCounter;

    RandomLogs(long seed, Ids ids) {
        this(seed, ids, 3, 2, true, true);
    }

    /**
     * @param seed the seed
     * @param ids which runs carry a run id
     * @param dags how many DAGs the runs are of
     * @param days how many days the runs start over (the schedules run over as many)
     * @param lossy whether lines go missing (a crash's lost lines, a run's start or end never written)
     * @param disorder whether neighbouring lines are swapped, as concurrent writers do
     */
    RandomLogs(long seed, Ids ids, int dags, int days, boolean lossy, boolean disorder) {
        this.rnd = new Random(seed);
        this.ids = ids;
        this.dags = dags;
        this.days = days;
        this.lossy = lossy;
        this.disorder = disorder;
    }

    record Logs(List<Event> runner, List<Event> state) {
    }

    Logs generate(int runs) {
        List<Event> runner = new ArrayList<>();
        List<Event> state = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            run(runner, state);
        }
        runner.sort(Comparator.comparingLong(Event::timestampMicros));
        // a little disorder: neighbours swapped, as concurrent writers do
        for (int i = 1; i < runner.size(); i++) {
            if (rnd.nextDouble() < 0.03 && disorder) {
                Collections.swap(runner, i - 1, i);
            }
        }
        // a few lost lines, as a crash leaves
        runner.removeIf(e -> rnd.nextDouble() < 0.01 && lossy);
        schedules(state);
        state.sort(Comparator.comparingLong(Event::timestampMicros));
        return new Logs(runner, state);
    }

    private void run(List<Event> out, List<Event> state) {
        String dag = "dag" + rnd.nextInt(dags);
        String tenant = "tenant" + rnd.nextInt(3);
        boolean withId = ids == Ids.ALWAYS || (ids == Ids.MIXED && rnd.nextBoolean());
        String id = withId ? "run-" + (runCounter++) : null;
        long t = BASE + (long) (rnd.nextDouble() * days * 24 * 60) * MINUTE + rnd.nextInt(60_000_000);
        long start = t;
        int tasks = 1 + rnd.nextInt(5);
        boolean checkpoint = withId && rnd.nextDouble() < 0.2;
        if (rnd.nextDouble() < 0.97 || !lossy) {
            out.add(new DagStart(t, dag, id, rnd.nextDouble() < 0.9 ? tenant : null, tasks + (checkpoint ? 1 : 0)));
        }
        boolean failed = false;
        for (int k = 0; k < tasks && !failed; k++) {
            String task = "task" + k;
            t += 1 + rnd.nextInt(500);
            if (rnd.nextDouble() < 0.97 || !lossy) {
                out.add(new TaskStart(t, dag, id, task));
            }
            int retries = rnd.nextDouble() < 0.2 ? 1 + rnd.nextInt(2) : 0;
            for (int a = 1; a <= retries; a++) {
                t += duration();
                out.add(new TaskRetry(t, dag, id, task, a, "boom " + rnd.nextInt(4)));
            }
            t += duration();
            if (rnd.nextDouble() < 0.08) {
                out.add(new TaskFail(t, dag, id, task, rnd.nextDouble() < 0.9 ? "fatal " + rnd.nextInt(3) : null));
                failed = true;
            } else {
                out.add(new TaskOk(t, dag, id, task, rnd.nextDouble() < 0.9 ? retries + 1 : null));
            }
            if (checkpoint && k == 0 && !failed) {
                String cp = id + "_approve";
                t += 1 + rnd.nextInt(1000);
                out.add(new CheckpointPending(t, dag, id, "approve", cp));
                double fate = rnd.nextDouble();
                if (fate < 0.5) {
                    t += (1 + rnd.nextInt(120)) * MINUTE;
                    out.add(new CheckpointApproved(t, dag, id, cp, "Operator"));
                } else if (fate < 0.8) {
                    state.add(new CheckpointExpired(t + 8 * 60 * MINUTE, cp, id, "approve"));
                    return;
                } else {
                    return;
                }
            }
        }
        if (!failed && (rnd.nextDouble() < 0.95 || !lossy)) {
            t += 1 + rnd.nextInt(300);
            out.add(new DagDone(t, dag, id, rnd.nextDouble() < 0.9 ? tenant : null, tasks,
                    rnd.nextDouble() < 0.05 ? 1 : 0, (t - start) / 1e6));
        }
    }

    private long duration() {
        // heavy-tailed, 0.5 s to a few minutes, in microseconds
        double seconds = Math.exp(rnd.nextGaussian() * 1.2 + 1.5);
        return (long) (Math.min(seconds, 600) * 1_000_000);
    }

    private void schedules(List<Event> state) {
        for (int s = 0; s < 3; s++) {
            String id = "sched" + s;
            long firstMinute = BASE / MINUTE + rnd.nextInt(60);
            for (long m = firstMinute; m < firstMinute + days * 24 * 60; m++) {
                if (m % 5 != 0 || rnd.nextDouble() < 0.1) {
                    continue;
                }
                long at = m * MINUTE + rnd.nextInt(2_000_000);
                String tenant = "tenant" + s;
                state.add(new ScheduleEnqueued(at, id, "dags/" + id + ".yaml", tenant, m));
                state.add(new RunStarted(at + 1000, id, "dags/" + id + ".yaml", tenant));
                double f = rnd.nextDouble();
                String status = f < 0.85 ? "success" : f < 0.95 ? "failed" : "retry";
                state.add(new RunFinished(at + 1000 + duration(), id, "dags/" + id + ".yaml", tenant, status,
                        "success".equals(status) ? null : "x", rnd.nextDouble() * 100));
            }
        }
    }
}
