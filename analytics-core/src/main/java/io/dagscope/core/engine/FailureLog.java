package io.dagscope.core.engine;

import io.dagscope.core.event.TaskFail;
import io.dagscope.core.model.FailureGroup;
import io.dagscope.core.model.RunStatus;
import io.dagscope.core.model.TaskRun;
import io.dagscope.core.port.out.HistoryStore;
import io.dagscope.core.time.TimeWindow;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The failure log: every {@code task_fail}, by minute, with a link to its run while the run's detail is kept. Once
 * every failure of a day before the sealing horizon is final (its run dropped by retention, or none), the day is
 * sealed into one block of the history store with this log's own codec. The failures query groups what a window
 * holds by error signature, with the failures the runs' checkpoint expiries make.
 *
 * <p>Block layout of a sealed day: the number of failures, then each as its time since the day's start, its tenant
 * id (signed), its DAG id, its task and its error (variable-length integers and strings, {@link Bytes}).
 */
final class FailureLog {

    private static final long MINUTES_PER_DAY = 1440;

    private final Dictionaries names;
    private final HistoryStore history;
    private final Bytes.Writer writer;
    private final TreeMap<Long, List<FailureRecord>> byMinute = new TreeMap<>();
    /** Failures of days before the sealing horizon whose runs are all dropped (or none), by day. */
    private final DayHandles sealed = new DayHandles();
    private long sealedBytes;

    /** A {@code task_fail} as the failures query groups it. */
    private record FailureRecord(long at, Run.FailedRunRef run, int tenantIfNoRun, int dag, String taskId,
            String error) {
    }

    FailureLog(Dictionaries names, HistoryStore history, Bytes.Writer writer) {
        this.names = names;
        this.history = history;
        this.writer = writer;
    }

    /**
     * Records a failure.
     *
     * @param f the event
     * @param run its run, or null when it belongs to none
     * @param tenantIfNoRun its tenant when it belongs to no run
     * @param dag its DAG's id
     */
    void record(TaskFail f, Run run, int tenantIfNoRun, int dag) {
        Run.FailedRunRef ref = null;
        if (run != null) {
            if (run.failedRunRef == null) {
                run.failedRunRef = new Run.FailedRunRef(run.id);
            }
            ref = run.failedRunRef;
        }
        byMinute.computeIfAbsent(Timestamps.minuteOf(f.timestampMicros()), k -> new ArrayList<>(2))
                .add(new FailureRecord(f.timestampMicros(), ref, tenantIfNoRun, dag, f.taskId(), f.error()));
    }

    /**
     * Moves the failures of each day before {@code beforeDay} into the history store, once every one of them is
     * final: its run dropped by retention, or none. A day sealed before and written to again (a late failure) is
     * sealed again, its old records and the new ones in one block.
     */
    void sealBefore(long beforeDay, RunIndex runs) {
        NavigableMap<Long, List<FailureRecord>> old = byMinute.headMap(beforeDay * MINUTES_PER_DAY, false);
        if (old.isEmpty()) {
            return;
        }
        TreeSet<Long> days = new TreeSet<>();
        old.keySet().forEach(minute -> days.add(Math.floorDiv(minute, MINUTES_PER_DAY)));
        for (long day : days) {
            NavigableMap<Long, List<FailureRecord>> ofDay =
                    byMinute.subMap(day * MINUTES_PER_DAY, true, (day + 1) * MINUTES_PER_DAY, false);
            boolean allFinal = ofDay.values().stream().flatMap(List::stream)
                    .allMatch(f -> f.run() == null || f.run().dropped);
            if (!allFinal) {
                continue;
            }
            List<FailureRecord> records = new ArrayList<>();
            long previous = sealed.get(day);
            if (previous != 0) {
                readSealed(day, previous, records::add);
            }
            ofDay.values().forEach(records::addAll);
            // stored first, then forgotten: a store that fails loses nothing
            writeSealed(day, records, runs);
            ofDay.clear();
            if (previous != 0) {
                sealedBytes -= history.get(previous).limit();
                history.release(previous);
            }
        }
    }

    /**
     * Adds another engine's failures (a partial being merged in), once its runs are merged: each live failure linked
     * to the run that holds it here (or, its run dropped, under the tenant it was dropped with), each sealed day
     * added to this log's day with ids mapped to this engine's.
     *
     * @param other the other engine's log
     * @param remap its ids and runs to this engine's
     * @param otherRuns the other engine's runs
     * @param runs this engine's runs, with the other's merged in
     */
    void mergeFrom(FailureLog other, Remap remap, RunIndex otherRuns, RunIndex runs) {
        other.byMinute.forEach((minute, records) -> {
            List<FailureRecord> into = byMinute.computeIfAbsent(minute, k -> new ArrayList<>(records.size()));
            for (FailureRecord f : records) {
                into.add(new FailureRecord(f.at(), link(f.run(), remap, otherRuns, runs),
                        remap.tenant(f.tenantIfNoRun()), remap.dag(f.dag()), f.taskId(), f.error()));
            }
        });
        other.sealed.forEach((day, handle) -> {
            List<FailureRecord> records = new ArrayList<>();
            long previous = sealed.get(day);
            if (previous != 0) {
                readSealed(day, previous, records::add);
            }
            other.readSealed(day, handle, f -> records.add(new FailureRecord(f.at(), null,
                    remap.tenant(f.tenantIfNoRun()), remap.dag(f.dag()), f.taskId(), f.error())));
            writeSealed(day, records, runs);
            if (previous != 0) {
                sealedBytes -= history.get(previous).limit();
                history.release(previous);
            }
        });
    }

    /** This engine's link for a failure of the other engine's: to the run holding it here, or dropped. */
    private static Run.FailedRunRef link(Run.FailedRunRef ref, Remap remap, RunIndex otherRuns, RunIndex runs) {
        if (ref == null) {
            return null;
        }
        return remap.failedRunRefs.computeIfAbsent(ref, r -> {
            Run.FailedRunRef mine = null;
            Run holder = r.dropped ? null : remap.runs.get(otherRuns.get(r.id));
            if (holder != null) {
                if (holder.failedRunRef == null) {
                    holder.failedRunRef = new Run.FailedRunRef(holder.id);
                }
                mine = holder.failedRunRef;
            } else {
                mine = new Run.FailedRunRef(r.id);
                mine.dropped = true;
                if (r.dropped) {
                    mine.tenantWhenDropped = remap.tenant(r.tenantWhenDropped);
                } else {
                    Integer tenant = runs.droppedTenant(r.id);
                    mine.tenantWhenDropped = tenant == null ? Dictionaries.NO_TENANT : tenant;
                }
            }
            return mine;
        });
    }

    /** Writes a sealed day's failures into the store and keeps its handle (the day's previous block: the caller's). */
    private void writeSealed(long day, List<FailureRecord> records, RunIndex runs) {
        Bytes.Writer out = writer;
        out.reset();
        long dayStart = day * MINUTES_PER_DAY * Timestamps.MICROS_PER_MINUTE;
        out.unsigned(records.size());
        for (FailureRecord f : records) {
            out.unsigned(f.at() - dayStart);
            out.signed(tenantOf(f, runs));
            out.unsigned(f.dag());
            out.string(f.taskId());
            out.string(f.error());
        }
        sealed.put(day, history.put(out.array(), out.size()));
        sealedBytes += out.size();
    }

    /**
     * Writes the failures, for a snapshot: each live one with its link to its run (the run's id while the run is
     * kept; else the id and tenant it was dropped with, once for failures that share the link), and each sealed day's
     * block as it is.
     */
    void write(StateOutput out) throws IOException {
        Map<Run.FailedRunRef, Integer> droppedRefs = new IdentityHashMap<>();
        out.unsigned(byMinute.size());
        for (Map.Entry<Long, List<FailureRecord>> e : byMinute.entrySet()) {
            out.signed(e.getKey());
            out.unsigned(e.getValue().size());
            for (FailureRecord f : e.getValue()) {
                out.signed(f.at());
                Run.FailedRunRef ref = f.run();
                if (ref == null) {
                    out.u8(0);
                } else if (!ref.dropped) {
                    out.u8(1);
                    out.text(ref.id);
                } else {
                    Integer earlier = droppedRefs.get(ref);
                    if (earlier != null) {
                        out.u8(3);
                        out.unsigned(earlier);
                    } else {
                        droppedRefs.put(ref, droppedRefs.size());
                        out.u8(2);
                        out.text(ref.id);
                        out.signed(ref.tenantWhenDropped);
                    }
                }
                out.signed(f.tenantIfNoRun());
                out.unsigned(f.dag());
                out.string(f.taskId());
                out.string(f.error());
            }
        }
        out.unsigned(sealed.count());
        IOException[] failed = {null};
        sealed.forEach((day, handle) -> {
            if (failed[0] == null) {
                try {
                    ByteBuffer block = history.get(handle);
                    byte[] bytes = new byte[block.limit()];
                    block.get(0, bytes);
                    out.signed(day);
                    out.bytes(bytes, 0, bytes.length);
                } catch (IOException x) {
                    failed[0] = x;
                }
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** Reads into this empty log what {@link #write} wrote, linking live failures to the runs read before. */
    void read(StateInput in, RunIndex runs) throws IOException {
        int tenants = names.tenants.size();
        int dags = names.dags.size();
        List<Run.FailedRunRef> droppedRefs = new ArrayList<>();
        int minutes = in.count(Integer.MAX_VALUE, "minutes of failures");
        for (int m = 0; m < minutes; m++) {
            long minute = in.signed();
            int n = in.count(Integer.MAX_VALUE, "failures of a minute");
            List<FailureRecord> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long at = in.signed();
                int link = in.u8();
                Run.FailedRunRef ref = switch (link) {
                    case 0 -> null;
                    case 1 -> {
                        String id = in.text();
                        Run run = id == null ? null : runs.get(id);
                        if (run == null || run.failedRunRef == null) {
                            throw StateInput.corrupt("a failure of run '" + id + "', which is not kept");
                        }
                        yield run.failedRunRef;
                    }
                    case 2 -> {
                        Run.FailedRunRef dropped = new Run.FailedRunRef(in.text());
                        dropped.dropped = true;
                        dropped.tenantWhenDropped = in.intIn(Dictionaries.NO_TENANT, tenants - 1L, "a tenant");
                        droppedRefs.add(dropped);
                        yield dropped;
                    }
                    case 3 -> droppedRefs.get(in.count(droppedRefs.size() - 1L, "a dropped run's link"));
                    default -> throw StateInput.corrupt("a failure's link of kind " + link);
                };
                int tenant = in.intIn(Dictionaries.NO_TENANT, tenants - 1L, "a tenant");
                int dag = in.count(dags - 1L, "a DAG");
                records.add(new FailureRecord(at, ref, tenant, dag, in.string(), in.string()));
            }
            if (byMinute.put(minute, records) != null) {
                throw StateInput.corrupt("minute " + minute + " of failures twice");
            }
        }
        int days = in.count(Integer.MAX_VALUE, "sealed days of failures");
        for (int i = 0; i < days; i++) {
            long day = in.signed();
            byte[] bytes = in.bytes();
            if (sealed.get(day) != 0) {
                throw StateInput.corrupt("day " + day + " of failures sealed twice");
            }
            sealed.put(day, history.put(bytes, bytes.length));
            sealedBytes += bytes.length;
        }
    }

    /** @return the bytes of the sealed days of failures */
    long sealedBytes() {
        return sealedBytes;
    }

    /** Decodes a sealed day of failures: each as a record without a run, under the tenant it had when sealed. */
    private void readSealed(long day, long handle, Consumer<FailureRecord> into) {
        Bytes.Reader in = new Bytes.Reader(history.get(handle), 0);
        long dayStart = day * MINUTES_PER_DAY * Timestamps.MICROS_PER_MINUTE;
        long count = in.unsigned();
        for (long i = 0; i < count; i++) {
            long at = dayStart + in.unsigned();
            int tenant = (int) in.signed();
            int dag = (int) in.unsigned();
            String taskId = in.string();
            String error = in.string();
            into.accept(new FailureRecord(at, null, tenant, dag, taskId, error));
        }
    }

    private static int tenantOf(FailureRecord f, RunIndex runs) {
        Run.FailedRunRef ref = f.run();
        if (ref == null) {
            return f.tenantIfNoRun();
        }
        if (ref.dropped) {
            return ref.tenantWhenDropped;
        }
        return runs.tenantOf(ref.id);
    }

    // =========================================================================================================
    // the query

    List<FailureGroup> failures(TimeWindow window, LongPredicate selected, int first, RunIndex runs) {
        Map<String, FailureAccumulator> groups = new HashMap<>();
        Consumer<FailureRecord> group = f -> {
            int tenant = tenantOf(f, runs);
            if (selected.test(Dictionaries.seriesKey(tenant, f.dag()))) {
                boolean kept = f.run() != null && !f.run().dropped;
                groups.computeIfAbsent(ErrorSignature.of(f.error()), k -> new FailureAccumulator())
                        .add(f.at(), f.error(), names.dags.name(f.dag()),
                                tenant == Dictionaries.NO_TENANT ? null : names.tenants.name(tenant),
                                kept ? f.run().id : null, f.taskId());
            }
        };
        // sealed days, live minutes, then expiries: the groups do not depend on the order they are read in
        long startMinute = window.startMinute();
        long endMinute = window.endMinute();
        sealed.forEach((day, handle) -> {
            if ((day + 1) * MINUTES_PER_DAY > startMinute && day * MINUTES_PER_DAY < endMinute) {
                readSealed(day, handle, f -> {
                    long minute = Timestamps.minuteOf(f.at());
                    if (minute >= startMinute && minute < endMinute) {
                        group.accept(f);
                    }
                });
            }
        });
        for (List<FailureRecord> minute : byMinute.subMap(startMinute, endMinute).values()) {
            minute.forEach(group);
        }
        for (Run run : runs.runsWithExpiries()) {
            int tenant = names.tenants.find(run.tenant());
            if (!selected.test(Dictionaries.seriesKey(tenant, run.dagId))) {
                continue;
            }
            for (TaskRun task : run.view(names.dags.name(run.dagId)).tasks()) {
                if (task.checkpoint() && task.status() == RunStatus.FAILED && task.endedAt().isPresent()
                        && window.contains(Timestamps.toMicros(task.endedAt().get()))) {
                    String error = task.error().orElse(null);
                    groups.computeIfAbsent(ErrorSignature.of(error), k -> new FailureAccumulator())
                            .add(Timestamps.toMicros(task.endedAt().get()), error, names.dags.name(run.dagId),
                                    run.tenant(), run.id, task.taskId());
                }
            }
        }
        List<Map.Entry<String, FailureAccumulator>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(GROUP_ORDER);
        List<FailureGroup> out = new ArrayList<>();
        for (Map.Entry<String, FailureAccumulator> e : sorted.subList(0, Math.min(first, sorted.size()))) {
            out.add(e.getValue().toGroup(e.getKey()));
        }
        return out;
    }

    /** Groups by count, then the latest failure, both descending; then by signature, so that no order is left open. */
    private static final Comparator<Map.Entry<String, FailureAccumulator>> GROUP_ORDER = (a, b) -> {
        if (a.getValue().count != b.getValue().count) {
            return Long.compare(b.getValue().count, a.getValue().count);
        }
        if (a.getValue().last != b.getValue().last) {
            return Long.compare(b.getValue().last, a.getValue().last);
        }
        return a.getKey().compareTo(b.getKey());
    };

    /** Of failures at the same instant, the one a group shows as its latest: by run, task and error (absent first). */
    private static final Comparator<String> ABSENT_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    /**
     * Gathers one failure group. What it shows does not depend on the order failures are added in: of failures at
     * the same instant, the greatest by run, task and error is the latest.
     */
    private static final class FailureAccumulator {
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String lastError;
        String lastRun;
        String lastTask;
        final TreeSet<String> dagNames = new TreeSet<>();
        final TreeSet<String> tenantNames = new TreeSet<>();

        void add(long at, String error, String dag, String tenant, String runId, String taskId) {
            count++;
            first = Math.min(first, at);
            if (at > last || at == last && later(runId, taskId, error)) {
                last = at;
                lastError = error;
                lastRun = runId;
                lastTask = taskId;
            }
            dagNames.add(dag);
            if (tenant != null) {
                tenantNames.add(tenant);
            }
        }

        private boolean later(String runId, String taskId, String error) {
            int c = ABSENT_FIRST.compare(runId, lastRun);
            if (c == 0) {
                c = ABSENT_FIRST.compare(taskId, lastTask);
            }
            if (c == 0) {
                c = ABSENT_FIRST.compare(error, lastError);
            }
            return c >= 0;
        }

        FailureGroup toGroup(String signature) {
            return new FailureGroup(signature, lastError == null ? "" : lastError, count,
                    Timestamps.toInstant(first), Timestamps.toInstant(last), new ArrayList<>(dagNames),
                    new ArrayList<>(tenantNames), Optional.ofNullable(lastRun), lastTask);
        }
    }
}
