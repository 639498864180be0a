package io.dagscope.core.engine;

import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.StateEvent;
import io.dagscope.core.model.FleetFigures;
import io.dagscope.core.model.ScheduleSummary;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.CronSchedule;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.port.out.ScheduleDefinition;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/** The scheduler's side: per-schedule counters from the state log, joined with the schedule definitions. */
final class ScheduleBook {

    /** A cron minute counts as missed only once this many minutes have passed since it, by the window's end. */
    static final long MISSED_GRACE_MINUTES = 10;

    private final Map<String, State> states = new HashMap<>();
    private Map<String, Definition> definitions = Map.of();
    /** Where the enqueued minutes of sealed days go. */
    private final HistoryStore history;

    ScheduleBook(HistoryStore history) {
        this.history = history;
    }

    private static final class State {
        long enqueued;
        long started;
        long finished;
        long succeeded;
        long failed;
        long retried;
        double durationSum;
        long durations;
        long lastRunAt = Long.MIN_VALUE;
        long lastFinishedAt = Long.MIN_VALUE;
        long lastSucceededAt = Long.MIN_VALUE;
        String lastStatus;
        long tenantAt = Long.MIN_VALUE;
        String tenant;
        long dagPathAt = Long.MIN_VALUE;
        String dagPath;
        long firstEventAt = Long.MAX_VALUE;
        final MinuteSet enqueuedMinutes;

        State(HistoryStore history) {
            this.enqueuedMinutes = new MinuteSet(history);
        }
        /** The latest run_finished outcomes, kept sorted by time, at most RECENT_OUTCOMES. */
        final java.util.ArrayDeque<ScheduleSummary.Outcome> recent = new java.util.ArrayDeque<>();

        void finished(long at, String status, Double duration) {
            Instant when = Timestamps.toInstant(at);
            outcome(new ScheduleSummary.Outcome(when, status == null ? "" : status,
                    duration == null || !Double.isFinite(duration) ? OptionalDouble.empty()
                            : OptionalDouble.of(duration)));
        }

        /** Keeps an outcome among the latest, in time order (one at the time of another goes after it). */
        void outcome(ScheduleSummary.Outcome o) {
            Instant when = o.at();
            if (recent.isEmpty() || !when.isBefore(recent.peekLast().at())) {
                // the usual case, a log read in order: the newest outcome goes last
                recent.addLast(o);
            } else if (recent.size() == ScheduleSummary.RECENT_OUTCOMES && !when.isAfter(recent.peekFirst().at())) {
                return;
            } else {
                List<ScheduleSummary.Outcome> all = new ArrayList<>(recent);
                int i = all.size();
                while (i > 0 && all.get(i - 1).at().isAfter(when)) {
                    i--;
                }
                all.add(i, o);
                recent.clear();
                recent.addAll(all);
            }
            while (recent.size() > ScheduleSummary.RECENT_OUTCOMES) {
                recent.removeFirst();
            }
        }

        /**
         * Adds another engine's state of the same schedule (a partial being merged in). Exact when this state is
         * new, as it is when the state log was split by schedule; otherwise the other's latest facts win ties.
         */
        void absorb(State o) {
            enqueued += o.enqueued;
            started += o.started;
            finished += o.finished;
            succeeded += o.succeeded;
            failed += o.failed;
            retried += o.retried;
            durationSum += o.durationSum;
            durations += o.durations;
            lastRunAt = Math.max(lastRunAt, o.lastRunAt);
            lastSucceededAt = Math.max(lastSucceededAt, o.lastSucceededAt);
            if (o.lastFinishedAt != Long.MIN_VALUE && o.lastFinishedAt >= lastFinishedAt) {
                lastFinishedAt = o.lastFinishedAt;
                lastStatus = o.lastStatus;
            }
            if (o.tenant != null && o.tenantAt >= tenantAt) {
                tenantAt = o.tenantAt;
                tenant = o.tenant;
            }
            if (o.dagPath != null && o.dagPathAt >= dagPathAt) {
                dagPathAt = o.dagPathAt;
                dagPath = o.dagPath;
            }
            firstEventAt = Math.min(firstEventAt, o.firstEventAt);
            enqueuedMinutes.mergeFrom(o.enqueuedMinutes);
            o.recent.forEach(this::outcome);
        }

        void seen(long at, String eventTenant, String eventDagPath) {
            firstEventAt = Math.min(firstEventAt, at);
            if (eventTenant != null && at >= tenantAt) {
                tenantAt = at;
                tenant = eventTenant;
            }
            if (eventDagPath != null && at >= dagPathAt) {
                dagPathAt = at;
                dagPath = eventDagPath;
            }
        }
    }

    /** A definition with its cron parsed once. */
    private record Definition(ScheduleDefinition source, CronSchedule cron, String error) {
    }

    void apply(StateEvent event) {
        firstStateEventAt = Math.min(firstStateEventAt, event.timestampMicros());
        if (event instanceof ScheduleEnqueued e) {
            State s = state(e.scheduleId());
            s.enqueued++;
            if (e.minuteEpoch() != null) {
                s.enqueuedMinutes.add(e.minuteEpoch());
            }
            s.seen(e.timestampMicros(), e.tenant(), e.dagPath());
        } else if (event instanceof RunStarted e) {
            State s = state(e.scheduleId());
            s.started++;
            s.lastRunAt = Math.max(s.lastRunAt, e.timestampMicros());
            s.seen(e.timestampMicros(), e.tenant(), e.dagPath());
        } else if (event instanceof RunFinished e) {
            State s = state(e.scheduleId());
            s.finished++;
            if ("success".equals(e.status())) {
                s.succeeded++;
                s.lastSucceededAt = Math.max(s.lastSucceededAt, e.timestampMicros());
            } else if ("failed".equals(e.status())) {
                s.failed++;
            } else if ("retry".equals(e.status())) {
                s.retried++;
            }
            if (e.durationSeconds() != null && Double.isFinite(e.durationSeconds())) {
                s.durationSum += e.durationSeconds();
                s.durations++;
            }
            s.finished(e.timestampMicros(), e.status(), e.durationSeconds());
            if (e.timestampMicros() >= s.lastFinishedAt) {
                s.lastFinishedAt = e.timestampMicros();
                s.lastStatus = e.status();
            }
            s.seen(e.timestampMicros(), e.tenant(), e.dagPath());
        }
    }

    private State state(String id) {
        return states.computeIfAbsent(id, k -> new State(history));
    }

    /** The earliest event of the state log, over every schedule (Long.MAX_VALUE before the first). */
    private long firstStateEventAt = Long.MAX_VALUE;

    /** Replaces the definitions; with two definitions of one id, the first in the list wins. */
    void define(List<ScheduleDefinition> defs, CronParser parser) {
        Map<String, Definition> byId = new LinkedHashMap<>();
        for (ScheduleDefinition d : defs) {
            if (byId.containsKey(d.id())) {
                continue;
            }
            CronSchedule cron = null;
            String error = null;
            if (d.cron().isEmpty()) {
                error = "the definition in " + d.origin() + " has no cron";
            } else if (parser == null) {
                error = "no cron evaluator is configured";
            } else {
                try {
                    cron = parser.parse(d.cron().get());
                } catch (IllegalArgumentException ex) {
                    error = ex.getMessage();
                }
            }
            byId.put(d.id(), new Definition(d, cron, error));
        }
        definitions = byId;
        synchronized (monitoring) {
            intervals.clear();
        }
    }

    List<ScheduleSummary> summaries(TimeWindow window, TenantScope scope) {
        TreeSet<String> ids = new TreeSet<>(states.keySet());
        ids.addAll(definitions.keySet());
        List<ScheduleSummary> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            State s = states.get(id);
            Definition d = definitions.get(id);
            String tenant = s != null && s.tenant != null ? s.tenant
                    : d != null ? d.source().tenant().orElse(Run.DEFAULT_TENANT) : null;
            if (!scope.isAll() && !scope.allows(tenant)) {
                continue;
            }
            String dagPath = s != null && s.dagPath != null ? s.dagPath
                    : d != null ? d.source().dagPath().orElse(null) : null;
            Optional<Instant> nextRunAt = Optional.empty();
            OptionalInt missed = OptionalInt.empty();
            Optional<String> error = Optional.empty();
            if (d != null) {
                if (d.cron() == null) {
                    error = Optional.of(d.error());
                } else if (!d.source().enabled()) {
                    missed = OptionalInt.of(0);
                } else {
                    long next = d.cron().nextAfter(window.endMinute());
                    if (next != CronSchedule.NEVER) {
                        nextRunAt = Optional.of(Timestamps.toInstant(next * Timestamps.MICROS_PER_MINUTE));
                    }
                    missed = OptionalInt.of(missedRuns(d.cron(), s, window));
                }
            }
            long enqueued = s == null ? 0 : s.enqueued;
            out.add(new ScheduleSummary(id, Optional.ofNullable(tenant), Optional.ofNullable(dagPath),
                    d == null ? Optional.empty() : d.source().cron(),
                    d == null ? Optional.empty() : Optional.of(d.source().enabled()),
                    s == null || s.lastRunAt == Long.MIN_VALUE ? Optional.empty()
                            : Optional.of(Timestamps.toInstant(s.lastRunAt)),
                    s == null ? Optional.empty() : Optional.ofNullable(s.lastStatus), nextRunAt, missed, enqueued,
                    s == null ? 0 : s.started, s == null ? 0 : s.finished, s == null ? 0 : s.succeeded,
                    s == null ? 0 : s.failed, s == null ? 0 : s.retried,
                    s == null || s.durations == 0 ? OptionalDouble.empty()
                            : OptionalDouble.of(s.durationSum / s.durations),
                    s == null || s.firstEventAt == Long.MAX_VALUE ? Optional.empty()
                            : Optional.of(Timestamps.toInstant(s.firstEventAt)),
                    error, d == null || d.cron() == null ? Optional.empty() : d.cron().description(),
                    s == null ? List.of() : new ArrayList<>(s.recent)));
        }
        return out;
    }

    /**
     * Cron minutes m of the window with m at most 10 minutes before its end and not before the schedule's first
     * event, for which no {@code schedule_enqueued} names that minute.
     */
    static int missedRuns(CronSchedule cron, State s, TimeWindow window) {
        long lower = window.startMinute();
        if (s != null && s.firstEventAt != Long.MAX_VALUE) {
            lower = Math.max(lower, -Math.floorDiv(-s.firstEventAt, Timestamps.MICROS_PER_MINUTE));
        }
        long upper = window.endMinute() - MISSED_GRACE_MINUTES;
        int missed = 0;
        long m = cron.matches(lower) ? lower : cron.nextAfter(lower);
        while (m != CronSchedule.NEVER && m <= upper) {
            if (s == null || !s.enqueuedMinutes.contains(m)) {
                missed++;
            }
            m = cron.nextAfter(m);
        }
        return missed;
    }

    int size() {
        return states.size();
    }

    /** Adds another engine's schedules (a partial being merged in); the definitions stay this engine's. */
    void mergeFrom(ScheduleBook other) {
        other.states.forEach((id, o) -> states.computeIfAbsent(id, k -> new State(history)).absorb(o));
        firstStateEventAt = Math.min(firstStateEventAt, other.firstStateEventAt);
    }

    /** Writes every schedule's state, for a snapshot (the definitions are configuration, not state). */
    void write(StateOutput out) throws IOException {
        out.signed(firstStateEventAt);
        out.unsigned(states.size());
        for (Map.Entry<String, State> e : new TreeMap<>(states).entrySet()) {
            State s = e.getValue();
            out.text(e.getKey());
            for (long n : new long[] {s.enqueued, s.started, s.finished, s.succeeded, s.failed, s.retried,
                s.durations, s.lastRunAt, s.lastFinishedAt, s.lastSucceededAt, s.tenantAt, s.dagPathAt,
                s.firstEventAt}) {
                out.signed(n);
            }
            out.f64(s.durationSum);
            out.string(s.lastStatus);
            out.string(s.tenant);
            out.string(s.dagPath);
            out.unsigned(s.recent.size());
            for (ScheduleSummary.Outcome o : s.recent) {
                out.signed(o.at().getEpochSecond());
                out.unsigned(o.at().getNano());
                out.string(o.status());
                out.bool(o.durationSeconds().isPresent());
                if (o.durationSeconds().isPresent()) {
                    out.f64(o.durationSeconds().getAsDouble());
                }
            }
            s.enqueuedMinutes.write(out);
        }
    }

    /** Reads into this book, which has no state yet, what {@link #write} wrote. */
    void read(StateInput in) throws IOException {
        firstStateEventAt = in.signed();
        int n = in.count(Integer.MAX_VALUE, "schedules");
        for (int i = 0; i < n; i++) {
            String id = in.text();
            State s = new State(history);
            if (id == null || states.putIfAbsent(id, s) != null) {
                throw StateInput.corrupt("schedule '" + id + "' twice, or without an id");
            }
            s.enqueued = in.signed();
            s.started = in.signed();
            s.finished = in.signed();
            s.succeeded = in.signed();
            s.failed = in.signed();
            s.retried = in.signed();
            s.durations = in.signed();
            s.lastRunAt = in.signed();
            s.lastFinishedAt = in.signed();
            s.lastSucceededAt = in.signed();
            s.tenantAt = in.signed();
            s.dagPathAt = in.signed();
            s.firstEventAt = in.signed();
            s.durationSum = in.f64();
            s.lastStatus = in.string();
            s.tenant = in.string();
            s.dagPath = in.string();
            int outcomes = in.count(ScheduleSummary.RECENT_OUTCOMES, "outcomes");
            for (int k = 0; k < outcomes; k++) {
                Instant at = Instant.ofEpochSecond(in.signed(), in.count(999_999_999, "nanoseconds"));
                String status = in.string();
                OptionalDouble duration = in.bool() ? OptionalDouble.of(in.f64()) : OptionalDouble.empty();
                s.recent.addLast(new ScheduleSummary.Outcome(at, status, duration));
            }
            s.enqueuedMinutes.read(in);
        }
    }

    // =========================================================================================================
    // monitoring: counters that only grow, read at scrape time

    /** Guards what monitoring remembers between reads, which may run concurrently under the engine's read lock. */
    private final Object monitoring = new Object();
    /** Per schedule id: {the last cron minute looked at for missed runs, how many were missed up to it}. */
    private final Map<String, long[]> missedCounters = new HashMap<>();
    /** Per schedule id, for the current definitions: the longest gap between its cron minutes, in minutes (0: none). */
    private final Map<String, Long> intervals = new HashMap<>();
    /** How far ahead the longest gap between cron minutes is looked for: a week's pattern and a day. */
    static final long INTERVAL_HORIZON_MINUTES = 8 * 1440;

    /**
     * Every schedule's figures for monitoring, as of {@code now}: {@link FleetFigures.ScheduleFigures}.
     *
     * @param now the engine's now, in microseconds
     * @return one row per schedule with events or a definition, by id
     */
    List<FleetFigures.ScheduleFigures> figures(long now) {
        long nowMinute = Math.floorDiv(now, Timestamps.MICROS_PER_MINUTE);
        TreeSet<String> ids = new TreeSet<>(states.keySet());
        ids.addAll(definitions.keySet());
        List<FleetFigures.ScheduleFigures> out = new ArrayList<>(ids.size());
        synchronized (monitoring) {
            for (String id : ids) {
                State s = states.get(id);
                Definition d = definitions.get(id);
                String tenant = s != null && s.tenant != null ? s.tenant
                        : d != null ? d.source().tenant().orElse(Run.DEFAULT_TENANT) : null;
                String dagPath = s != null && s.dagPath != null ? s.dagPath
                        : d != null ? d.source().dagPath().orElse(null) : null;
                OptionalLong missed = OptionalLong.empty();
                Optional<Instant> next = Optional.empty();
                OptionalLong interval = OptionalLong.empty();
                if (d != null && d.cron() != null) {
                    missed = OptionalLong.of(countMissed(id, d, s, nowMinute));
                    long gap = intervals.computeIfAbsent(id, k -> longestGap(d.cron(), nowMinute));
                    interval = gap == 0 ? OptionalLong.empty() : OptionalLong.of(gap * 60);
                    long n = d.source().enabled() ? d.cron().nextAfter(nowMinute) : CronSchedule.NEVER;
                    if (n != CronSchedule.NEVER) {
                        next = Optional.of(Timestamps.toInstant(n * Timestamps.MICROS_PER_MINUTE));
                    }
                }
                out.add(new FleetFigures.ScheduleFigures(id, Optional.ofNullable(tenant),
                        Optional.ofNullable(dagPath), d == null ? Optional.empty() : Optional.of(d.source().enabled()),
                        s == null ? 0 : s.enqueued, s == null ? 0 : s.started, s == null ? 0 : s.succeeded,
                        s == null ? 0 : s.failed, s == null ? 0 : s.retried, missed,
                        s == null ? Optional.empty() : instant(s.lastRunAt),
                        s == null ? Optional.empty() : instant(s.lastSucceededAt), next, interval,
                        s == null || s.firstEventAt == Long.MAX_VALUE ? Optional.empty()
                                : Optional.of(Timestamps.toInstant(s.firstEventAt))));
            }
        }
        return out;
    }

    private static Optional<Instant> instant(long micros) {
        return micros == Long.MIN_VALUE ? Optional.empty() : Optional.of(Timestamps.toInstant(micros));
    }

    /**
     * The schedule's missed runs so far: the count up to the last minute looked at, plus the cron minutes after it,
     * from the schedule's first event (else the state log's) up to {@code now} minus the grace, that no enqueue
     * named. Minutes looked at while the schedule was disabled are not counted. A counted minute stays counted, even
     * if an enqueue naming it is read later: the number never goes down.
     */
    private long countMissed(String id, Definition d, State s, long nowMinute) {
        long[] counter = missedCounters.computeIfAbsent(id, k -> new long[] {Long.MIN_VALUE, 0});
        long firstAt = s != null && s.firstEventAt != Long.MAX_VALUE ? s.firstEventAt : firstStateEventAt;
        long upper = nowMinute - MISSED_GRACE_MINUTES;
        if (firstAt == Long.MAX_VALUE || upper <= counter[0]) {
            return counter[1];
        }
        if (d.source().enabled()) {
            long first = -Math.floorDiv(-firstAt, Timestamps.MICROS_PER_MINUTE);
            long lower = counter[0] == Long.MIN_VALUE ? first : Math.max(first, counter[0] + 1);
            long m = d.cron().matches(lower) ? lower : d.cron().nextAfter(lower);
            while (m != CronSchedule.NEVER && m <= upper) {
                if (s == null || !s.enqueuedMinutes.contains(m)) {
                    counter[1]++;
                }
                m = d.cron().nextAfter(m);
            }
        }
        counter[0] = upper;
        return counter[1];
    }

    /** The longest gap between consecutive cron minutes from {@code from} on, within the horizon; 0 when none. */
    private static long longestGap(CronSchedule cron, long from) {
        long previous = cron.nextAfter(from);
        long longest = 0;
        while (previous != CronSchedule.NEVER) {
            long next = cron.nextAfter(previous);
            if (next == CronSchedule.NEVER) {
                break;
            }
            longest = Math.max(longest, next - previous);
            previous = next;
            if (previous > from + INTERVAL_HORIZON_MINUTES) {
                break;
            }
        }
        return longest;
    }

    /** Seals every schedule's enqueued minutes of the days before {@code beforeDay} (see {@link MinuteSet}). */
    void sealBefore(long beforeDay) {
        states.values().forEach(s -> s.enqueuedMinutes.sealBefore(beforeDay));
    }
}
