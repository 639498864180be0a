package io.dagscope.core.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * One schedule as its definition file declares it: {@code - {id, cron, dag, tenant, enabled}}.
 *
 * @param id the schedule's id
 * @param cron the cron expression as written, if any
 * @param dagPath the DAG file
 * @param tenant the tenant
 * @param enabled whether it is enabled (default true)
 * @param origin the file it came from, for messages
 */
public record ScheduleDefinition(String id, Optional<String> cron, Optional<String> dagPath, Optional<String> tenant,
        boolean enabled, String origin) {
    /**
     * Checks the definition.
     *
     * @param id the schedule's id
     * @param cron the cron expression as written, if any
     * @param dagPath the DAG file
     * @param tenant the tenant
     * @param enabled whether it is enabled (default true)
     * @param origin the file it came from, for messages
     * @throws NullPointerException if {@code id}, {@code cron}, {@code dagPath}, {@code tenant} or {@code origin} is
     *     null
     */
    public ScheduleDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(dagPath, "dagPath");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(origin, "origin");
    }
}
