package io.dagscope.schedules;

import io.dagscope.core.port.out.CronParser;

/**
 * Cron evaluators for the core's {@link CronParser} port: 5-field Unix cron ({@code minute hour day-of-month month
 * day-of-week}) in UTC, with Vixie cron semantics.
 *
 * <ul>
 * <li>Each field takes {@code *}, a number, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or
 * {@code a/n} (from {@code a} to the field's end), and comma-separated lists of those. Months take {@code jan..dec}
 * and days {@code sun..sat}, in any case.</li>
 * <li>Day of week: 0-7 with 0 and 7 = Sunday ({@link WeekdayNumbering#UNIX}), or 0-6 with Monday = 0
 * ({@link WeekdayNumbering#SCHEDULER}, the orchestrator's own matcher).</li>
 * <li>When both day fields are restricted (neither starts with {@code *}), a day matches if either field matches;
 * otherwise both must. So {@code 0 0 1 * mon} fires on the 1st and on every Monday, while {@code 0 0 *}{@code /2 *
 * mon} fires only on Mondays with an odd day of month.</li>
 * <li>Macros: {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.</li>
 * </ul>
 *
 * <p>Only the weekday numbering of the orchestrator is emulated, not its parser's other limits (it understands
 * {@code *}{@code /n} only in the minute field, and no ranges, lists or names).
 *
 * <p>{@link io.dagscope.core.port.out.CronSchedule#nextAfter(long)} looks about 28 years ahead before answering
 * {@link io.dagscope.core.port.out.CronSchedule#NEVER}. Parsers and schedules are immutable and thread-safe.
 */
public final class CronParsers {

    private CronParsers() {
    }

    /**
     * The default evaluator: Unix weekday numbering (Sunday = 0 or 7).
     *
     * @return a parser
     */
    public static CronParser unix() {
        return withWeekdayNumbering(WeekdayNumbering.UNIX);
    }

    /**
     * An evaluator that reads the day-of-week field's numbers in the given numbering.
     *
     * @param numbering how day-of-week numbers are read
     * @return a parser
     */
    public static CronParser withWeekdayNumbering(WeekdayNumbering numbering) {
        return new VixieCronParser(numbering);
    }
}
