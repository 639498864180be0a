package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import io.dagscope.core.port.out.CronSchedule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our cron evaluator next to cron-utils (a widely used, independent implementation, in test scope only) on random
 * expressions and instants, as the quantile sketch is checked against the published DDSketch. Both are asked for the
 * next run after an instant, and whether a minute matches, in UTC: dagscope evaluates cron in UTC only, so there is no
 * time zone and no daylight saving time to compare.
 *
 * <p>cron-utils is configured as Unix cron (its own {@code CronType.UNIX} definition) plus the {@code @hourly}-style
 * macros; for the orchestrator's scheduler numbering, the same with Monday = 0 and 0-6. Where the two read an
 * expression differently, ours follows Vixie cron and the difference is pinned by a test below and listed in
 * docs/events.md: the random expressions leave out exactly those forms, and for a day field that starts with
 * {@code *} but is restricted (such as {@code *}{@code /2}) cron-utils is given its AND rule for the two day fields,
 * which is what Vixie cron applies to such a field.
 *
 * <p>The timeout only detects a next-run search that never ends (as in {@link CronFuzzTest}); no timing is asserted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CronUtilsComparisonTest {

    private static final ZoneOffset UTC = ZoneOffset.UTC;

    /** cron-utils as Unix (or scheduler-numbered) cron: either day field may match when both are restricted. */
    private static final CronUtils EITHER_DAY = new CronUtils(false);

    /** The same with both day fields required, as Vixie cron reads a day field written {@code *}{@code /n}. */
    private static final CronUtils BOTH_DAYS = new CronUtils(true);

    /** cron-utils parsers for both numberings, with one rule for the two day fields. */
    private static final class CronUtils {
        private final com.cronutils.parser.CronParser unix;
        private final com.cronutils.parser.CronParser scheduler;

        CronUtils(boolean bothDayFieldsRequired) {
            unix = new com.cronutils.parser.CronParser(definition(WeekdayNumbering.UNIX, bothDayFieldsRequired));
            scheduler = new com.cronutils.parser.CronParser(
                    definition(WeekdayNumbering.SCHEDULER, bothDayFieldsRequired));
        }

        ExecutionTime parse(String expression, WeekdayNumbering numbering) {
            return ExecutionTime.forCron((numbering == WeekdayNumbering.UNIX ? unix : scheduler).parse(expression));
        }

        /**
         * cron-utils' {@code CronType.UNIX} definition, field by field, with the macros and, for the scheduler's
         * numbering, weekdays 0-6 from Monday = 0.
         */
        private static CronDefinition definition(WeekdayNumbering numbering, boolean bothDayFieldsRequired) {
            var dayOfWeek = CronDefinitionBuilder.defineCron()
                    .withMinutes().withValidRange(0, 59).withStrictRange().and()
                    .withHours().withValidRange(0, 23).withStrictRange().and()
                    .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
                    .withMonth().withValidRange(1, 12).withStrictRange().and()
                    .withDayOfWeek();
            dayOfWeek = numbering == WeekdayNumbering.UNIX
                    ? dayOfWeek.withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
                    : dayOfWeek.withValidRange(0, 6).withMondayDoWValue(0);
            CronDefinitionBuilder builder = dayOfWeek.withStrictRange().and()
                    .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
                    .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
                    .withSupportedNicknameHourly();
            return (bothDayFieldsRequired ? builder.matchDayOfWeekAndDayOfMonth() : builder).instance();
        }
    }

    /**
     * cron-utils for an expression, with the rule for the two day fields that Vixie cron applies to it: when one of
     * them starts with {@code *}, both must match (so a restricted {@code *}{@code /n} field still counts); cron-utils
     * only treats a lone {@code *} so.
     */
    private static ExecutionTime cronUtils(String expression, WeekdayNumbering numbering) {
        String[] fields = expression.strip().split("\\s+");
        boolean vixieRequiresBoth = fields.length == 5 && (fields[2].startsWith("*") || fields[4].startsWith("*"));
        boolean cronUtilsRequiresBoth = fields.length == 5 && (fields[2].equals("*") || fields[4].equals("*"));
        return (vixieRequiresBoth && !cronUtilsRequiresBoth ? BOTH_DAYS : EITHER_DAY).parse(expression, numbering);
    }

    private static long minute(String isoLocalDateTime) {
        return LocalDateTime.parse(isoLocalDateTime).toEpochSecond(UTC) / 60;
    }

    private static String iso(long epochMinute) {
        return epochMinute == CronSchedule.NEVER ? "never" : LocalDateTime.ofEpochSecond(epochMinute * 60, 0, UTC)
                .toString();
    }

    private static ZonedDateTime at(long epochSecond) {
        return ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), UTC);
    }

    /** cron-utils' next run after an instant, as an epoch minute; {@link CronSchedule#NEVER} for none. */
    private static long nextRun(ExecutionTime cronUtils, long epochSecond) {
        Optional<ZonedDateTime> next = cronUtils.nextExecution(at(epochSecond));
        next.ifPresent(time -> assertEquals(0, time.getSecond(), "cron-utils answers whole minutes"));
        return next.map(time -> time.toEpochSecond() / 60).orElse(CronSchedule.NEVER);
    }

    /**
     * Random instants from 1900 to 2300, to the second, a third of them in the week around the end of February of a
     * year with or without a leap day, and some at the turn of a month or a year.
     */
    private static long randomSecond(Random random) {
        int roll = random.nextInt(6);
        if (roll < 2) {
            int[] years = {1900, 1968, 2000, 2023, 2024, 2100, 2104};
            long start = minute(years[random.nextInt(years.length)] + "-02-25T00:00") * 60;
            return start + random.nextInt(8 * 86_400);
        }
        if (roll == 2) {
            long turn = minute((1950 + random.nextInt(150)) + "-" + String.format("%02d", 1 + random.nextInt(12))
                    + "-01T00:00") * 60;
            return turn - 3_600 + random.nextInt(7_200);
        }
        long from = minute("1900-01-01T00:00") * 60;
        long to = minute("2300-12-31T23:59") * 60;
        return from + (long) (random.nextDouble() * (to - from));
    }

    @ParameterizedTest
    @EnumSource(WeekdayNumbering.class)
    void theNextRunsAfterRandomInstantsAreCronUtilsOnesForRandomExpressions(WeekdayNumbering numbering) {
        RandomCronExpressions expressions = RandomCronExpressions.readTheSameWayByCronUtils(
                2024 + numbering.ordinal(), numbering);
        var parser = CronParsers.withWeekdayNumbering(numbering);
        Random random = new Random(17 + numbering.ordinal());
        int runs = 0;
        int bothDayFieldsRestricted = 0;
        for (int i = 0; i < 600; i++) {
            String expression = expressions.next();
            CronSchedule ours = parser.parse(expression);
            ExecutionTime theirs = cronUtils(expression, numbering);
            String[] fields = expression.split(" ");
            bothDayFieldsRestricted += fields[2].startsWith("*") || fields[4].startsWith("*") ? 0 : 1;
            for (int j = 0; j < 5; j++) {
                long second = randomSecond(random);
                long from = Math.floorDiv(second, 60);
                long expected = nextRun(theirs, second);
                long actual = ours.nextAfter(from);
                if (expected == CronSchedule.NEVER || actual == CronSchedule.NEVER) {
                    assertBeyondOurHorizon(expression, from, expected, actual);
                    continue;
                }
                assertEquals(iso(expected), iso(actual), () -> expression + " after " + at(second));
                runs++;
                // The runs that follow: each one the next after the one before, from the run's minute itself.
                for (int k = 0; k < 3 && actual != CronSchedule.NEVER; k++) {
                    long previous = actual;
                    actual = ours.nextAfter(previous);
                    expected = nextRun(theirs, previous * 60);
                    assertEquals(iso(expected), iso(actual), () -> expression + " after its run at " + iso(previous));
                }
            }
            // A minute that matches for one matches for the other, and a random one too.
            long hit = ours.nextAfter(Math.floorDiv(randomSecond(random), 60));
            if (hit != CronSchedule.NEVER) {
                assertTrue(theirs.isMatch(at(hit * 60)), () -> expression + " at " + iso(hit));
                long near = hit + (random.nextInt(2 * 1440) - 1440);
                assertEquals(theirs.isMatch(at(near * 60)), ours.matches(near), () -> expression + " at " + iso(near));
            }
        }
        assertTrue(runs > 2_400, "most random expressions run within their horizon, found " + runs);
        assertTrue(bothDayFieldsRestricted > 150, "either day may match in many of them: " + bothDayFieldsRestricted);
    }

    /**
     * Where one says there is no next run, the other's is beyond the 28 years that ours looks ahead (cron-utils looks
     * 100 years ahead) or there is none either.
     */
    private static void assertBeyondOurHorizon(String expression, long from, long theirs, long ours) {
        long horizon = from + (CronExpression.HORIZON_DAYS - 1L) * CivilTime.MINUTES_PER_DAY;
        assertEquals(CronSchedule.NEVER, ours, () -> expression + " after " + iso(from) + ": cron-utils finds no run");
        assertTrue(theirs == CronSchedule.NEVER || theirs > horizon,
                () -> expression + " after " + iso(from) + ": cron-utils runs at " + iso(theirs));
    }

    @ParameterizedTest
    @CsvSource({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
    void macrosRunWhenCronUtilsOnesDo(String macro) {
        CronSchedule ours = CronParsers.unix().parse(macro);
        ExecutionTime theirs = cronUtils(macro, WeekdayNumbering.UNIX);
        Random random = new Random(macro.hashCode());
        for (int i = 0; i < 200; i++) {
            long second = randomSecond(random);
            long from = Math.floorDiv(second, 60);
            assertEquals(iso(nextRun(theirs, second)), iso(ours.nextAfter(from)), () -> macro + " after " + at(second));
        }
    }

    /**
     * Schedules that run rarely or never, from the first of January of every third year from 1990 to 2250. The first
     * column is ours, the second the same schedule written for cron-utils, the third whether cron-utils gets the rule
     * that both day fields must match.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 0 29 2 */7  | 0 0 29 2 0    | true", // February 29th on a Sunday: 2088, then 2128 across 2100
        "0 0 29 2 *    | 0 0 29 2 *    | false",
        "0 0 29 2 1    | 0 0 29 2 1    | false",
        "0 0 13 * */5  | 0 0 13 * */5  | true", // the 13th on a Friday or a Sunday
        "0 0 */28 2 */7 | 0 0 */28 2 0 | true",
        "0 0 31 2 *    | 0 0 31 2 *    | false",
        "0 0 30-31 2,4 */7 | 0 0 30-31 2,4 0 | true"})
    void rareAndImpossibleSchedulesAgreeUpToOurHorizon(String expression, String forCronUtils, boolean bothDays) {
        CronSchedule ours = CronParsers.unix().parse(expression);
        ExecutionTime theirs = (bothDays ? BOTH_DAYS : EITHER_DAY).parse(forCronUtils, WeekdayNumbering.UNIX);
        for (int year = 1990; year <= 2250; year += 3) {
            long from = minute(year + "-01-01T00:00");
            long expected = nextRun(theirs, from * 60);
            long actual = ours.nextAfter(from);
            if (expected == CronSchedule.NEVER || actual == CronSchedule.NEVER) {
                assertBeyondOurHorizon(expression, from, expected, actual);
            } else {
                assertEquals(iso(expected), iso(actual), () -> expression + " after " + iso(from));
            }
        }
    }

    @Test
    void ourHorizonIs28YearsWhereCronUtilsLooks100() {
        long from = minute("2088-03-01T00:00");
        assertEquals("2128-02-29T00:00", iso(nextRun(BOTH_DAYS.parse("0 0 29 2 0", WeekdayNumbering.UNIX), from * 60)));
        assertEquals(CronSchedule.NEVER, CronParsers.unix().parse("0 0 29 2 */7").nextAfter(from));
        assertEquals("2128-02-29T00:00", iso(CronParsers.unix().parse("0 0 29 2 */7")
                .nextAfter(minute("2100-03-01T00:00"))));
    }

    // What cron-utils reads otherwise than Vixie cron: ours follows Vixie cron (docs/events.md lists these).

    @Test
    void aDayFieldWrittenWithAStarAndAStepRequiresBothDayFieldsWhereCronUtilsTakesEither() {
        String oddMondays = "0 0 */2 * mon";
        CronSchedule ours = CronParsers.unix().parse(oddMondays);
        ExecutionTime theirs = EITHER_DAY.parse(oddMondays, WeekdayNumbering.UNIX);
        long wednesdayTheFirst = minute("2025-10-01T00:00");
        long mondayTheSixth = minute("2025-10-06T00:00");
        long mondayTheThirteenth = minute("2025-10-13T00:00");
        assertFalse(ours.matches(wednesdayTheFirst));
        assertTrue(theirs.isMatch(at(wednesdayTheFirst * 60)));
        assertFalse(ours.matches(mondayTheSixth));
        assertTrue(theirs.isMatch(at(mondayTheSixth * 60)));
        assertTrue(ours.matches(mondayTheThirteenth));
        assertTrue(theirs.isMatch(at(mondayTheThirteenth * 60)));
        // With its AND rule, cron-utils agrees.
        assertEquals(iso(mondayTheThirteenth), iso(nextRun(BOTH_DAYS.parse(oddMondays, WeekdayNumbering.UNIX),
                wednesdayTheFirst * 60 - 60)));
        assertEquals(iso(mondayTheThirteenth), iso(ours.nextAfter(wednesdayTheFirst - 1)));
    }

    @Test
    void sunIsZeroAsInVixieCronWhereCronUtilsReadsSeven() {
        var unix = CronParsers.unix();
        // sun-tue is Sunday to Tuesday; cron-utils reads 7-2 and refuses it.
        CronSchedule sundayToTuesday = unix.parse("0 0 * * sun-tue");
        assertTrue(sundayToTuesday.matches(minute("2025-10-19T00:00")), "Sunday");
        assertTrue(sundayToTuesday.matches(minute("2025-10-21T00:00")), "Tuesday");
        assertFalse(sundayToTuesday.matches(minute("2025-10-22T00:00")), "Wednesday");
        assertThrows(IllegalArgumentException.class, () -> EITHER_DAY.parse("0 0 * * sun-tue", WeekdayNumbering.UNIX));
        // fri-sun goes backwards (5-0) and is refused with a hint; cron-utils reads 5-7.
        assertThrows(IllegalArgumentException.class, () -> unix.parse("0 0 * * fri-sun"));
        assertTrue(EITHER_DAY.parse("0 0 * * fri-sun", WeekdayNumbering.UNIX)
                .isMatch(at(minute("2025-10-19T00:00") * 60)));
        // sun-7 is every day (0-7); cron-utils reads 7-7, Sundays only. 0-sun is Sunday (0-0); cron-utils reads 0-7.
        long monday = minute("2025-10-20T00:00");
        assertTrue(unix.parse("0 0 * * sun-7").matches(monday));
        assertFalse(EITHER_DAY.parse("0 0 * * sun-7", WeekdayNumbering.UNIX).isMatch(at(monday * 60)));
        assertFalse(unix.parse("0 0 * * 0-sun").matches(monday));
        assertTrue(unix.parse("0 0 * * 0-sun").matches(minute("2025-10-19T00:00")));
        assertTrue(EITHER_DAY.parse("0 0 * * 0-sun", WeekdayNumbering.UNIX).isMatch(at(monday * 60)));
    }

    @Test
    void sevenIsSundayAfterItsStepIsTakenWhereCronUtilsTurnsEverySevenIntoZeroFirst() {
        var unix = CronParsers.unix();
        long tuesday = minute("2025-10-21T00:00");
        long sunday = minute("2025-10-19T00:00");
        // 7/2 is 7 alone (from 7 to the field's end), Sunday; cron-utils reads 0/2: Sunday, Tuesday, Thursday and
        // Saturday.
        assertTrue(unix.parse("0 0 * * 7/2").matches(sunday));
        assertFalse(unix.parse("0 0 * * 7/2").matches(tuesday));
        assertTrue(EITHER_DAY.parse("0 0 * * 7/2", WeekdayNumbering.UNIX).isMatch(at(tuesday * 60)));
        // A step of 7 selects the first day of the range; cron-utils reads a step of 0 and refuses it.
        assertTrue(unix.parse("0 0 * * 1-7/7").matches(minute("2025-10-20T00:00")));
        assertFalse(unix.parse("0 0 * * 1-7/7").matches(sunday));
        assertThrows(IllegalArgumentException.class, () -> EITHER_DAY.parse("0 0 * * 1-7/7", WeekdayNumbering.UNIX));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"*/90 * * * * | 2025-10-20T11:00", "5/100 * * * * | 2025-10-20T11:05",
        "0 0 */40 * * | 2025-11-01T00:00", "0 0 1 */13 * | 2026-01-01T00:00"})
    void aStepLongerThanItsRangeSelectsTheFirstValueWhereCronUtilsRefusesIt(String expression, String next) {
        assertEquals(next, iso(CronParsers.unix().parse(expression).nextAfter(minute("2025-10-20T10:30"))));
        assertThrows(IllegalArgumentException.class, () -> EITHER_DAY.parse(expression, WeekdayNumbering.UNIX));
    }

    @Test
    void macrosAreReadInAnyCaseWhereCronUtilsTakesLowerCaseOnly() {
        assertEquals("2025-10-20T11:00",
                iso(CronParsers.unix().parse("@HOURLY").nextAfter(minute("2025-10-20T10:30"))));
        assertThrows(IllegalArgumentException.class, () -> EITHER_DAY.parse("@HOURLY", WeekdayNumbering.UNIX));
    }
}
