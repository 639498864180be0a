package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The failed tasks of a window that share an error signature: the message with numbers, ids and quoted values
 * normalised away.
 *
 * @param signature the normalised message
 * @param exampleError one full message of the group (the latest)
 * @param count failed tasks in the group
 * @param firstSeen the earliest failure
 * @param lastSeen the latest failure
 * @param dags the DAGs affected, sorted
 * @param tenants the tenants affected, sorted (failures that belong to no run have none)
 * @param exampleRunId the run of the latest failure, if it belongs to one still kept
 * @param exampleTaskId the task of the latest failure
 */
public record FailureGroup(String signature, String exampleError, long count, Instant firstSeen, Instant lastSeen,
        List<String> dags, List<String> tenants, Optional<String> exampleRunId, String exampleTaskId) {
    /**
     * A group; the lists are copied, so the record stays immutable.
     *
     * @param signature the normalised message
     * @param exampleError one full message of the group (the latest)
     * @param count failed tasks in the group
     * @param firstSeen the earliest failure
     * @param lastSeen the latest failure
     * @param dags the DAGs affected, sorted
     * @param tenants the tenants affected, sorted (failures that belong to no run have none)
     * @param exampleRunId the run of the latest failure, if it belongs to one still kept
     * @param exampleTaskId the task of the latest failure
     */
    public FailureGroup {
        dags = List.copyOf(dags);
        tenants = List.copyOf(tenants);
    }
}
