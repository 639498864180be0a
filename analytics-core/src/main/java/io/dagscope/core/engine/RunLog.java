package io.dagscope.core.engine;

import java.io.IOException;
import java.util.Arrays;

/**
 * A run's runner events, stored column by column to keep millions of them compact, in the run's merged order:
 * each source's events in that source's read order, sources interleaved by timestamp.
 *
 * <p>Nearly every run has its events from one source and of one DAG, so those two columns, and the sequence column
 * that only matters when sources mix, exist only once a run needs them: about 21 bytes an event otherwise.
 */
final class RunLog {

    /** A typical run has 8 to 12 events: one allocation, trimmed when the run ends. */
    private static final int INITIAL = 12;

    private int size;
    private byte[] kind = new byte[INITIAL];
    private long[] ts = new long[INITIAL];
    private String[] task = new String[INITIAL];
    private int[] num = new int[INITIAL];
    private Object[] ref = new Object[INITIAL];
    /** Per-event sources and sequences, once events of a second source arrive; null before. */
    private int[] src;
    private long[] seq;
    /** Per-event DAGs, once an event names another DAG than the first; null before. */
    private int[] dag;
    private int firstSource = -1;
    private int firstDag;
    /** The sequence of the last event while there is one source. */
    private long lastSeq = Long.MIN_VALUE;
    private long maxTs = Long.MIN_VALUE;

    int size() {
        return size;
    }

    byte kind(int i) {
        return kind[i];
    }

    long ts(int i) {
        return ts[i];
    }

    int dag(int i) {
        return dag == null ? firstDag : dag[i];
    }

    String task(int i) {
        return task[i];
    }

    int num(int i) {
        return num[i];
    }

    Object ref(int i) {
        return ref[i];
    }

    /** @return the feed event {@code i} came from */
    int source(int i) {
        return src == null ? firstSource : src[i];
    }

    /**
     * @return a number that orders event {@code i} among its source's events in this log: its sequence, or its
     *     position while the log has one source (later sequences of that source are larger than any position)
     */
    long sequence(int i) {
        return src == null ? i : seq[i];
    }

    /**
     * A copy of this log for another engine, whose feed and DAG ids differ.
     *
     * @param feeds this engine's feed ids to the other's
     * @param dags this engine's DAG ids to the other's
     */
    RunLog copy(int[] feeds, int[] dags) {
        RunLog c = new RunLog();
        int cap = Math.max(size, 1);
        c.size = size;
        c.kind = Arrays.copyOf(kind, cap);
        c.ts = Arrays.copyOf(ts, cap);
        c.task = Arrays.copyOf(task, cap);
        c.num = Arrays.copyOf(num, cap);
        c.ref = Arrays.copyOf(ref, cap);
        if (src != null) {
            c.src = new int[cap];
            c.seq = Arrays.copyOf(seq, cap);
            for (int i = 0; i < size; i++) {
                c.src[i] = feeds[src[i]];
            }
        }
        if (dag != null) {
            c.dag = new int[cap];
            for (int i = 0; i < size; i++) {
                c.dag[i] = dags[dag[i]];
            }
        }
        c.firstSource = firstSource < 0 ? firstSource : feeds[firstSource];
        c.firstDag = size == 0 ? firstDag : dags[firstDag];
        c.lastSeq = lastSeq;
        c.maxTs = maxTs;
        return c;
    }

    /**
     * Writes the log, for a snapshot: its events column by column (timestamps as differences), then what it keeps
     * to place later events.
     */
    void write(StateOutput out) throws IOException {
        out.unsigned(size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            out.u8(kind[i]);
            out.signed(ts[i] - previous);
            previous = ts[i];
            out.string(task[i]);
            out.signed(num[i]);
            Object r = ref[i];
            if (r == null) {
                out.u8(0);
            } else if (r instanceof String text) {
                out.u8(1);
                out.string(text);
            } else {
                Run.DoneInfo done = (Run.DoneInfo) r;
                out.u8(2);
                out.string(done.tenant());
                out.f64(done.durationSeconds());
            }
        }
        out.bool(src != null);
        if (src != null) {
            for (int i = 0; i < size; i++) {
                out.unsigned(src[i]);
                out.signed(seq[i]);
            }
        }
        out.bool(dag != null);
        if (dag != null) {
            for (int i = 0; i < size; i++) {
                out.unsigned(dag[i]);
            }
        }
        out.signed(firstSource);
        out.signed(firstDag);
        out.signed(lastSeq);
        out.signed(maxTs);
    }

    /**
     * Reads a log that {@link #write} wrote.
     *
     * @param feeds how many feeds the engine has (source ids are below)
     * @param dags how many DAGs it has
     */
    static RunLog read(StateInput in, int feeds, int dags) throws IOException {
        RunLog log = new RunLog();
        int n = in.count(Integer.MAX_VALUE - 8, "events of a run");
        log.grow(Math.max(n, 1));
        long previous = 0;
        for (int i = 0; i < n; i++) {
            int k = in.u8();
            if (k > Kind.CHECKPOINT_APPROVED) {
                throw StateInput.corrupt("an event of kind " + k);
            }
            log.kind[i] = (byte) k;
            previous += in.signed();
            log.ts[i] = previous;
            log.task[i] = in.string();
            log.num[i] = in.intIn(Integer.MIN_VALUE, Integer.MAX_VALUE, "a count");
            int refKind = in.u8();
            log.ref[i] = switch (refKind) {
                case 0 -> null;
                case 1 -> in.string();
                case 2 -> new Run.DoneInfo(in.string(), in.f64());
                default -> throw StateInput.corrupt("a reference of kind " + refKind);
            };
        }
        log.size = n;
        if (in.bool()) {
            log.src = new int[log.kind.length];
            log.seq = new long[log.kind.length];
            for (int i = 0; i < n; i++) {
                log.src[i] = in.count(feeds - 1L, "a source");
                log.seq[i] = in.signed();
            }
        }
        if (in.bool()) {
            log.dag = new int[log.kind.length];
            for (int i = 0; i < n; i++) {
                log.dag[i] = in.count(dags - 1L, "a DAG");
            }
        }
        log.firstSource = in.intIn(-1, feeds - 1L, "a source");
        log.firstDag = in.intIn(0, Math.max(0, dags - 1L), "a DAG");
        log.lastSeq = in.signed();
        log.maxTs = in.signed();
        return log;
    }

    /**
     * Whether an event can go at the end without changing the order of the others: it comes after every event of
     * its own source, and either every event so far is from that source or it is later than all of them.
     */
    boolean appendsInOrder(int source, long sequence, long timestamp) {
        if (size == 0) {
            return true;
        }
        if (src == null) {
            return source == firstSource ? sequence > lastSeq : timestamp > maxTs;
        }
        long lastSeqOfSource = Long.MIN_VALUE;
        for (int i = size - 1; i >= 0; i--) {
            if (src[i] == source) {
                lastSeqOfSource = seq[i];
                break;
            }
        }
        return sequence > lastSeqOfSource && timestamp > maxTs;
    }

    void append(byte k, long t, int source, long sequence, int dagId, String taskId, int n, Object r) {
        if (size == kind.length) {
            grow(size * 2);
        }
        if (size == 0) {
            firstSource = source;
            firstDag = dagId;
        }
        if (src == null && source != firstSource) {
            src = new int[kind.length];
            seq = new long[kind.length];
            Arrays.fill(src, 0, size, firstSource);
            // earlier events of the first source are in its read order: their positions keep that order, and any
            // later sequence of that source is larger than a position (a source numbers all its events)
            for (int i = 0; i < size; i++) {
                seq[i] = i;
            }
        }
        if (dag == null && dagId != firstDag) {
            dag = new int[kind.length];
            Arrays.fill(dag, 0, size, firstDag);
        }
        kind[size] = k;
        ts[size] = t;
        task[size] = taskId;
        num[size] = n;
        ref[size] = r;
        if (src != null) {
            src[size] = source;
            seq[size] = sequence;
        } else {
            lastSeq = sequence;
        }
        if (dag != null) {
            dag[size] = dagId;
        }
        size++;
        maxTs = Math.max(maxTs, t);
    }

    private void grow(int cap) {
        kind = Arrays.copyOf(kind, cap);
        ts = Arrays.copyOf(ts, cap);
        task = Arrays.copyOf(task, cap);
        num = Arrays.copyOf(num, cap);
        ref = Arrays.copyOf(ref, cap);
        if (src != null) {
            src = Arrays.copyOf(src, cap);
            seq = Arrays.copyOf(seq, cap);
        }
        if (dag != null) {
            dag = Arrays.copyOf(dag, cap);
        }
    }

    /** Drops unused capacity (a run that ended rarely grows again). */
    void trim() {
        if (kind.length > size && size > 0) {
            grow(size);
        }
    }

    /** Source ranks break timestamp ties between sources, so the order never depends on which source came first. */
    interface SourceRank {
        int rank(int source);
    }

    /**
     * Restores the merged order after an event was appended out of it: each source's events by sequence, sources
     * merged by timestamp (ties: lower source rank first).
     */
    void reorder(SourceRank ranks) {
        if (src == null) {
            return;
        }
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        // each source's events in read order
        Arrays.sort(idx, (a, b) -> {
            if (src[a] != src[b]) {
                return Integer.compare(ranks.rank(src[a]), ranks.rank(src[b]));
            }
            return Long.compare(seq[a], seq[b]);
        });
        // greedy k-way merge of the per-source runs by timestamp
        int[] order = new int[size];
        int groups = 0;
        int[] groupStart = new int[size + 1];
        for (int i = 0; i < size; i++) {
            if (i == 0 || src[idx[i]] != src[idx[i - 1]]) {
                groupStart[groups++] = i;
            }
        }
        groupStart[groups] = size;
        int[] head = Arrays.copyOf(groupStart, groups);
        for (int out = 0; out < size; out++) {
            int best = -1;
            for (int g = 0; g < groups; g++) {
                if (head[g] < groupStart[g + 1]) {
                    if (best < 0 || ts[idx[head[g]]] < ts[idx[head[best]]]) {
                        best = g;
                    }
                }
            }
            order[out] = idx[head[best]++];
        }
        permute(order);
    }

    private void permute(int[] order) {
        byte[] k = new byte[kind.length];
        long[] t = new long[ts.length];
        String[] ta = new String[task.length];
        int[] n = new int[num.length];
        Object[] r = new Object[ref.length];
        long[] s = new long[seq.length];
        int[] so = new int[src.length];
        int[] d = dag == null ? null : new int[dag.length];
        for (int i = 0; i < size; i++) {
            int j = order[i];
            k[i] = kind[j];
            t[i] = ts[j];
            ta[i] = task[j];
            n[i] = num[j];
            r[i] = ref[j];
            s[i] = seq[j];
            so[i] = src[j];
            if (d != null) {
                d[i] = dag[j];
            }
        }
        kind = k;
        ts = t;
        task = ta;
        num = n;
        ref = r;
        seq = s;
        src = so;
        dag = d;
    }

    long estimatedBytes() {
        long perEvent = 1 + 8 + 4 + 4 + 4 + (src == null ? 0 : 12) + (dag == null ? 0 : 4);
        return 16L * 8 + kind.length * perEvent;
    }
}
