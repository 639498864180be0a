package io.dagscope.core.engine;

import io.dagscope.core.model.TaskStats;
import io.dagscope.core.sketch.HistogramBounds;
import io.dagscope.core.sketch.QuantileSketch;
import io.dagscope.core.time.Timestamps;
import java.util.OptionalDouble;

/**
 * Mergeable, subtractable partial aggregate of task events: the four counters, and the durations as an exact
 * count and microsecond sum plus a quantile sketch. Every windowed figure is a sum of cells.
 *
 * <p>The sum is 128 bits wide ({@link #durationSumHigh} over {@link #durationSumMicros}): the longest duration events
 * may give (2000 to 9999, {@link io.dagscope.core.event.EventBounds}) is 2.5e17 microseconds, so 37 of them would wrap a long
 * and turn a mean negative; 128 bits hold more durations than a long can count, exactly, in any order of additions
 * and retractions.
 */
final class Cell {

    long started;
    long succeeded;
    long failed;
    long retried;
    long durations;
    /** The low 64 bits of the durations' sum in microseconds. */
    long durationSumMicros;
    /** The high 64 bits: the sign extension of {@link #durationSumMicros} unless the sum is beyond a long. */
    long durationSumHigh;
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
            long value = sign * durationMicros;
            addToSum(value, value >> 63);
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
        target.addToSum(durationSumMicros, durationSumHigh);
        if (sketch != null && !sketch.isEmpty()) {
            if (target.sketch == null) {
                target.sketch = QuantileSketch.accumulator(); // a query's sum of many cells
            }
            target.sketch.merge(sketch);
        }
    }

    /** Adds the 128-bit number {@code high:low} to the sum. */
    private void addToSum(long low, long high) {
        long sum = durationSumMicros + low;
        long carry = Long.compareUnsigned(sum, durationSumMicros) < 0 ? 1 : 0;
        durationSumMicros = sum;
        durationSumHigh += high + carry;
    }

    /** Whether the sum needs its high bits (it is beyond what a long holds). */
    private boolean wideSum() {
        return durationSumHigh != durationSumMicros >> 63;
    }

    /** The sum, in microseconds, as the nearest double. */
    private double durationSum() {
        if (!wideSum()) {
            return durationSumMicros;
        }
        double unsignedLow = (durationSumMicros >>> 1) * 2.0 + (durationSumMicros & 1);
        return durationSumHigh * 0x1p64 + unsignedLow;
    }

    /** Adds the durations' counts to per-bucket counts of a histogram on the sketch's bins. */
    void addDurationBuckets(HistogramBounds bounds, long[] buckets) {
        if (sketch != null) {
            bounds.addCounts(sketch, buckets);
        }
    }

    /** @return the durations' sum, in seconds */
    double durationSumSeconds() {
        return durationSum() / Timestamps.MICROS_PER_SECOND;
    }

    boolean isEmpty() {
        return started == 0 && succeeded == 0 && failed == 0 && retried == 0 && durations == 0;
    }

    long finished() {
        return succeeded + failed;
    }

    OptionalDouble avgSeconds() {
        return durations == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(durationSum() / durations / Timestamps.MICROS_PER_SECOND);
    }

    OptionalDouble quantileSeconds(double q) {
        if (durations == 0 || sketch == null || sketch.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sketch.quantile(q) / Timestamps.MICROS_PER_SECOND);
    }

    /**
     * Writes the counters and the sketch's buckets (keys as deltas) as variable-length integers. The count of
     * durations is written doubled, plus one when the sum's high bits follow the low ones (never, but for sums beyond
     * a long), so that a cell costs no byte more for them.
     */
    static final CellCodec<Cell> CODEC = new CellCodec<>() {
        @Override
        public void write(Cell cell, Bytes.Writer out) {
            out.signed(cell.started);
            out.signed(cell.succeeded);
            out.signed(cell.failed);
            out.signed(cell.retried);
            boolean wide = cell.wideSum();
            out.signed(cell.durations * 2 + (wide ? 1 : 0));
            out.signed(cell.durationSumMicros);
            if (wide) {
                out.signed(cell.durationSumHigh);
            }
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
            long durations = in.signed();
            cell.durations = Math.floorDiv(durations, 2);
            cell.durationSumMicros = in.signed();
            cell.durationSumHigh = Math.floorMod(durations, 2) == 1 ? in.signed() : cell.durationSumMicros >> 63;
            cell.sketch = readSketch(in);
            return cell;
        }

        @Override
        public void addEncoded(Bytes.Reader in, Cell target) {
            target.started += in.signed();
            target.succeeded += in.signed();
            target.failed += in.signed();
            target.retried += in.signed();
            long durations = in.signed();
            target.durations += Math.floorDiv(durations, 2);
            long low = in.signed();
            target.addToSum(low, Math.floorMod(durations, 2) == 1 ? in.signed() : low >> 63);
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
            for (int i = 0; i < 4; i++) {
                in.unsigned();
            }
            boolean wide = Math.floorMod(in.signed(), 2) == 1;
            in.unsigned();
            if (wide) {
                in.unsigned();
            }
            long buckets = in.unsigned();
            for (long i = 0; i < 2 * buckets; i++) {
                in.unsigned();
            }
        }

        @Override
        public boolean isEmpty(Cell cell) {
            return cell.isEmpty() && cell.durationSumMicros == 0 && cell.durationSumHigh == 0
                    && (cell.sketch == null || cell.sketch.isEmpty());
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
