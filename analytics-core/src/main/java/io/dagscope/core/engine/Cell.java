package io.dagscope.core.engine;

import io.dagscope.core.model.TaskStats;
import io.dagscope.core.sketch.QuantileSketch;
import io.dagscope.core.time.Timestamps;
import java.util.OptionalDouble;

/**
 * Mergeable, subtractable partial aggregate of task events: the four counters, and the durations as an exact
 * count and microsecond sum plus a quantile sketch. Every windowed figure is a sum of cells.
 */
final class Cell {

    long started;
    long succeeded;
    long failed;
    long retried;
    long durations;
    long durationSumMicros;
    private QuantileSketch sketch;

    void add(int kind, long durationMicros, int sign) {
        switch (kind) {
            case Contribution.STARTED -> started += sign;
            case Contribution.RETRIED -> retried += sign;
            case Contribution.SUCCEEDED -> succeeded += sign;
            case Contribution.FAILED -> failed += sign;
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        if (durationMicros != Contribution.NO_DURATION) {
            durations += sign;
            durationSumMicros += sign * durationMicros;
            if (sketch == null) {
                sketch = new QuantileSketch();
            }
            sketch.add(durationMicros, sign);
        }
    }

    void mergeInto(Cell target) {
        target.started += started;
        target.succeeded += succeeded;
        target.failed += failed;
        target.retried += retried;
        target.durations += durations;
        target.durationSumMicros += durationSumMicros;
        if (sketch != null && !sketch.isEmpty()) {
            if (target.sketch == null) {
                target.sketch = QuantileSketch.accumulator(); // a query's sum of many cells
            }
            target.sketch.merge(sketch);
        }
    }

    boolean isEmpty() {
        return started == 0 && succeeded == 0 && failed == 0 && retried == 0 && durations == 0;
    }

    long finished() {
        return succeeded + failed;
    }

    OptionalDouble avgSeconds() {
        return durations == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(durationSumMicros / (double) durations / Timestamps.MICROS_PER_SECOND);
    }

    OptionalDouble quantileSeconds(double q) {
        if (durations == 0 || sketch == null || sketch.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sketch.quantile(q) / Timestamps.MICROS_PER_SECOND);
    }

    /** Writes the counters and the sketch's buckets (keys as deltas) as variable-length integers. */
    static final CellCodec<Cell> CODEC = new CellCodec<>() {
        @Override
        public void write(Cell cell, Bytes.Writer out) {
            out.signed(cell.started);
            out.signed(cell.succeeded);
            out.signed(cell.failed);
            out.signed(cell.retried);
            out.signed(cell.durations);
            out.signed(cell.durationSumMicros);
            QuantileSketch sketch = cell.sketch;
            if (sketch == null || sketch.isEmpty()) {
                out.unsigned(0);
                return;
            }
            out.unsigned(sketch.bucketCount());
            int[] previous = {0};
            sketch.forEachBucket((key, count) -> {
                out.signed((long) key - previous[0]);
                out.unsigned(count);
                previous[0] = key;
            });
        }

        @Override
        public Cell read(Bytes.Reader in) {
            Cell cell = new Cell();
            cell.started = in.signed();
            cell.succeeded = in.signed();
            cell.failed = in.signed();
            cell.retried = in.signed();
            cell.durations = in.signed();
            cell.durationSumMicros = in.signed();
            cell.sketch = readSketch(in);
            return cell;
        }

        @Override
        public void addEncoded(Bytes.Reader in, Cell target) {
            target.started += in.signed();
            target.succeeded += in.signed();
            target.failed += in.signed();
            target.retried += in.signed();
            target.durations += in.signed();
            target.durationSumMicros += in.signed();
            int buckets = (int) in.unsigned();
            if (buckets == 0) {
                return;
            }
            int[] keys = new int[buckets];
            long[] counts = new long[buckets];
            readBuckets(in, keys, counts);
            if (target.sketch == null) {
                target.sketch = QuantileSketch.accumulator();
            }
            // the whole cell at once: a tight loop over its buckets, not a call a bucket
            target.sketch.addBuckets(keys, counts, buckets);
        }

        @Override
        public void merge(Cell cell, Cell target) {
            cell.mergeInto(target);
        }

        @Override
        public void skip(Bytes.Reader in) {
            for (int i = 0; i < 6; i++) {
                in.unsigned();
            }
            long buckets = in.unsigned();
            for (long i = 0; i < 2 * buckets; i++) {
                in.unsigned();
            }
        }

        @Override
        public boolean isEmpty(Cell cell) {
            return cell.isEmpty() && cell.durationSumMicros == 0 && (cell.sketch == null || cell.sketch.isEmpty());
        }
    };

    /** Reads the buckets {@link #CODEC} wrote, as a sketch, or null when there are none. */
    private static QuantileSketch readSketch(Bytes.Reader in) {
        int buckets = (int) in.unsigned();
        if (buckets == 0) {
            return null;
        }
        int[] keys = new int[buckets];
        long[] counts = new long[buckets];
        readBuckets(in, keys, counts);
        return QuantileSketch.ofBuckets(keys, counts, buckets);
    }

    private static void readBuckets(Bytes.Reader in, int[] keys, long[] counts) {
        int key = 0;
        for (int i = 0; i < keys.length; i++) {
            key += (int) in.signed();
            keys[i] = key;
            counts[i] = in.unsigned();
        }
    }

    TaskStats toStats() {
        return new TaskStats(started, succeeded, failed, retried, TaskStats.errorRate(succeeded, failed),
                avgSeconds(), quantileSeconds(0.5), quantileSeconds(0.95), quantileSeconds(0.99), durations);
    }
}
