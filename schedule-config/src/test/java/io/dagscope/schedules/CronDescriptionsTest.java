package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CronDescriptionsTest {

    @ParameterizedTest(name = "{0} is \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        // The samples' schedules
        "*/5 * * * *        | every 5 minutes",
        "*/30 * * * *       | every 30 minutes",
        "0 * * * *          | every hour at :00",
        "15 * * * *         | every hour at :15",
        "45 * * * *         | every hour at :45",
        "30 2 * * *         | every day at 02:30 UTC",
        "0 3 * * *          | every day at 03:00 UTC",
        // Common shapes
        "* * * * *          | every minute",
        "15 * * * 1-5       | at :15 past every hour, Monday to Friday",
        "5,35 * * * *       | every hour at :05 and :35",
        "0 */2 * * *        | every 2 hours at :00",
        "0 9 * * 1-5        | at 09:00 UTC, Monday to Friday",
        "0 9 * * 0          | every Sunday at 09:00 UTC",
        "0 9,17 * * *       | every day at 09:00 and 17:00 UTC",
        "0 9-17 * * *       | every hour from 09:00 to 17:00 UTC",
        "*/15 9-17 * * 1-5  | every 15 minutes from 09:00 to 17:45 UTC, Monday to Friday",
        "* 9 * * *          | every minute from 09:00 to 09:59 UTC",
        "0 0 1,15 * *       | at 00:00 UTC, on days 1 and 15 of the month",
        "0 12 * jan,jul *   | every day at 12:00 UTC in January and July",
        "0 0 * * 1,3,5      | at 00:00 UTC, on Monday, Wednesday and Friday",
        "0 0 1 1-3 *        | at 00:00 UTC, on day 1 of January to March",
        "@yearly            | every year on January 1 at 00:00 UTC",
        "@monthly           | on day 1 of every month at 00:00 UTC",
        "@weekly            | every Sunday at 00:00 UTC",
        "@daily             | every day at 00:00 UTC",
        "@hourly            | every hour at :00",
        // Both day fields restricted: either matches; one starting with * : both must.
        "0 0 1 * mon        | at 00:00 UTC, on day 1 of the month or on Mondays",
        "0 0 1-31 * mon     | every day at 00:00 UTC",
        "0 0 */2 * 1        | at 00:00 UTC, on Mondays that fall on days 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 of the month",
        // The literal fallback
        "0,30 9-17 1,15 * * | at minute 0,30 of hours 9-17 on days 1,15",
        "*/7 * * * *        | at minute 0,7,14,21,28,35,42,49,56 of every hour",
        "0 22-23,0-2 * * *  | at minute 0 of hours 0-2,22,23",
        "0,20 8-9,18 * 6 1-5 | at minute 0,20 of hours 8,9,18 on Monday-Friday in June",
        "0 0 30 2 *         | every year on February 30 at 00:00 UTC, which never occurs"})
    void describesCommonShapesInPlainWords(String cron, String description) {
        assertEquals(description, CronDescriptions.describe(cron));
    }

    @Test
    void namesTheWeekdayTheSchedulerMeans() {
        assertEquals("every Monday at 09:00 UTC", CronDescriptions.describe("0 9 * * 0", WeekdayNumbering.SCHEDULER));
        assertEquals("at 09:00 UTC, Monday to Friday",
                CronDescriptions.describe("0 9 * * 0-4", WeekdayNumbering.SCHEDULER));
    }

    @ParameterizedTest
    @EnumSource(WeekdayNumbering.class)
    void neverThrowsForAValidExpression(WeekdayNumbering numbering) {
        RandomCronExpressions expressions = new RandomCronExpressions(99 + numbering.ordinal(), numbering);
        for (int i = 0; i < 5_000; i++) {
            String cron = expressions.next();
            String description = CronDescriptions.describe(cron, numbering);
            assertFalse(description.isBlank(), cron);
            assertFalse(description.contains("null"), () -> cron + ": " + description);
        }
    }

    @Test
    void anInvalidExpressionIsRejectedWithTheParsersMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronDescriptions.describe("*/0 * * * *"));
        assertEquals("cron \"*/0 * * * *\": minute field: step must be at least 1 (in \"*/0\")", e.getMessage());
    }
}
