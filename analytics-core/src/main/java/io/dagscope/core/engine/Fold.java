package io.dagscope.core.engine;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.RunnerEvent;
import io.dagscope.core.event.StateEvent;
import io.dagscope.core.event.TaskEvent;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fold: takes each event, in the order its feed delivers it, to the parts it changes. A runner event goes to its
 * run (found by its run id, or placed by its feed's {@link RunInference}), whose state is folded in the run's merged
 * order; the run's task contributions go to the {@link TaskAggregates}, kept in step when the run's order or tenant
 * changes; its failures go to the {@link FailureLog}, its place and status to the {@link RunIndex}. Scheduler events go
 * to the {@link ScheduleBook}, expiries to the run index.
 */
final class Fold {

    private final Dictionaries names;
    private final RunIndex runs;
    private final TaskAggregates aggregates;
    private final FailureLog failures;
    private final ScheduleBook schedules;
    private final List<SourceFeed> feeds = new ArrayList<>();
    private long newestEventAt = Long.MIN_VALUE;

    Fold(Dictionaries names, RunIndex runs, TaskAggregates aggregates, FailureLog failures, ScheduleBook schedules) {
        this.names = names;
        this.runs = runs;
        this.aggregates = aggregates;
        this.failures = failures;
        this.schedules = schedules;
    }

    /**
     * A new feed for one source.
     *
     * @throws IllegalArgumentException if a feed of that name exists
     */
    SourceFeed addFeed(AnalyticsEngine engine, String sourceName) {
        SourceFeed existing = find(sourceName);
        if (existing != null) {
            if (existing.claim()) {
                return existing; // it came with a merged or restored state: the source feeds it on
            }
            throw new IllegalArgumentException("a source named '" + sourceName + "' is already fed");
        }
        SourceFeed feed = new SourceFeed(engine, sourceName, feeds.size(), true);
        feeds.add(feed);
        return feed;
    }

    private SourceFeed find(String sourceName) {
        for (SourceFeed f : feeds) {
            if (f.name().equals(sourceName)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Maps the feeds of an engine being merged in to this one's, by source name, adding those this one lacks (for a
     * source to claim later); their counts add up, so that the merged feed numbers its next events after both.
     *
     * @return the other's feed ids mapped to this fold's
     * @throws IllegalStateException if a feed of either holds events not folded in yet (nothing is changed then)
     */
    int[] mergeFeeds(Fold other, AnalyticsEngine engine) {
        feeds.forEach(SourceFeed::requireFlushed);
        other.feeds.forEach(SourceFeed::requireFlushed);
        int[] ids = new int[other.feeds.size()];
        for (SourceFeed o : other.feeds) {
            SourceFeed mine = find(o.name());
            if (mine == null) {
                mine = new SourceFeed(engine, o.name(), feeds.size(), false);
                feeds.add(mine);
            }
            mine.absorb(o);
            ids[o.id()] = mine.id();
        }
        newestEventAt = Math.max(newestEventAt, other.newestEventAt);
        return ids;
    }

    /** Adds the runs the other engine's run inferences hold open, once its runs are merged. */
    void mergeInference(Fold other, Remap remap) {
        for (SourceFeed o : other.feeds) {
            feeds.get(remap.feeds[o.id()]).inference().mergeFrom(o.inference(), remap.runs);
        }
    }

    /**
     * Writes the feeds (by name, with their counts) and the newest event's time, for a snapshot.
     *
     * @throws IllegalStateException if a feed holds events not folded in yet
     */
    void writeFeeds(StateOutput out) throws IOException {
        feeds.forEach(SourceFeed::requireFlushed);
        out.signed(newestEventAt);
        out.unsigned(feeds.size());
        for (SourceFeed f : feeds) {
            out.text(f.name());
            out.unsigned(f.nextSeq());
            out.unsigned(f.accepted());
        }
    }

    /** Reads into this fold, which has no feed yet, what {@link #writeFeeds} wrote; each feed waits for a source. */
    void readFeeds(StateInput in, AnalyticsEngine engine) throws IOException {
        if (!feeds.isEmpty()) {
            throw new IllegalStateException("the engine has feeds already");
        }
        newestEventAt = in.signed();
        int n = in.count(Integer.MAX_VALUE, "feeds");
        for (int i = 0; i < n; i++) {
            String name = in.text();
            if (name == null || find(name) != null) {
                throw StateInput.corrupt("feed '" + name + "' twice, or without a name");
            }
            SourceFeed feed = new SourceFeed(engine, name, feeds.size(), false);
            feed.restoreCounts(in.unsigned(), in.unsigned());
            feeds.add(feed);
        }
    }

    /** Writes each feed's run inference (its open runs), for a snapshot. */
    void writeInference(StateOutput out) throws IOException {
        for (SourceFeed f : feeds) {
            f.inference().write(out);
        }
    }

    /** Reads what {@link #writeInference} wrote, once the runs are read. */
    void readInference(StateInput in) throws IOException {
        for (SourceFeed f : feeds) {
            f.inference().read(in, runs);
        }
    }

    /** @return how many feeds there are */
    int feedCount() {
        return feeds.size();
    }

    /** @return how this fold ranks its feeds in a run's merged order */
    RunLog.SourceRank ranks() {
        return this::sourceRank;
    }

    /** @return the newest runner event's time folded so far, or {@link Long#MIN_VALUE} before any */
    long newestEventAt() {
        return newestEventAt;
    }

    /** Folds a feed's batch, numbered from {@code firstSeq} on in the feed's order. */
    void apply(SourceFeed feed, List<Event> batch, long firstSeq) {
        long seq = firstSeq;
        for (Event e : batch) {
            applyOne(feed, e, seq++);
        }
    }

    /** Closes a run that retention dropped in every feed's run inference, so that no later event goes to it. */
    void closeEverywhere(Run run) {
        for (SourceFeed f : feeds) {
            f.inference().closed(names.dags.name(run.dagId), run);
        }
    }

    private void applyOne(SourceFeed feed, Event event, long seq) {
        if (event instanceof RunnerEvent r) {
            newestEventAt = Math.max(newestEventAt, r.timestampMicros());
            applyRunnerEvent(feed, r, seq);
        } else if (event instanceof CheckpointExpired x) {
            runs.applyExpiry(x);
        } else {
            schedules.apply((StateEvent) event);
        }
    }

    private void applyRunnerEvent(SourceFeed feed, RunnerEvent e, long seq) {
        String runId = e.dagRunId();
        Run run;
        if (runId != null) {
            run = runs.get(runId);
            // the DAG is almost always the run's, and the same string: no dictionary lookup then
            int dag = run != null && run.dagName == e.dagName() ? run.dagId : names.dags.id(e.dagName());
            if (run == null) {
                Integer droppedTenant = runs.droppedTenant(runId);
                if (droppedTenant != null) {
                    applyWithoutRun(e, dag, droppedTenant);
                    return;
                }
                run = runs.open(runId, dag, e.dagName());
            }
            appendToRun(feed, run, e, dag, seq);
            return;
        }
        int dag = names.dags.id(e.dagName());
        RunInference inference = feed.inference();
        if (e instanceof DagStart) {
            run = runs.openInferred(inferredId(feed, e), dag);
            inference.opened(e.dagName(), run);
        } else if (e instanceof TaskStart t) {
            run = inference.forTaskStart(e.dagName(), t.taskId());
        } else if (e instanceof TaskRetry t) {
            run = inference.forAttempt(e.dagName(), t.taskId(), t.attempt());
        } else if (e instanceof TaskOk t) {
            run = inference.forAttempt(e.dagName(), t.taskId(), t.attempt());
        } else if (e instanceof TaskFail t) {
            run = inference.forTaskFail(e.dagName(), t.taskId());
        } else if (e instanceof DagDone d) {
            run = inference.forDagDone(e.dagName(), d.timestampMicros(), d.durationSeconds(), d.tenant());
        } else {
            run = inference.newestOpen(e.dagName());
        }
        if (run == null) {
            applyWithoutRun(e, dag, Dictionaries.NO_TENANT);
            return;
        }
        appendToRun(feed, run, e, dag, seq);
        if (e instanceof TaskFail || e instanceof DagDone) {
            inference.closed(e.dagName(), run);
        }
    }

    private String inferredId(SourceFeed feed, RunnerEvent e) {
        String base = RunIds.inferred(feed.name(), e.dagName(), e.timestampMicros());
        String id = base;
        for (int n = 2; runs.containsId(id); n++) {
            id = base + "#" + n;
        }
        return id;
    }

    private void applyWithoutRun(RunnerEvent e, int dag, int tenant) {
        if (e instanceof TaskFail f) {
            failures.record(f, null, tenant, dag);
        }
        if (e instanceof TaskEvent) {
            int kind = Kind.contribution(Kind.of(e));
            aggregates.emit(tenant, dag, Timestamps.minuteOf(e.timestampMicros()), kind, Contribution.NO_DURATION, 1);
        }
    }

    private void appendToRun(SourceFeed feed, Run run, RunnerEvent e, int dag, long seq) {
        byte kind = Kind.of(e);
        long at = e.timestampMicros();
        String taskId = null;
        int num = -1;
        Object ref = null;
        if (e instanceof DagStart s) {
            num = s.taskCount() == null ? -1 : s.taskCount();
            ref = s.tenant();
        } else if (e instanceof TaskStart t) {
            taskId = t.taskId();
        } else if (e instanceof TaskRetry t) {
            taskId = t.taskId();
            num = t.attempt() == null ? -1 : t.attempt();
            ref = t.error();
        } else if (e instanceof TaskOk t) {
            taskId = t.taskId();
            num = t.attempt() == null ? -1 : t.attempt();
        } else if (e instanceof TaskFail t) {
            taskId = t.taskId();
            ref = t.error();
        } else if (e instanceof DagDone d) {
            num = d.tasksFailed() == null ? 0 : d.tasksFailed();
            ref = new Run.DoneInfo(d.tenant(), d.durationSeconds() == null ? Double.NaN : d.durationSeconds());
        } else if (e instanceof CheckpointPending p) {
            taskId = p.taskId();
            ref = p.checkpointId();
        } else if (e instanceof CheckpointApproved a) {
            ref = a.checkpointId();
        }

        if (e instanceof TaskFail f) {
            failures.record(f, run, -1, dag);
        }
        if (run.log.appendsInOrder(feed.id(), seq, at)) {
            long duration = run.durationIfFinished(kind, taskId, at);
            run.log.append(kind, at, feed.id(), seq, dag, taskId, num, ref);
            run.step(run.log.size() - 1);
            int tenant = names.tenantId(run);
            if (run.appliedTenant >= 0 && run.appliedTenant != tenant) {
                aggregates.emitRun(run, run.log.size() - 1, run.appliedTenant, -1);
                aggregates.emitRun(run, run.log.size(), tenant, 1);
            } else if (Kind.isTask(kind)) {
                aggregates.emit(tenant, dag, Timestamps.minuteOf(at), Kind.contribution(kind), duration, 1);
            }
            run.appliedTenant = tenant;
        } else {
            if (run.appliedTenant >= 0) {
                aggregates.emitRun(run, run.log.size(), run.appliedTenant, -1);
            }
            run.log.append(kind, at, feed.id(), seq, dag, taskId, num, ref);
            run.log.reorder(this::sourceRank);
            run.refold();
            int tenant = names.tenantId(run);
            aggregates.emitRun(run, run.log.size(), tenant, 1);
            run.appliedTenant = tenant;
        }
        if (Kind.isEnd(kind)) {
            run.log.trim();
        }
        aggregates.countRunStart(run);
        runs.reindex(run);
        runs.countStatus(run);
    }

    /** Ranks sources by name, so the merged order of a run never depends on which source was read first. */
    private int sourceRank(int feedId) {
        String name = feeds.get(feedId).name();
        int rank = 0;
        for (SourceFeed f : feeds) {
            int c = f.name().compareTo(name);
            if (c < 0 || (c == 0 && f.id() < feedId)) {
                rank++;
            }
        }
        return rank;
    }
}
