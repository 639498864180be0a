package io.dagscope.core.port.out;

/** The minutes, in UTC, at which a cron expression fires. Minutes are counted since the epoch. */
public interface CronSchedule {

    /** Returned by {@link #nextAfter(long)} when the schedule never fires again (e.g. February 30th). */
    long NEVER = Long.MAX_VALUE;

    /**
     * Whether the schedule fires at a minute.
     *
     * @param epochMinute minutes since the epoch, UTC
     * @return whether it fires
     */
    boolean matches(long epochMinute);

    /**
     * The first minute strictly after the given one at which the schedule fires.
     *
     * @param epochMinute minutes since the epoch, UTC
     * @return the next firing minute, or {@link #NEVER} if there is none in the next several years
     */
    long nextAfter(long epochMinute);

    /** @return the schedule in words (e.g. "every 5 minutes"), if the evaluator can say */
    default java.util.Optional<String> description() {
        return java.util.Optional.empty();
    }
}
