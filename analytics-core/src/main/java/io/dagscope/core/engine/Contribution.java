package io.dagscope.core.engine;

/** The kinds of task event a cell counts, and the marker for "no duration". */
final class Contribution {

    static final int STARTED = 0;
    static final int RETRIED = 1;
    static final int SUCCEEDED = 2;
    static final int FAILED = 3;

    /** A finished task whose run has no earlier {@code task_start} for it yields no duration. */
    static final long NO_DURATION = Long.MIN_VALUE;

    private Contribution() {
    }
}
