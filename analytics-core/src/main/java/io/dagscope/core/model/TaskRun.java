package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One task of a run, as its events in file order leave it (a checkpoint is listed as a task too).
 *
 * @param taskId the task
 * @param status RUNNING after {@code task_start}, SUCCEEDED or FAILED when finished, PAUSED for a pending checkpoint
 * @param startedAt its latest {@code task_start} (or {@code checkpoint_pending})
 * @param endedAt its {@code task_ok} / {@code task_fail} (or first approval, or expiry)
 * @param durationSeconds {@code endedAt - startedAt}
 * @param attempts attempts that have finished: the {@code task_ok}'s attempt, else 1 + the retries since the latest
 *     start for a failed task, the retries so far for a running one; 0 for a checkpoint
 * @param error the {@code task_fail}'s error, else the latest retry's error since the latest start
 * @param checkpoint whether this entry is a human checkpoint rather than a task that ran
 * @param retries the failed attempts that were retried since its latest start, in order
 */
public record TaskRun(String taskId, RunStatus status, Optional<Instant> startedAt, Optional<Instant> endedAt,
        OptionalDouble durationSeconds, int attempts, Optional<String> error, boolean checkpoint,
        List<Retry> retries) {

    /**
     * A task; the retries are copied, so the record stays immutable.
     *
     * @param taskId the task
     * @param status RUNNING after {@code task_start}, SUCCEEDED or FAILED when finished, PAUSED for a pending
     *     checkpoint
     * @param startedAt its latest {@code task_start} (or {@code checkpoint_pending})
     * @param endedAt its {@code task_ok} / {@code task_fail} (or first approval, or expiry)
     * @param durationSeconds {@code endedAt - startedAt}
     * @param attempts attempts that have finished: the {@code task_ok}'s attempt, else 1 + the retries since the latest
     *     start for a failed task, the retries so far for a running one; 0 for a checkpoint
     * @param error the {@code task_fail}'s error, else the latest retry's error since the latest start
     * @param checkpoint whether this entry is a human checkpoint rather than a task that ran
     * @param retries the failed attempts that were retried since its latest start, in order
     */
    public TaskRun {
        retries = List.copyOf(retries);
    }

    /**
     * A failed attempt that was retried ({@code task_retry}).
     *
     * @param at when it failed
     * @param attempt the attempt that failed, from 1, if the line said
     * @param error its error, if any
     */
    public record Retry(Instant at, java.util.OptionalInt attempt, Optional<String> error) {
    }
}
