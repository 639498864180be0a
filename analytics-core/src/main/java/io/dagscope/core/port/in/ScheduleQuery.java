package io.dagscope.core.port.in;

import io.dagscope.core.model.ScheduleSummary;
import java.util.List;

/** Every schedule with events or a definition. */
public interface ScheduleQuery {

    /**
     * The schedules, ordered by id.
     *
     * @param window the window that cuts {@code missedRuns} and sets {@code nextRunAt}
     * @param scope the tenants the caller may see
     * @return one row per schedule
     */
    List<ScheduleSummary> schedules(WindowRequest window, TenantScope scope);
}
