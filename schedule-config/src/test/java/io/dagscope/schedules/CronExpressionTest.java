package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.out.CronParser;
import io.dagscope.core.port.out.CronSchedule;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CronExpressionTest {

    private static final CronParser UNIX = CronParsers.unix();
    private static final CronParser SCHEDULER = CronParsers.withWeekdayNumbering(WeekdayNumbering.SCHEDULER);

    private static long minute(String isoLocalDateTime) {
        return LocalDateTime.parse(isoLocalDateTime).toEpochSecond(ZoneOffset.UTC) / 60;
    }

    private static String iso(long epochMinute) {
        return LocalDateTime.ofEpochSecond(epochMinute * 60, 0, ZoneOffset.UTC).toString();
    }

    /** Random minutes from 1965 to 2105, with extra weight on the days around February's end in leap years. */
    private static long randomMinute(Random random) {
        if (random.nextInt(3) == 0) {
            int[] years = {1968, 2000, 2024, 2028, 2100};
            int year = years[random.nextInt(years.length)];
            long start = minute(year + "-02-25T00:00");
            return start + random.nextInt(8 * 1440);
        }
        long from = minute("1965-01-01T00:00");
        long to = minute("2105-12-31T23:59");
        return from + (long) (random.nextDouble() * (to - from));
    }

    @ParameterizedTest
    @EnumSource(WeekdayNumbering.class)
    void matchesAgreesWithANaiveEvaluatorForRandomExpressionsAtRandomMinutes(WeekdayNumbering numbering) {
        RandomCronExpressions expressions = new RandomCronExpressions(42 + numbering.ordinal(), numbering);
        CronParser parser = CronParsers.withWeekdayNumbering(numbering);
        Random random = new Random(7);
        int matched = 0;
        for (int i = 0; i < 1_000; i++) {
            String expression = expressions.next();
            CronSchedule schedule = parser.parse(expression);
            ReferenceCron reference = new ReferenceCron(expression, numbering);
            for (int j = 0; j < 100; j++) {
                long m = randomMinute(random);
                boolean expected = reference.matches(m);
                assertEquals(expected, schedule.matches(m), () -> expression + " at " + iso(m));
                matched += expected ? 1 : 0;
            }
            // Near-misses: the same day with the minute and hour of a random match, so day rules decide.
            long hit = reference.scanNextAfter(randomMinute(random), 3 * 1440);
            if (hit != Long.MAX_VALUE) {
                for (int d = -40; d <= 40; d++) {
                    long m = hit + d * 1440L;
                    assertEquals(reference.matches(m), schedule.matches(m), () -> expression + " at " + iso(m));
                }
            }
        }
        assertTrue(matched > 500, "the random expressions should match some of the minutes, matched " + matched);
    }

    @ParameterizedTest
    @EnumSource(WeekdayNumbering.class)
    void nextAfterEqualsMinuteByMinuteScanning(WeekdayNumbering numbering) {
        RandomCronExpressions expressions = new RandomCronExpressions(1000 + numbering.ordinal(), numbering);
        CronParser parser = CronParsers.withWeekdayNumbering(numbering);
        Random random = new Random(11);
        long scanLimit = 400 * 1440L;
        int found = 0;
        for (int i = 0; i < 250; i++) {
            String expression = expressions.next();
            CronSchedule schedule = parser.parse(expression);
            ReferenceCron reference = new ReferenceCron(expression, numbering);
            long start = randomMinute(random);
            long expected = reference.scanNextAfter(start, scanLimit);
            long actual = schedule.nextAfter(start);
            if (expected == Long.MAX_VALUE) {
                assertTrue(actual > start + scanLimit, () -> expression + " after " + iso(start) + ": nothing within "
                        + "400 days by scanning, but nextAfter said " + iso(actual));
            } else {
                found++;
                assertEquals(iso(expected), iso(actual), () -> expression + " after " + iso(start));
                // And from the match itself: strictly after.
                long again = reference.scanNextAfter(expected, scanLimit);
                if (again != Long.MAX_VALUE) {
                    assertEquals(iso(again), iso(schedule.nextAfter(expected)), () -> expression + " after " + iso(expected));
                }
            }
        }
        assertTrue(found > 200, "most random expressions fire within 400 days, found " + found);
    }

    @Test
    void nextAfterIsStrictlyAfterAndCrossesHourDayMonthAndYearBoundaries() {
        assertEquals("2025-10-20T14:05", iso(UNIX.parse("*/5 * * * *").nextAfter(minute("2025-10-20T14:00"))));
        assertEquals("2025-10-20T15:00", iso(UNIX.parse("0 * * * *").nextAfter(minute("2025-10-20T14:00"))));
        assertEquals("2025-10-21T02:30", iso(UNIX.parse("30 2 * * *").nextAfter(minute("2025-10-20T02:30"))));
        assertEquals("2026-01-01T00:00", iso(UNIX.parse("@yearly").nextAfter(minute("2025-12-31T23:59"))));
        assertEquals("2025-11-30T09:00", iso(UNIX.parse("0 9 30,31 * *").nextAfter(minute("2025-10-31T09:00"))));
    }

    @Test
    void februaryTwentyNinthIsFoundAcrossTheSkippedLeapYear2100() {
        CronSchedule leapDay = UNIX.parse("0 0 29 2 *");
        assertEquals("2104-02-29T00:00", iso(leapDay.nextAfter(minute("2096-03-01T00:00"))));
        assertEquals("2028-02-29T00:00", iso(leapDay.nextAfter(minute("2024-02-29T00:00"))));
        assertFalse(leapDay.matches(minute("2100-03-01T00:00")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 apr *", "* * 30-31 feb *",
        "0 0 31 2-6/2 *"})
    void impossibleDatesNeverFire(String expression) {
        CronSchedule schedule = UNIX.parse(expression);
        assertEquals(CronSchedule.NEVER, schedule.nextAfter(minute("2025-01-01T00:00")));
        assertEquals(CronSchedule.NEVER, schedule.nextAfter(minute("1999-06-01T00:00")));
    }

    @Test
    void extremeMinutesNeitherThrowNorOverflow() {
        CronSchedule everyMinute = UNIX.parse("* * * * *");
        assertEquals(CronSchedule.NEVER, everyMinute.nextAfter(Long.MAX_VALUE));
        assertEquals(CronSchedule.NEVER, everyMinute.nextAfter(Long.MAX_VALUE - 1));
        assertEquals(Long.MIN_VALUE + 1, everyMinute.nextAfter(Long.MIN_VALUE));
        assertTrue(everyMinute.matches(Long.MIN_VALUE));
        assertTrue(everyMinute.matches(Long.MAX_VALUE));
        long nearTheEnd = Long.MAX_VALUE - 10_000;
        long next = UNIX.parse("0 0 * * *").nextAfter(nearTheEnd);
        assertTrue(next == CronSchedule.NEVER || next > nearTheEnd);
        assertEquals(-1440L, UNIX.parse("0 0 * * *").nextAfter(-1441L), "1969-12-31T00:00");
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherMatches() {
        CronSchedule firstOrMonday = UNIX.parse("0 0 1 * mon");
        assertTrue(firstOrMonday.matches(minute("2025-10-01T00:00")), "Wednesday the 1st");
        assertTrue(firstOrMonday.matches(minute("2025-10-06T00:00")), "Monday the 6th");
        assertFalse(firstOrMonday.matches(minute("2025-10-07T00:00")), "Tuesday the 7th");
    }

    @Test
    void aDayFieldStartingWithAStarMakesBothDayFieldsRequired() {
        CronSchedule oddMondays = UNIX.parse("0 0 */2 * 1");
        assertTrue(oddMondays.matches(minute("2025-10-13T00:00")), "Monday the 13th");
        assertFalse(oddMondays.matches(minute("2025-10-06T00:00")), "Monday the 6th");
        assertFalse(oddMondays.matches(minute("2025-10-15T00:00")), "Wednesday the 15th");
        CronSchedule mondays = UNIX.parse("0 0 * * 1");
        assertTrue(mondays.matches(minute("2025-10-06T00:00")));
        assertFalse(mondays.matches(minute("2025-10-01T00:00")));
    }

    @Test
    void sevenAndZeroAndSunAreAllSundayInUnixNumbering() {
        long sunday = minute("2025-10-19T12:00");
        for (String day : new String[] {"0", "7", "sun", "SUN", "Sun", "6-7", "5-7/2"}) {
            assertTrue(UNIX.parse("0 12 * * " + day).matches(sunday), day);
            assertFalse(UNIX.parse("0 12 * * " + day).matches(minute("2025-10-20T12:00")), day + " on a Monday");
        }
    }

    @Test
    void theSchedulerNumbersWeekdaysFromMonday() {
        long monday = minute("2025-10-20T09:00");
        long sunday = minute("2025-10-19T09:00");
        assertTrue(SCHEDULER.parse("0 9 * * 0").matches(monday));
        assertFalse(SCHEDULER.parse("0 9 * * 0").matches(sunday));
        assertTrue(UNIX.parse("0 9 * * 0").matches(sunday));
        assertFalse(UNIX.parse("0 9 * * 0").matches(monday));
        assertTrue(SCHEDULER.parse("0 9 * * 6").matches(sunday));
        assertEquals("2025-10-27T09:00", iso(SCHEDULER.parse("0 9 * * 0").nextAfter(monday)));
        // Names mean the same day in both numberings.
        assertTrue(SCHEDULER.parse("0 9 * * mon").matches(monday));
        assertTrue(SCHEDULER.parse("0 9 * * sat-sun").matches(sunday));
        assertTrue(SCHEDULER.parse("@weekly").matches(minute("2025-10-19T00:00")));
        // Monday to Friday is 0-4 there, 1-5 in Unix cron.
        long friday = minute("2025-10-24T09:00");
        assertTrue(SCHEDULER.parse("0 9 * * 0-4").matches(friday));
        assertFalse(SCHEDULER.parse("0 9 * * 0-4").matches(minute("2025-10-25T09:00")));
    }

    @Test
    void namesAreCaseInsensitiveAndWorkInRangesAndSteps() {
        CronSchedule schedule = UNIX.parse("0 8 * JAN-Mar,oct Mon-FRI/2");
        assertTrue(schedule.matches(minute("2025-10-20T08:00")), "Monday in October");
        assertTrue(schedule.matches(minute("2025-10-22T08:00")), "Wednesday");
        assertFalse(schedule.matches(minute("2025-10-21T08:00")), "Tuesday");
        assertFalse(schedule.matches(minute("2025-11-03T08:00")), "Monday in November");
    }

    @Test
    void stepsApplyToRangesAndToOpenStarts() {
        CronSchedule schedule = UNIX.parse("10-40/15,50/5 * * * *");
        StringBuilder minutes = new StringBuilder();
        long hour = minute("2025-10-20T10:00");
        for (int m = 0; m < 60; m++) {
            if (schedule.matches(hour + m)) {
                minutes.append(m).append(' ');
            }
        }
        assertEquals("10 25 40 50 55 ", minutes.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "@yearly   | 2026-01-01T00:00", "@annually | 2026-01-01T00:00", "@monthly | 2025-11-01T00:00",
        "@weekly   | 2025-10-26T00:00", "@daily    | 2025-10-21T00:00", "@midnight | 2025-10-21T00:00",
        "@hourly   | 2025-10-20T14:00", "@DAILY    | 2025-10-21T00:00"})
    void macrosFireWhenTheirExpansionsDo(String macro, String next) {
        assertEquals(next, iso(UNIX.parse(macro).nextAfter(minute("2025-10-20T13:30"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*/0 * * * *      | cron \"*/0 * * * *\": minute field: step must be at least 1 (in \"*/0\")",
        "* * * *          | cron \"* * * *\": expected 5 fields (minute hour day-of-month month day-of-week) but found 4",
        "0 0 * * * *      | cron \"0 0 * * * *\": expected 5 fields (minute hour day-of-month month day-of-week) but found 6",
        "60 * * * *       | cron \"60 * * * *\": minute field: 60 is out of range 0-59",
        "0 24 * * *       | cron \"0 24 * * *\": hour field: 24 is out of range 0-23",
        "0 0 0 * *        | cron \"0 0 0 * *\": day-of-month field: 0 is out of range 1-31",
        "0 0 * 13 *       | cron \"0 0 * 13 *\": month field: 13 is out of range 1-12",
        "0 0 * * 8        | cron \"0 0 * * 8\": day-of-week field: 8 is out of range 0-7 (Sunday = 0 or 7)",
        "0 0 * foo *      | cron \"0 0 * foo *\": month field: \"foo\" is not a number or a month name (jan-dec)",
        "0 0 * * monday   | cron \"0 0 * * monday\": day-of-week field: \"monday\" is not a number or a day name (sun-sat)",
        "0 0 * mon *      | cron \"0 0 * mon *\": month field: \"mon\" is not a number or a month name (jan-dec)",
        "0 jan * * *      | cron \"0 jan * * *\": hour field: \"jan\" is not a number",
        "30-10 * * * *    | cron \"30-10 * * * *\": minute field: range \"30-10\" goes backwards (30 > 10)",
        "0 0 * * fri-sun  | cron \"0 0 * * fri-sun\": day-of-week field: range \"fri-sun\" goes backwards (5 > 0); Sunday is also 7, so write 5-7",
        "1,,2 * * * *     | cron \"1,,2 * * * *\": minute field: empty element in list \"1,,2\"",
        "*/x * * * *      | cron \"*/x * * * *\": minute field: step \"x\" is not a number (in \"*/x\")",
        "5- * * * *       | cron \"5- * * * *\": minute field: missing value in \"5-\"",
        "-5 * * * *       | cron \"-5 * * * *\": minute field: \"-5\" is not a number",
        "@reboot          | cron \"@reboot\": unknown macro; expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
        "99999999999 * * * * | cron \"99999999999 * * * *\": minute field: 99999999999 is out of range 0-59"})
    void invalidExpressionsAreRejectedWithAMessageNamingTheFieldAndTheValue(String expression, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNIX.parse(expression));
        assertEquals(message, e.getMessage());
    }

    /**
     * Found by fuzzing: a number of more than four digits was taken as "huge" without looking at its value, so
     * {@code *}{@code /00000} (a step of 0) was accepted as a step longer than any range, and {@code 00005} (minute
     * 5) was refused as out of range.
     */
    @Test
    void leadingZerosDoNotChangeANumbersValue() {
        IllegalArgumentException zeroStep = assertThrows(IllegalArgumentException.class,
                () -> UNIX.parse("*/00000 * * * *"));
        assertEquals("cron \"*/00000 * * * *\": minute field: step must be at least 1 (in \"*/00000\")",
                zeroStep.getMessage());

        CronSchedule padded = UNIX.parse("000005 0000000000000000009 */000030 * 00001");
        CronSchedule plain = UNIX.parse("5 9 */30 * 1");
        for (long m = minute("2025-10-01T00:00"); m < minute("2025-11-01T00:00"); m++) {
            assertEquals(plain.matches(m), padded.matches(m), iso(m));
        }
        assertEquals("cron \"0 0 * * 00000008\": day-of-week field: 00000008 is out of range 0-7 (Sunday = 0 or 7)",
                assertThrows(IllegalArgumentException.class, () -> UNIX.parse("0 0 * * 00000008")).getMessage());
    }

    @Test
    void anEmptyExpressionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNIX.parse("   "));
        assertEquals("cron \"   \": expected 5 fields (minute hour day-of-month month day-of-week) but found 0",
                e.getMessage());
    }

    @Test
    void sevenIsOutOfRangeInTheSchedulersNumbering() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SCHEDULER.parse("0 9 * * 7"));
        assertEquals("cron \"0 9 * * 7\": day-of-week field: 7 is out of range 0-6 (Monday = 0, the scheduler's "
                + "numbering)", e.getMessage());
    }

    @Test
    void largeStepsSelectOnlyTheFirstValue() {
        CronSchedule schedule = UNIX.parse("*/90 * * * *");
        assertTrue(schedule.matches(minute("2025-10-20T10:00")));
        assertFalse(schedule.matches(minute("2025-10-20T10:30")));
        assertTrue(UNIX.parse("5/100000 * * * *").matches(minute("2025-10-20T10:05")));
    }

    @Test
    void surroundingWhitespaceAndTabsAreAccepted() {
        assertTrue(UNIX.parse("  0\t9  * * *  ").matches(minute("2025-10-20T09:00")));
    }

    @org.junit.jupiter.api.Test
    void aParsedScheduleDescribesItselfInWords() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(CronDescriptions.describe("*/5 * * * *")),
                UNIX.parse("*/5 * * * *").description());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of("every 5 minutes"),
                UNIX.parse("*/5 * * * *").description());
    }
}
