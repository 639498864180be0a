package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fleet's figures for monitoring, read at one instant: per (tenant, DAG) the task and run figures, and per
 * schedule the scheduler's. Counters cover every event read (they are sums over the whole log, so a restart that
 * reads the same logs gives the same values); gauges are as of {@link #asOf}.
 *
 * @param asOf the instant "now" means (the engine's clock)
 * @param durationBoundsSeconds the upper bounds of the task-duration histogram's buckets, increasing, without the
 *     last bucket's (+Inf); every {@link DagFigures#durationBuckets} has one more count than there are bounds
 * @param dags one row per (tenant, DAG) with a task event or a run, ordered by tenant, then DAG
 * @param schedules one row per schedule with events or a definition, ordered by id
 */
public record FleetFigures(Instant asOf, List<Double> durationBoundsSeconds, List<DagFigures> dags,
        List<ScheduleFigures> schedules) {

    /**
     * Copies the lists.
     *
     * @param asOf the instant "now" means (the engine's clock)
     * @param durationBoundsSeconds the upper bounds of the task-duration histogram's buckets, increasing, without the
     *     last bucket's (+Inf); every {@link DagFigures#durationBuckets} has one more count than there are bounds
     * @param dags one row per (tenant, DAG) with a task event or a run, ordered by tenant, then DAG
     * @param schedules one row per schedule with events or a definition, ordered by id
     * @throws NullPointerException if a component is null
     */
    public FleetFigures {
        Objects.requireNonNull(asOf, "asOf");
        durationBoundsSeconds = List.copyOf(durationBoundsSeconds);
        dags = List.copyOf(dags);
        schedules = List.copyOf(schedules);
    }

    /**
     * The figures of one (tenant, DAG).
     *
     * @param tenant the tenant; empty for task events that belong to no run (METRICS.md: counted in no tenant's
     *     figures)
     * @param dagName the DAG's name
     * @param tasksStarted {@code task_start} events
     * @param tasksSucceeded {@code task_ok} events
     * @param tasksFailed {@code task_fail} events
     * @param tasksRetried {@code task_retry} events
     * @param durationBuckets how many task durations fall in each bucket of
     *     {@link FleetFigures#durationBoundsSeconds} (not cumulative), the last being the one above every bound
     * @param durationSumSeconds the sum of the task durations
     * @param runsSucceeded how many times a run of it reached SUCCEEDED (a run resumed after its {@code dag_done}
     *     and done again counts again); never decreases, retention included
     * @param runsFailed how many times a run of it reached FAILED
     * @param running runs running, with an event within the stale time
     * @param paused runs waiting for an approval, with an event within the stale time
     * @param stale runs running or paused with no event for longer than the stale time
     * @param oldestPauseAt the last event of the paused run that has waited longest, if any run is paused
     */
    public record DagFigures(String tenant, String dagName, long tasksStarted, long tasksSucceeded,
            long tasksFailed, long tasksRetried, long[] durationBuckets, double durationSumSeconds,
            long runsSucceeded, long runsFailed, long running, long paused, long stale,
            Optional<Instant> oldestPauseAt) {

        /**
         * Copies the bucket counts.
         *
         * @param tenant the tenant; empty for task events that belong to no run (METRICS.md: counted in no tenant's
         *     figures)
         * @param dagName the DAG's name
         * @param tasksStarted {@code task_start} events
         * @param tasksSucceeded {@code task_ok} events
         * @param tasksFailed {@code task_fail} events
         * @param tasksRetried {@code task_retry} events
         * @param durationBuckets how many task durations fall in each bucket of {@link
         *     FleetFigures#durationBoundsSeconds} (not cumulative), the last being the one above every bound
         * @param durationSumSeconds the sum of the task durations
         * @param runsSucceeded how many times a run of it reached SUCCEEDED (a run resumed after its {@code dag_done}
         *     and done again counts again); never decreases, retention included
         * @param runsFailed how many times a run of it reached FAILED
         * @param running runs running, with an event within the stale time
         * @param paused runs waiting for an approval, with an event within the stale time
         * @param stale runs running or paused with no event for longer than the stale time
         * @param oldestPauseAt the last event of the paused run that has waited longest, if any run is paused
         * @throws NullPointerException if a component is null
         */
        public DagFigures {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(dagName, "dagName");
            durationBuckets = durationBuckets.clone();
            Objects.requireNonNull(oldestPauseAt, "oldestPauseAt");
        }

        /** @return a copy of the per-bucket counts */
        @Override
        public long[] durationBuckets() {
            return durationBuckets.clone();
        }

        /** @return how many task durations there are: the sum of the buckets */
        public long durationCount() {
            long n = 0;
            for (long c : durationBuckets) {
                n += c;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DagFigures d && tenant.equals(d.tenant) && dagName.equals(d.dagName)
                    && tasksStarted == d.tasksStarted && tasksSucceeded == d.tasksSucceeded
                    && tasksFailed == d.tasksFailed && tasksRetried == d.tasksRetried
                    && java.util.Arrays.equals(durationBuckets, d.durationBuckets)
                    && Double.compare(durationSumSeconds, d.durationSumSeconds) == 0
                    && runsSucceeded == d.runsSucceeded && runsFailed == d.runsFailed && running == d.running
                    && paused == d.paused && stale == d.stale && oldestPauseAt.equals(d.oldestPauseAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, dagName, tasksStarted, tasksSucceeded, tasksFailed,
                    java.util.Arrays.hashCode(durationBuckets), runsSucceeded, runsFailed, running, paused, stale);
        }

        @Override
        public String toString() {
            return "DagFigures[tenant=" + tenant + ", dag=" + dagName + ", tasks=" + tasksStarted + "/"
                    + tasksSucceeded + "/" + tasksFailed + "/" + tasksRetried + ", durations=" + durationCount()
                    + ", runs=" + runsSucceeded + "/" + runsFailed + ", open=" + running + "/" + paused + "/"
                    + stale + "]";
        }
    }

    /**
     * The figures of one schedule.
     *
     * @param id the {@code schedule_id}
     * @param tenant from the latest event, else from the definition
     * @param dagPath from the latest event, else from the definition
     * @param enabled the definition's {@code enabled}; absent without a definition
     * @param enqueued {@code schedule_enqueued} events
     * @param started {@code run_started} events
     * @param succeeded {@code run_finished} with status success
     * @param failed {@code run_finished} with status failed
     * @param retried {@code run_finished} with status retry
     * @param missedRuns cron minutes, from the schedule's first event (or the state log's first event, for a schedule
     *     without any) up to 10 minutes before {@link FleetFigures#asOf}, that no {@code schedule_enqueued} named
     *     while the schedule was enabled; a minute counted stays counted, so the number only grows. Absent without a
     *     definition whose cron can be used
     * @param lastRunAt the latest {@code run_started}
     * @param lastSuccessAt the latest {@code run_finished} with status success
     * @param nextRunAt the first cron minute after {@link FleetFigures#asOf}, when enabled
     * @param intervalSeconds the longest gap between two consecutive cron minutes in the 8 days from now (a week's
     *     pattern included), or between the next two when they are further apart; absent without a usable cron
     * @param firstEventAt the schedule's first event in the state log, of any type (for a schedule that never
     *     succeeded, what "no success for too long" is measured from)
     */
    public record ScheduleFigures(String id, Optional<String> tenant, Optional<String> dagPath,
            Optional<Boolean> enabled, long enqueued, long started, long succeeded, long failed, long retried,
            OptionalLong missedRuns, Optional<Instant> lastRunAt, Optional<Instant> lastSuccessAt,
            Optional<Instant> nextRunAt, OptionalLong intervalSeconds, Optional<Instant> firstEventAt) {

        /**
         * Checks the components.
         *
         * @param id the {@code schedule_id}
         * @param tenant from the latest event, else from the definition
         * @param dagPath from the latest event, else from the definition
         * @param enabled the definition's {@code enabled}; absent without a definition
         * @param enqueued {@code schedule_enqueued} events
         * @param started {@code run_started} events
         * @param succeeded {@code run_finished} with status success
         * @param failed {@code run_finished} with status failed
         * @param retried {@code run_finished} with status retry
         * @param missedRuns cron minutes, from the schedule's first event (or the state log's first event, for a
         *     schedule without any) up to 10 minutes before {@link FleetFigures#asOf}, that no {@code
         *     schedule_enqueued} named while the schedule was enabled; a minute counted stays counted, so the number
         *     only grows. Absent without a definition whose cron can be used
         * @param lastRunAt the latest {@code run_started}
         * @param lastSuccessAt the latest {@code run_finished} with status success
         * @param nextRunAt the first cron minute after {@link FleetFigures#asOf}, when enabled
         * @param intervalSeconds the longest gap between two consecutive cron minutes in the 8 days from now (a week's
         *     pattern included), or between the next two when they are further apart; absent without a usable cron
     * @param firstEventAt the schedule's first event in the state log, of any type (for a schedule that never
     *     succeeded, what "no success for too long" is measured from)
         * @throws NullPointerException if a component is null
         */
        public ScheduleFigures {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(dagPath, "dagPath");
            Objects.requireNonNull(enabled, "enabled");
            Objects.requireNonNull(missedRuns, "missedRuns");
            Objects.requireNonNull(lastRunAt, "lastRunAt");
            Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
            Objects.requireNonNull(nextRunAt, "nextRunAt");
            Objects.requireNonNull(intervalSeconds, "intervalSeconds");
            Objects.requireNonNull(firstEventAt, "firstEventAt");
        }
    }
}
