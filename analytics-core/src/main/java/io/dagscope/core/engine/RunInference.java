package io.dagscope.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places the events of one source that carry no {@code dag_run_id} into runs, in read order, by EVENTS.md's rules:
 * a run executes its tasks one at a time, so an event goes to the open run of its DAG that is in the state the
 * event continues. Only runs opened by a {@code dag_start} without a run id take part.
 */
final class RunInference {

    /** {@code dag_done} matches a run whose start is this close to its timestamp minus its duration. */
    static final long DONE_MATCH_TOLERANCE_MICROS = 1_000;

    /** Open runs per DAG, oldest first. */
    private final Map<String, List<Run>> open = new HashMap<>();

    void opened(String dag, Run run) {
        open.computeIfAbsent(dag, k -> new ArrayList<>(2)).add(run);
        run.open = true;
    }

    void closed(String dag, Run run) {
        List<Run> runs = open.get(dag);
        if (runs != null) {
            runs.remove(run);
            if (runs.isEmpty()) {
                open.remove(dag);
            }
        }
        run.open = false;
    }

    /**
     * Adds the open runs of the same source's inference in an engine being merged in, as the runs that hold them
     * now (after this inference's own, per DAG); a run the merge dropped is left out.
     */
    void mergeFrom(RunInference other, Map<Run, Run> runs) {
        other.open.forEach((dag, list) -> {
            for (Run r : list) {
                Run mine = runs.get(r);
                if (mine != null && !mine.open) {
                    opened(dag, mine);
                }
            }
        });
    }

    /** Writes the open runs by DAG (oldest first), by run id, for a snapshot. */
    void write(StateOutput out) throws IOException {
        out.unsigned(open.size());
        for (Map.Entry<String, List<Run>> e : new TreeMap<>(open).entrySet()) {
            out.string(e.getKey());
            out.unsigned(e.getValue().size());
            for (Run r : e.getValue()) {
                out.text(r.id);
            }
        }
    }

    /** Reads into this empty inference what {@link #write} wrote: the runs, read before, opened again. */
    void read(StateInput in, RunIndex runs) throws IOException {
        int dags = in.count(Integer.MAX_VALUE, "DAGs with open runs");
        for (int i = 0; i < dags; i++) {
            String dag = in.string();
            int n = in.count(Integer.MAX_VALUE, "open runs");
            for (int k = 0; k < n; k++) {
                String id = in.text();
                Run run = id == null ? null : runs.get(id);
                if (dag == null || run == null || run.open) {
                    throw StateInput.corrupt("open run '" + id + "' of DAG '" + dag + "'");
                }
                opened(dag, run);
            }
        }
    }

    private List<Run> openRuns(String dag) {
        List<Run> runs = open.get(dag);
        return runs == null ? List.of() : runs;
    }

    private static Run newest(List<Run> runs) {
        return runs.isEmpty() ? null : runs.get(runs.size() - 1);
    }

    /** {@code task_start}: the newest open run with no task in progress that has not started the task. */
    Run forTaskStart(String dag, String taskId) {
        List<Run> runs = openRuns(dag);
        for (int i = runs.size() - 1; i >= 0; i--) {
            Run r = runs.get(i);
            TaskEntry e = r.task(taskId);
            if (r.idle() && (e == null || !e.hasStarted())) {
                return r;
            }
        }
        return newest(runs);
    }

    /**
     * {@code task_retry} / {@code task_ok} with attempt k: the newest open run with the task in progress after k - 1
     * retries; else the newest with it in progress; else the newest open run.
     */
    Run forAttempt(String dag, String taskId, Integer attempt) {
        List<Run> runs = openRuns(dag);
        if (attempt != null) {
            for (int i = runs.size() - 1; i >= 0; i--) {
                TaskEntry e = runs.get(i).task(taskId);
                if (e != null && e.inProgress() && e.retriesSinceStart == attempt - 1) {
                    return runs.get(i);
                }
            }
        }
        return forInProgress(runs, taskId);
    }

    /** {@code task_fail}: the newest open run with the task in progress, else the newest open run. */
    Run forTaskFail(String dag, String taskId) {
        return forInProgress(openRuns(dag), taskId);
    }

    private static Run forInProgress(List<Run> runs, String taskId) {
        for (int i = runs.size() - 1; i >= 0; i--) {
            TaskEntry e = runs.get(i).task(taskId);
            if (e != null && e.inProgress()) {
                return runs.get(i);
            }
        }
        return newest(runs);
    }

    /**
     * {@code dag_done}: the open run whose start is closest to {@code timestamp - duration}, if within 1 ms; else the
     * oldest open run of the same tenant with no task in progress; else the oldest open run.
     */
    Run forDagDone(String dag, long at, Double durationSeconds, String tenant) {
        List<Run> runs = openRuns(dag);
        if (runs.isEmpty()) {
            return null;
        }
        if (durationSeconds != null && Double.isFinite(durationSeconds)) {
            long expectedStart = at - Math.round(durationSeconds * 1_000_000.0);
            Run best = null;
            long bestDistance = Long.MAX_VALUE;
            for (Run r : runs) {
                long distance = Math.abs(r.startedAt() - expectedStart);
                if (distance < bestDistance) {
                    best = r;
                    bestDistance = distance;
                }
            }
            if (bestDistance <= DONE_MATCH_TOLERANCE_MICROS) {
                return best;
            }
        }
        if (tenant != null) {
            for (Run r : runs) {
                if (r.idle() && tenant.equals(r.tenant())) {
                    return r;
                }
            }
        }
        return runs.get(0);
    }

    /** Any other event without a run id: the newest open run of its DAG. */
    Run newestOpen(String dag) {
        return newest(openRuns(dag));
    }
}
