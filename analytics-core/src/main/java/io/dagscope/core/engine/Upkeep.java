package io.dagscope.core.engine;

import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * What follows every batch: retention drops the oldest runs' detail, and the days that no longer change are sealed
 * into the history store. Both count back from the newest event, but never from later than now. A pass the history
 * store fails (a full disk) leaves what it did not store live and exact; it is counted, and the next pass tries again.
 */
final class Upkeep {

    private static final long MINUTES_PER_DAY = 1440;
    private static final long LATE_SEALING_EVENTS = 1_000_000;

    private final EngineSettings settings;
    private final Clock clock;
    /** The host's own clock: retention and sealing never count from later than it (or {@link #clock}, if later). */
    private final Clock wallClock;
    private final Fold fold;
    private final RunIndex runs;
    private final TaskAggregates aggregates;
    private final FailureLog failures;
    private final ScheduleBook schedules;
    /** Shared by every series: which days are sealed (see {@link TimeSeries}). */
    private final TimeSeries.Sealing sealing;
    private long eventsApplied;
    private long eventsAtLastSealing;
    /** Passes of retention or sealing that the history store failed, and the last failure's message. */
    private long historyFailures;
    private String lastHistoryFailure;

    Upkeep(EngineSettings settings, Clock clock, Clock wallClock, Fold fold, RunIndex runs, TaskAggregates aggregates,
            FailureLog failures, ScheduleBook schedules, TimeSeries.Sealing sealing) {
        this.settings = settings;
        this.clock = clock;
        this.wallClock = wallClock;
        this.fold = fold;
        this.runs = runs;
        this.aggregates = aggregates;
        this.failures = failures;
        this.schedules = schedules;
        this.sealing = sealing;
    }

    /** Counts a batch of {@code events} folded in, then passes retention and sealing over what it left. */
    void afterBatch(int events) {
        eventsApplied += events;
        try {
            long now = Math.min(fold.newestEventAt(), Math.max(Timestamps.toMicros(clock.instant()),
                    Timestamps.toMicros(wallClock.instant())));
            enforceRetention(now);
            sealOldDays(now);
        } catch (RuntimeException e) {
            // the history store failed (a full disk): what was not stored stays live and exact, the batch stays
            // applied once, and the next pass tries again
            historyFailures++;
            lastHistoryFailure = String.valueOf(e.getMessage());
        }
    }

    /**
     * Takes the later sealing horizon of this engine's and another's, before the other's state is merged in: a day
     * the other sealed is then behind this engine's horizon too, where a write looks for it sealed.
     */
    void mergeHorizon(Upkeep other) {
        sealing.before = Math.max(sealing.before, other.sealing.before);
    }

    /**
     * Takes on the counts of an engine merged in, then lets retention and sealing pass over the merged state as after
     * a batch: runs beyond the retention of the whole are dropped, and every day before the horizon, wherever it came
     * from, is sealed.
     */
    void afterMerge(Upkeep other) {
        eventsApplied += other.eventsApplied;
        historyFailures += other.historyFailures;
        if (lastHistoryFailure == null) {
            lastHistoryFailure = other.lastHistoryFailure;
        }
        long now = Math.min(fold.newestEventAt(), Math.max(Timestamps.toMicros(clock.instant()),
                Timestamps.toMicros(wallClock.instant())));
        enforceRetention(now);
        sealOldDays(now);
        if (sealing.before != Long.MIN_VALUE) {
            // the days the merge brought in live, before a horizon that did not move
            long horizon = sealing.before;
            aggregates.sealBefore(horizon);
            failures.sealBefore(horizon, runs);
            schedules.sealBefore(horizon);
            sealing.lateWrites = 0;
            eventsAtLastSealing = eventsApplied;
        }
    }

    /** Writes its counts and the sealing horizon, for a snapshot. */
    void write(StateOutput out) throws IOException {
        out.unsigned(eventsApplied);
        out.unsigned(eventsAtLastSealing);
        out.unsigned(historyFailures);
        out.text(lastHistoryFailure);
        out.signed(sealing.before);
        out.unsigned(sealing.lateWrites);
    }

    /** Reads what {@link #write} wrote. */
    void read(StateInput in) throws IOException {
        eventsApplied = in.unsigned();
        eventsAtLastSealing = in.unsigned();
        historyFailures = in.unsigned();
        lastHistoryFailure = in.text();
        sealing.before = in.signed();
        sealing.lateWrites = in.unsigned();
    }

    private void enforceRetention(long now) {
        if (fold.newestEventAt() == Long.MIN_VALUE) {
            return;
        }
        runs.enforceRetention(now, settings.retainRunsFor(), settings.retainRuns(), fold::closeEverywhere);
    }

    /**
     * Seals the aggregate cells of days before yesterday (of the newest event), once a day of event time, and again
     * after a million events when writes reached behind that horizon (late events, or a source read after a newer
     * one), so that live cells stay a few days' worth whatever the history covers.
     *
     * @param now the newest event's time, or the clocks' now when that is earlier
     */
    private void sealOldDays(long now) {
        if (fold.newestEventAt() == Long.MIN_VALUE) {
            return;
        }
        long before = Math.floorDiv(Timestamps.minuteOf(now), MINUTES_PER_DAY) - 1;
        boolean advanced = before > sealing.before;
        boolean late = sealing.lateWrites > 0 && eventsApplied - eventsAtLastSealing >= LATE_SEALING_EVENTS;
        if (!advanced && !late) {
            return;
        }
        sealing.before = Math.max(sealing.before, before);
        long horizon = sealing.before;
        aggregates.sealBefore(horizon);
        failures.sealBefore(horizon, runs);
        schedules.sealBefore(horizon);
        sealing.lateWrites = 0;
        eventsAtLastSealing = eventsApplied;
    }

    /** @return events folded in so far */
    long eventsApplied() {
        return eventsApplied;
    }

    /** @return passes of retention or sealing the history store failed */
    long historyFailures() {
        return historyFailures;
    }

    /** @return the last such failure's message */
    Optional<String> lastHistoryFailure() {
        return Optional.ofNullable(lastHistoryFailure);
    }
}
