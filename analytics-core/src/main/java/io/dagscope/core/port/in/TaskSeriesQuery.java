package io.dagscope.core.port.in;

import io.dagscope.core.model.TaskSeries;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** Task statistics per time bucket over a window, for charts. */
public interface TaskSeriesQuery {

    /** The most buckets one series may have. */
    int MAX_BUCKETS = 1000;

    /**
     * The series.
     *
     * @param request what to chart
     * @return the buckets
     * @throws IllegalArgumentException if the bucket size would make more than {@link #MAX_BUCKETS} buckets
     */
    TaskSeries taskSeries(Request request);

    /**
     * What to chart.
     *
     * @param window the window
     * @param bucketMinutes each bucket's length; chosen from the window (about 60 buckets) when absent
     * @param tenant only this tenant's tasks, if given
     * @param dagName only this DAG's tasks, if given
     * @param scope the tenants the caller may see
     */
    record Request(WindowRequest window, OptionalInt bucketMinutes, Optional<String> tenant, Optional<String> dagName,
            TenantScope scope) {
        /**
         * Checks the request.
         *
         * @param window the window
         * @param bucketMinutes each bucket's length; chosen from the window (about 60 buckets) when absent
         * @param tenant only this tenant's tasks, if given
         * @param dagName only this DAG's tasks, if given
         * @param scope the tenants the caller may see
         * @throws IllegalArgumentException if {@code bucketMinutes} is given and less than 1
         * @throws NullPointerException if {@code window}, {@code tenant}, {@code dagName} or {@code scope} is null
         */
        public Request {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(dagName, "dagName");
            Objects.requireNonNull(scope, "scope");
            if (bucketMinutes.isPresent() && bucketMinutes.getAsInt() < 1) {
                throw new IllegalArgumentException("bucketMinutes must be at least 1, got "
                        + bucketMinutes.getAsInt());
            }
        }
    }
}
