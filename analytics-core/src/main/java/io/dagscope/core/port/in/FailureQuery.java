package io.dagscope.core.port.in;

import io.dagscope.core.model.FailureGroup;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The window's failed tasks, grouped by error signature. */
public interface FailureQuery {

    /**
     * The groups, most failures first (ties: latest first).
     *
     * @param request which failures
     * @return at most {@code request.first()} groups
     */
    List<FailureGroup> failures(Request request);

    /**
     * Which failures.
     *
     * @param window the window the failures happened in
     * @param tenant only this tenant's, if given
     * @param dagName only this DAG's, if given
     * @param first the most groups to return, 1 to 1000
     * @param scope the tenants the caller may see
     */
    record Request(WindowRequest window, Optional<String> tenant, Optional<String> dagName, int first,
            TenantScope scope) {
        /**
         * Checks the request.
         *
         * @param window the window the failures happened in
         * @param tenant only this tenant's, if given
         * @param dagName only this DAG's, if given
         * @param first the most groups to return, 1 to 1000
         * @param scope the tenants the caller may see
         * @throws IllegalArgumentException if {@code first} is not from 1 to 1000
         * @throws NullPointerException if {@code window}, {@code tenant}, {@code dagName} or {@code scope} is null
         */
        public Request {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(dagName, "dagName");
            Objects.requireNonNull(scope, "scope");
            if (first < 1 || first > 1000) {
                throw new IllegalArgumentException("first must be between 1 and 1000, got " + first);
            }
        }
    }
}
