package io.dagscope.core.engine;

import java.util.Arrays;

/**
 * A run's runner events, stored column by column to keep millions of them compact, in the run's merged order:
 * each source's events in that source's read order, sources interleaved by timestamp.
 */
final class RunLog {

    private int size;
    private byte[] kind = new byte[4];
    private long[] ts = new long[4];
    private long[] seq = new long[4];
    private int[] src = new int[4];
    private int[] dag = new int[4];
    private String[] task = new String[4];
    private int[] num = new int[4];
    private Object[] ref = new Object[4];
    /** The source of every event, or -1 once events of several sources are mixed. */
    private int onlySource = -2;
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
        return dag[i];
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

    /**
     * Whether an event can go at the end without changing the order of the others: it comes after every event of
     * its own source, and either every event so far is from that source or it is later than all of them.
     */
    boolean appendsInOrder(int source, long sequence, long timestamp) {
        if (size == 0) {
            return true;
        }
        long lastSeqOfSource = Long.MIN_VALUE;
        for (int i = size - 1; i >= 0; i--) {
            if (src[i] == source) {
                lastSeqOfSource = seq[i];
                break;
            }
        }
        if (sequence <= lastSeqOfSource) {
            return false;
        }
        return onlySource == source || timestamp > maxTs;
    }

    void append(byte k, long t, int source, long sequence, int dagId, String taskId, int n, Object r) {
        if (size == kind.length) {
            int cap = size * 2;
            kind = Arrays.copyOf(kind, cap);
            ts = Arrays.copyOf(ts, cap);
            seq = Arrays.copyOf(seq, cap);
            src = Arrays.copyOf(src, cap);
            dag = Arrays.copyOf(dag, cap);
            task = Arrays.copyOf(task, cap);
            num = Arrays.copyOf(num, cap);
            ref = Arrays.copyOf(ref, cap);
        }
        kind[size] = k;
        ts[size] = t;
        seq[size] = sequence;
        src[size] = source;
        dag[size] = dagId;
        task[size] = taskId;
        num[size] = n;
        ref[size] = r;
        size++;
        if (onlySource == -2) {
            onlySource = source;
        } else if (onlySource != source) {
            onlySource = -1;
        }
        maxTs = Math.max(maxTs, t);
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
        long[] s = new long[seq.length];
        int[] so = new int[src.length];
        int[] d = new int[dag.length];
        String[] ta = new String[task.length];
        int[] n = new int[num.length];
        Object[] r = new Object[ref.length];
        for (int i = 0; i < size; i++) {
            int j = order[i];
            k[i] = kind[j];
            t[i] = ts[j];
            s[i] = seq[j];
            so[i] = src[j];
            d[i] = dag[j];
            ta[i] = task[j];
            n[i] = num[j];
            r[i] = ref[j];
        }
        kind = k;
        ts = t;
        seq = s;
        src = so;
        dag = d;
        task = ta;
        num = n;
        ref = r;
    }

    long estimatedBytes() {
        return 16L * 9 + (long) kind.length * (1 + 8 + 8 + 4 + 4 + 4 + 4 + 4);
    }
}
