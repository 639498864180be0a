package io.dagscope.core.port.out;

/** Turns a 5-field cron expression into a schedule of minutes. */
@FunctionalInterface
public interface CronParser {

    /**
     * Parses a cron expression.
     *
     * @param expression e.g. {@code "*}{@code /5 * * * *"}
     * @return the schedule
     * @throws IllegalArgumentException with a message that says what is wrong, if the expression cannot be used
     */
    CronSchedule parse(String expression);
}
