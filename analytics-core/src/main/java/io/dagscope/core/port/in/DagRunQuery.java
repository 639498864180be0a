package io.dagscope.core.port.in;

import io.dagscope.core.model.DagRun;
import io.dagscope.core.model.RunPage;
import io.dagscope.core.model.RunStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Runs, newest first, with their tasks. */
public interface DagRunQuery {

    /** The most runs one page may hold. */
    int MAX_PAGE_SIZE = 1000;

    /**
     * A page of runs.
     *
     * @param request which runs
     * @return the page
     * @throws IllegalArgumentException if the cursor is not one this engine gave out
     */
    RunPage dagRuns(Request request);

    /**
     * One run.
     *
     * @param id the run's id
     * @param scope the tenants the caller may see
     * @return the run, or empty if there is none the caller may see
     */
    Optional<DagRun> dagRun(String id, TenantScope scope);

    /**
     * Which runs to list.
     *
     * @param first how many, 0 to {@link #MAX_PAGE_SIZE}
     * @param after continue after the run with this cursor
     * @param filter which runs qualify
     * @param scope the tenants the caller may see
     * @param countTotal whether to count every matching run for {@link RunPage#totalCount()} (a scan of the
     *     runs when a filter is given); when false the page's total is -1
     */
    record Request(int first, Optional<String> after, Filter filter, TenantScope scope, boolean countTotal) {

        /**
         * A request that counts the total.
         *
         * @param first how many
         * @param after continue after this cursor
         * @param filter which runs qualify
         * @param scope the tenants the caller may see
         */
        public Request(int first, Optional<String> after, Filter filter, TenantScope scope) {
            this(first, after, filter, scope, true);
        }

        /**
         * Checks the request.
         *
         * @param first how many, 0 to {@link #MAX_PAGE_SIZE}
         * @param after continue after the run with this cursor
         * @param filter which runs qualify
         * @param scope the tenants the caller may see
         * @param countTotal whether to count every matching run for {@link RunPage#totalCount()} (a scan of the
         *     runs when a filter is given); when false the page's total is -1
         * @throws IllegalArgumentException if {@code first} is not from 0 to {@link #MAX_PAGE_SIZE}
         * @throws NullPointerException if {@code after}, {@code filter} or {@code scope} is null
         */
        public Request {
            if (first < 0 || first > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException(
                        "first must be between 0 and " + MAX_PAGE_SIZE + ", got " + first);
            }
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(scope, "scope");
        }
    }

    /**
     * Which runs qualify; every part is optional and they combine with "and".
     *
     * @param tenant the run's tenant
     * @param dagName the run's DAG
     * @param statuses any of these statuses (empty set: any status)
     * @param startedAfter started at or after this instant
     * @param startedBefore started before this instant
     */
    record Filter(Optional<String> tenant, Optional<String> dagName, Set<RunStatus> statuses,
            Optional<Instant> startedAfter, Optional<Instant> startedBefore) {

        /** Every run. */
        public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(),
                Optional.empty());

        /**
         * A filter; the statuses are copied, so the record stays immutable.
         *
         * @param tenant the run's tenant
         * @param dagName the run's DAG
         * @param statuses any of these statuses (empty set: any status)
         * @param startedAfter started at or after this instant
         * @param startedBefore started before this instant
         */
        public Filter {
            statuses = Set.copyOf(statuses);
        }
    }
}
