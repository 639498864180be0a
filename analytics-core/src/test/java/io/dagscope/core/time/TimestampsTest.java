package io.dagscope.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    private static long javaTime(String isoOffsetDateTime) {
        return Timestamps.toMicros(OffsetDateTime.parse(isoOffsetDateTime).toInstant());
    }

    private static long parse(String text) {
        return Timestamps.parseMicros(text);
    }

    @Test
    void aNaiveTimestampMeansUtc() {
        assertEquals(javaTime("2025-10-03T17:57:21.167401Z"), parse("2025-10-03T17:57:21.167401"));
    }

    @ParameterizedTest
    @CsvSource({
        "2025-10-20T13:55:00.353948+00:00, 2025-10-20T13:55:00.353948Z",
        "2025-10-20T13:55:00.353948Z, 2025-10-20T13:55:00.353948Z",
        "2025-10-20T13:55:00.353948z, 2025-10-20T13:55:00.353948Z",
        "2025-10-20t13:55:00.353948Z, 2025-10-20T13:55:00.353948Z",
        "2025-10-20T08:25:00.5-05:30, 2025-10-20T13:55:00.5Z",
        "2025-10-20T19:25:00.5+05:30, 2025-10-20T13:55:00.5Z",
        "2025-10-20T19:25:00.5+0530, 2025-10-20T13:55:00.5Z",
        "2025-10-20T18:55:00.5+05, 2025-10-20T13:55:00.5Z",
        "2025-10-20T08:55:00-05, 2025-10-20T13:55:00Z",
        "2025-10-20T13:55:00-00:00, 2025-10-20T13:55:00Z",
        "2025-10-21T07:55:00+18:00, 2025-10-20T13:55:00Z",
        "2025-10-19T19:55:00-18:00, 2025-10-20T13:55:00Z",
    })
    void everyOffsetFormIsApplied(String text, String utc) {
        assertEquals(javaTime(utc), parse(text));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void takesZeroToNineFractionDigitsAndTruncatesBeyondTheMicrosecond(int digits) {
        String fraction = "987654321".substring(0, digits);
        String text = "2025-10-20T13:55:07" + (digits == 0 ? "" : "." + fraction);
        long expectedFraction = digits == 0 ? 0 : Long.parseLong((fraction + "000000").substring(0, 6));
        assertEquals(javaTime("2025-10-20T13:55:07Z") + expectedFraction, parse(text));
        assertEquals(parse(text), parse(text + "+00:00"));
    }

    @Test
    void tenFractionDigitsAreNotATimestamp() {
        assertEquals(Timestamps.INVALID, parse("2025-10-20T13:55:07.1234567891"));
        assertEquals(Timestamps.INVALID, parse("2025-10-20T13:55:07.1234567891Z"));
    }

    @Test
    void aSpaceMaySeparateDateAndTimeAndSecondsAreOptional() {
        assertEquals(javaTime("2025-10-20T13:55:00Z"), parse("2025-10-20 13:55"));
        assertEquals(javaTime("2025-10-20T13:55:00Z"), parse("2025-10-20T13:55"));
        assertEquals(javaTime("2025-10-20T13:55:09.25Z"), parse("2025-10-20 13:55:09.25+00:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2025-02-30T00:00:00", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00", "2100-02-29T00:00:00",
        "2025-04-31T00:00:00", "2025-13-01T00:00:00", "2025-00-01T00:00:00", "2025-01-00T00:00:00",
        "2025-01-32T00:00:00", "2025-10-20T24:00:00", "2025-10-20T24:00:00Z", "2025-10-20T24:00:00+00:00",
        "2025-10-20T23:60:00", "2025-10-20T23:59:61", "2025-10-20T13:55:00+19:00", "2025-10-20T13:55:00+18:30",
        "2025-10-20T13:55:00+05:60", "2025-10-20T13:55:00Zx", "2025-10-20T13:55:00+5", "2025-10-20T13:55:00+053",
        "2025-10-20T13:55:00.", "2025-10-20T13:55:0", "2025-10-20T13", "2025-10-20", "2025/10/20T13:55:00",
        "2025-10-20X13:55:00", "20251020T135500Z", "yesterday", "", "   ", "2025-1O-20T13:55:00",
        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T24:00:00Z",
        "2016-12-31T23:59:60Z", "10000-01-01T00:00:00Z", "2025-10-20T13:55:00+05:30:60",
    })
    void rejectsWhatIsNotAValidInstant(String text) {
        assertEquals(Timestamps.INVALID, parse(text), text);
    }

    @Test
    void aNullTextIsNotATimestamp() {
        assertEquals(Timestamps.INVALID, Timestamps.parseMicros((CharSequence) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29", "2000-02-29", "1600-02-29", "2400-02-29", "1996-02-29", "0000-02-29"})
    void acceptsTheTwentyNinthOfFebruaryInLeapYears(String date) {
        String text = date + "T12:00:00Z";
        assertEquals(javaTime(text), parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.000001Z", "1970-01-01T00:00:00Z",
        "1900-01-01T00:00:00.5Z", "1582-10-04T23:59:59Z", "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "0000-03-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1969-12-31T19:00:00-05:00",
    })
    void handlesYearsBeforeNineteenSeventyAndTheEdgesOfFourDigitYears(String text) {
        assertEquals(javaTime(text), parse(text));
    }

    @Test
    void theInstantJustBeforeTheEpochIsMinusOneMicrosecond() {
        assertEquals(-1L, parse("1969-12-31T23:59:59.999999"));
        assertEquals(-500_000L, parse("1969-12-31T23:59:59.5Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "+10000-01-01T00:00:00Z|+10000-01-01T00:00:00Z",
        "-0001-06-01T00:00:00Z|-0001-06-01T00:00:00Z",
        "2025-10-20T13:55:00+05:30:15|2025-10-20T13:55:00+05:30:15",
        "2025-10-20T13:55:00.5-05:30:15|2025-10-20T13:55:00.5-05:30:15",
        "' 2025-10-20T13:55:00.25Z '|2025-10-20T13:55:00.25Z",
    })
    void readsRareShapesAsJavaTimeDoes(String text, String javaText) {
        assertEquals(javaTime(javaText), parse(text));
    }

    @Test
    void aNaiveTimestampWithAnUnusualShapeIsUtcOnTheFallbackPathToo() {
        assertEquals(Timestamps.toMicros(LocalDateTime.parse("+10000-01-01T00:00:00").toInstant(ZoneOffset.UTC)),
                parse("+10000-01-01T00:00:00"));
    }

    @Test
    void parsesASliceOfALargerBufferInPlace() {
        char[] buf = "xx\"2025-10-20T13:55:00.353948+00:00\",yy".toCharArray();
        assertEquals(javaTime("2025-10-20T13:55:00.353948Z"), Timestamps.parseMicros(buf, 3, 32));
        assertEquals(Timestamps.INVALID, Timestamps.parseMicros(buf, 2, 33));
    }

    @Test
    void agreesWithJavaTimeOnManyRandomInstantsInEveryShape() {
        SplittableRandom random = new SplittableRandom(303);
        long minSecond = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) + 86_400;
        long maxSecond = LocalDateTime.of(9999, 12, 31, 0, 0).toEpochSecond(ZoneOffset.UTC) - 86_400;
        DateTimeFormatter dateTime = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        for (int i = 0; i < 200_000; i++) {
            long second = i % 2 == 0
                    ? random.nextLong(minSecond, maxSecond)
                    : random.nextLong(-3_000_000_000L, 5_000_000_000L);
            int nano = random.nextInt(1_000_000_000);
            int offsetMinutes = random.nextInt(-18 * 60, 18 * 60 + 1);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
            OffsetDateTime odt = Instant.ofEpochSecond(second, nano).atOffset(offset);
            int digits = random.nextInt(10);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", nano).substring(0, digits);
            String local = odt.format(dateTime) + fraction;
            long truncatedNanos = digits == 0 ? 0 : Long.parseLong(fraction.substring(1)) * pow10(9 - digits);
            long expected = Timestamps.toMicros(odt.toLocalDateTime().withNano((int) truncatedNanos)
                    .toInstant(offset));
            String zone = zoneText(offset.getTotalSeconds(), random.nextInt(5));
            if (zone == null) {
                long naive = Timestamps.toMicros(odt.toLocalDateTime().withNano((int) truncatedNanos)
                        .toInstant(ZoneOffset.UTC));
                assertEquals(naive, parse(local), local);
                assertEquals(Timestamps.toMicros(LocalDateTime.parse(local).toInstant(ZoneOffset.UTC)), naive, local);
            } else {
                String text = local + zone;
                assertEquals(expected, parse(text), text);
                if (zone.equals(offset.getId())) {
                    assertEquals(Timestamps.toMicros(OffsetDateTime.parse(text).toInstant()), expected, text);
                }
            }
        }
    }

    /** One of the forms an offset may take: {@code Z}/{@code +HH:MM}, {@code +HHMM}, {@code +HH} or none. */
    private static String zoneText(int totalSeconds, int form) {
        int abs = Math.abs(totalSeconds);
        String sign = totalSeconds < 0 ? "-" : "+";
        String hh = String.format("%02d", abs / 3600);
        String mm = String.format("%02d", abs / 60 % 60);
        switch (form) {
            case 0:
                return totalSeconds == 0 ? "Z" : sign + hh + ":" + mm;
            case 1:
                return sign + hh + mm;
            case 2:
                return abs % 3600 == 0 ? sign + hh : sign + hh + ":" + mm;
            default:
                return null;
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    @Test
    void formatsAndConvertsBackToTheSameInstant() {
        long micros = parse("2025-10-21T18:00:00.123456Z");
        assertEquals("2025-10-21T18:00:00.123456Z", Timestamps.format(micros));
        assertEquals(Instant.parse("2025-10-21T18:00:00.123456Z"), Timestamps.toInstant(micros));
        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z"), Timestamps.toInstant(-1));
        assertEquals(Instant.parse("1969-12-31T23:59:59.999999Z").truncatedTo(ChronoUnit.MICROS),
                Timestamps.toInstant(Timestamps.toMicros(Instant.parse("1969-12-31T23:59:59.999999999Z"))));
    }

    @Test
    void theMinuteOfAnInstantRoundsDownAlsoBeforeTheEpoch() {
        assertEquals(0, Timestamps.minuteOf(59_999_999));
        assertEquals(-1, Timestamps.minuteOf(-1));
        assertEquals(parse("2025-10-20 13:55") / Timestamps.MICROS_PER_MINUTE,
                Timestamps.minuteOf(parse("2025-10-20T13:55:59.999999Z")));
        assertTrue(Timestamps.secondsBetween(0, 1_500_000) == 1.5);
    }
}
