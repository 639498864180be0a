package io.dagscope.server.config;

/** How to read the day-of-week field of cron expressions. */
public enum WeekdayMode {
    /** Unix cron: Sunday = 0 (and 7). The default. */
    UNIX,
    /** The orchestrator's own scheduler: Monday = 0 ... Sunday = 6 (Python's {@code weekday()}). */
    SCHEDULER
}
