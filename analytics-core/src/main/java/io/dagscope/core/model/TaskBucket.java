package io.dagscope.core.model;

import java.time.Instant;

/**
 * Task statistics over one bucket of a time series, defined like a window's.
 *
 * @param start the bucket's inclusive start
 * @param end the bucket's exclusive end
 * @param stats the task statistics of the events in the bucket
 * @param runsStarted runs whose start is in the bucket
 */
public record TaskBucket(Instant start, Instant end, TaskStats stats, long runsStarted) {
}
