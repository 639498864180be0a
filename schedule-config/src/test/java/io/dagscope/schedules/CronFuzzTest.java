package io.dagscope.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.core.port.out.CronSchedule;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz test of the cron parser, evaluator and describer (docs/fuzzing.md): any text is a schedule or an
 * {@link IllegalArgumentException} that says what is wrong, and a schedule answers every question about any minute
 * a long can hold, quickly (the timeout is the hang detector: a next-run search that never ends fails it).
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CronFuzzTest {

    /** The extremes of a long, the epoch, today, and a February 29th search that crosses 2100's missing leap day. */
    private static final long[] MINUTES = {Long.MIN_VALUE, Long.MIN_VALUE / 2, -1, 0, minute("2025-10-20T13:55"),
        minute("2096-03-01T00:00"), Long.MAX_VALUE / 1440 * 1440 - 3, Long.MAX_VALUE - 2, Long.MAX_VALUE};

    /** How far after a minute every other minute is checked against the next run found. */
    private static final int CHECKED_MINUTES = 1440;

    /** Every how many of those minutes the naive (and slow) evaluator checks the answer too. */
    private static final int REFERENCE_STRIDE = 31;

    /** The naive evaluator's calendar (java.time's) ends within a billion years: it checks years -9999 to 9999. */
    private static final long REFERENCE_MINUTES = 10_000L * 366 * 1440;

    private static long minute(String isoLocalDateTime) {
        return LocalDateTime.parse(isoLocalDateTime).toEpochSecond(ZoneOffset.UTC) / 60;
    }

    /**
     * Any text, in both weekday numberings: parsed, or refused with a message naming the expression. A parsed one is
     * described in words (the same as its schedule's description), and from every minute of {@link #MINUTES} its next
     * run is later, matches, agrees with a naive evaluator, and no minute before it (within a day)
     * matches.
     */
    @FuzzTest
    void parsesOrSaysWhatIsWrongAndNeverHangs(byte[] input) {
        String expression = new String(input, StandardCharsets.UTF_8);
        for (WeekdayNumbering numbering : WeekdayNumbering.values()) {
            CronSchedule schedule;
            try {
                schedule = CronParsers.withWeekdayNumbering(numbering).parse(expression);
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage(), expression);
                assertTrue(e.getMessage().startsWith("cron \"" + expression + "\": ")
                        && e.getMessage().length() > expression.length() + 9, e.getMessage());
                continue;
            }
            String description = CronDescriptions.describe(expression, numbering);
            assertFalse(description.isBlank(), expression);
            assertEquals(description, schedule.description().orElseThrow(), expression);

            ReferenceCron reference = new ReferenceCron(expression, numbering);
            for (long from : MINUTES) {
                long next = schedule.nextAfter(from);
                long checkedTo = next == CronSchedule.NEVER ? from + CHECKED_MINUTES
                        : Math.min(next, from + CHECKED_MINUTES);
                if (next != CronSchedule.NEVER) {
                    assertTrue(next > from, () -> expression + ": next after " + from + " is " + next);
                    assertTrue(schedule.matches(next), () -> expression + " does not match its next run " + next);
                    assertTrue(Math.abs(next) > REFERENCE_MINUTES || reference.matches(next),
                            () -> expression + ": the naive evaluator disagrees at " + next);
                }
                for (long m = from + 1; m > from && m < checkedTo; m++) {
                    boolean matches = schedule.matches(m);
                    assertFalse(matches, expression + " matches " + m + ", before its next run " + next + " after "
                            + from);
                    if (Math.abs(m) <= REFERENCE_MINUTES && (m - from) % REFERENCE_STRIDE == 1) {
                        assertEquals(reference.matches(m), matches, expression + " at " + m);
                    }
                }
            }
        }
    }
}
