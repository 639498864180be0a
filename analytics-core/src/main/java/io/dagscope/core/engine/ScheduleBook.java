package io.dagscope.core.engine;

import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.StateEvent;
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
    }

    /** Writes every schedule's state, for a snapshot (the definitions are configuration, not state). */
    void write(StateOutput out) throws IOException {
        out.unsigned(states.size());
        for (Map.Entry<String, State> e : new TreeMap<>(states).entrySet()) {
            State s = e.getValue();
            out.text(e.getKey());
            for (long n : new long[] {s.enqueued, s.started, s.finished, s.succeeded, s.failed, s.retried,
                s.durations, s.lastRunAt, s.lastFinishedAt, s.tenantAt, s.dagPathAt, s.firstEventAt}) {
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

    /** Seals every schedule's enqueued minutes of the days before {@code beforeDay} (see {@link MinuteSet}). */
    void sealBefore(long beforeDay) {
        states.values().forEach(s -> s.enqueuedMinutes.sealBefore(beforeDay));
    }
}
