package io.dagscope.core.model;

import java.util.List;
import java.util.Optional;

/**
 * One page of runs, newest first.
 *
 * @param entries the runs of this page, each with the cursor that points at it
 * @param hasNextPage whether more runs follow
 * @param endCursor the last entry's cursor, absent on an empty page
 * @param totalCount how many runs match the filter, over all pages; -1 when the request did not ask for it
 */
public record RunPage(List<Entry> entries, boolean hasNextPage, Optional<String> endCursor, long totalCount) {

    /**
     * A page; the entries are copied, so the record stays immutable.
     *
     * @param entries the runs of this page, each with the cursor that points at it
     * @param hasNextPage whether more runs follow
     * @param endCursor the last entry's cursor, absent on an empty page
     * @param totalCount how many runs match the filter, over all pages; -1 when the request did not ask for it
     */
    public RunPage {
        entries = List.copyOf(entries);
    }

    /**
     * A run and its cursor.
     *
     * @param cursor opaque; pass it as {@code after} to continue after this run
     * @param run the run
     */
    public record Entry(String cursor, DagRun run) {
    }
}
