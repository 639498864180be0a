package io.dagscope.core.model;

import java.time.Instant;
import java.util.List;

/**
 * Task statistics over a window, bucket by bucket, for charts.
 *
 * @param windowStart the window's inclusive start
 * @param windowEnd the window's exclusive end
 * @param bucketMinutes each bucket's length in minutes (the last one may be shorter)
 * @param buckets the buckets, oldest first, covering the window exactly
 */
public record TaskSeries(Instant windowStart, Instant windowEnd, int bucketMinutes, List<TaskBucket> buckets) {
    /**
     * A series; the buckets are copied, so the record stays immutable.
     *
     * @param windowStart the window's inclusive start
     * @param windowEnd the window's exclusive end
     * @param bucketMinutes each bucket's length in minutes (the last one may be shorter)
     * @param buckets the buckets, oldest first, covering the window exactly
     */
    public TaskSeries {
        buckets = List.copyOf(buckets);
    }
}
