package io.dagscope.core.engine;

import java.util.Arrays;

/**
 * Handles of a series' sealed days by day number: a dense array from the first day with one, 8 bytes a day of
 * history, 0 for a day without a handle.
 */
final class DayHandles {

    private static final long[] NONE = new long[0];

    private long first;
    private long[] handles = NONE;
    private int count;

    /** @return the day's handle, or 0 */
    long get(long day) {
        long i = day - first;
        return i >= 0 && i < handles.length ? handles[(int) i] : 0;
    }

    /** Sets the day's handle (not 0), returning the one it replaces, or 0. */
    long put(long day, long handle) {
        if (handles.length == 0) {
            first = day;
            handles = new long[8];
        } else if (day < first) {
            long newFirst = Math.min(day, first - handles.length);
            long[] grown = new long[Math.toIntExact(first - newFirst + handles.length)];
            System.arraycopy(handles, 0, grown, (int) (first - newFirst), handles.length);
            handles = grown;
            first = newFirst;
        } else if (day - first >= handles.length) {
            handles = Arrays.copyOf(handles, Math.toIntExact(Math.max(handles.length * 2L, day - first + 1)));
        }
        int i = (int) (day - first);
        long previous = handles[i];
        handles[i] = handle;
        if (previous == 0) {
            count++;
        }
        return previous;
    }

    /** Removes the day's handle, returning it, or 0. */
    long remove(long day) {
        long previous = get(day);
        if (previous != 0) {
            handles[(int) (day - first)] = 0;
            count--;
        }
        return previous;
    }

    /** @return the days with a handle */
    int count() {
        return count;
    }

    /** Calls the action with every (day, handle), by day. */
    void forEach(Visitor action) {
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] != 0) {
                action.visit(first + i, handles[i]);
            }
        }
    }

    /** What {@link #forEach} calls. */
    interface Visitor {
        void visit(long day, long handle);
    }
}
