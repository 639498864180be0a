package io.dagscope.core.port.in;

import io.dagscope.core.model.TaskSummary;
import java.util.Objects;
import java.util.Optional;

/** Task KPIs: counters, error rate and duration quantiles, for all time and a window. */
public interface TaskSummaryQuery {

    /**
     * The task summary.
     *
     * @param request what to summarise
     * @return the summary
     */
    TaskSummary taskSummary(Request request);

    /**
     * What to summarise.
     *
     * @param window the window
     * @param tenant only this tenant's tasks, if given
     * @param dagName only this DAG's tasks, if given
     * @param scope the tenants the caller may see
     */
    record Request(WindowRequest window, Optional<String> tenant, Optional<String> dagName, TenantScope scope) {
        /**
         * Checks the request.
         *
         * @param window the window
         * @param tenant only this tenant's tasks, if given
         * @param dagName only this DAG's tasks, if given
         * @param scope the tenants the caller may see
         * @throws NullPointerException if {@code window}, {@code tenant}, {@code dagName} or {@code scope} is null
         */
        public Request {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(dagName, "dagName");
            Objects.requireNonNull(scope, "scope");
        }
    }
}
