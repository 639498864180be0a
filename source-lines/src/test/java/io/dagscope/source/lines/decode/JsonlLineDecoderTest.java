package io.dagscope.source.lines.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dagscope.core.event.CheckpointApproved;
import io.dagscope.core.event.CheckpointExpired;
import io.dagscope.core.event.CheckpointPending;
import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import io.dagscope.core.event.EventBounds;
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.time.Timestamps;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.TimestampLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlLineDecoderTest {

    private static final String TS = "\"timestamp\": \"2025-10-20T13:55:00.353948+00:00\"";
    private static final long TS_MICROS = micros("2025-10-20T13:55:00.353948Z");

    private final JsonlLineDecoder decoder = new JsonlLineDecoder(1 << 20);

    private static long micros(String instant) {
        return Timestamps.toMicros(Instant.parse(instant));
    }

    private LineOutcome decode(String line) {
        return decoder.decode(line.getBytes(StandardCharsets.UTF_8));
    }

    private Event event(String line) {
        assertEquals(LineOutcome.EVENT, decode(line), line);
        return decoder.event();
    }

    private SkipReason skipped(byte[] line) {
        assertEquals(LineOutcome.SKIPPED, decoder.decode(line));
        return decoder.skipReason();
    }

    private SkipReason skipped(String line) {
        return skipped(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesADagStartWithEveryField() {
        Event e = event("{" + TS + ", \"event\": \"dag_start\", \"dag_name\": \"ops_sync\", "
                + "\"dag_run_id\": \"080a7557\", \"tenant\": \"acme-corp\", \"task_count\": 5}");
        assertEquals(new DagStart(TS_MICROS, "ops_sync", "080a7557", "acme-corp", 5), e);
        assertEquals("dag_start", decoder.eventName());
        assertEquals(TS_MICROS, decoder.timestampMicros());
    }

    @Test
    void decodesEveryTaskEvent() {
        String common = TS + ", \"dag_name\": \"d\", \"task_id\": \"t\", \"dag_run_id\": \"r\"";
        assertEquals(new TaskStart(TS_MICROS, "d", "r", "t"),
                event("{" + common + ", \"event\": \"task_start\", \"workflow_ref\": \"crm_fetch\"}"));
        assertEquals(new TaskRetry(TS_MICROS, "d", "r", "t", 1, "boom"),
                event("{" + common + ", \"event\": \"task_retry\", \"attempt\": 1, \"error\": \"boom\"}"));
        assertEquals(new TaskOk(TS_MICROS, "d", "r", "t", 2),
                event("{" + common + ", \"event\": \"task_ok\", \"attempt\": 2}"));
        assertEquals(new TaskFail(TS_MICROS, "d", "r", "t", "'thread_id'"),
                event("{" + common + ", \"event\": \"task_fail\", \"error\": \"'thread_id'\"}"));
    }

    @Test
    void decodesDagDoneAndTheCheckpointEvents() {
        assertEquals(new DagDone(TS_MICROS, "d", "r", "globex", 6, 0, 42.847739),
                event("{" + TS + ", \"event\": \"dag_done\", \"dag_name\": \"d\", \"dag_run_id\": \"r\", "
                        + "\"tenant\": \"globex\", \"tasks_succeeded\": 6, \"tasks_failed\": 0, "
                        + "\"duration_seconds\": 42.847739}"));
        assertEquals(new CheckpointPending(TS_MICROS, "d", "r", "finance_signoff", "r_finance_signoff"),
                event("{" + TS + ", \"event\": \"checkpoint_pending\", \"dag_name\": \"d\", \"dag_run_id\": \"r\", "
                        + "\"task_id\": \"finance_signoff\", \"checkpoint_id\": \"r_finance_signoff\"}"));
        assertEquals(new CheckpointApproved(TS_MICROS, "d", "r", "r_finance_signoff", "Operator"),
                event("{" + TS + ", \"event\": \"checkpoint_approved\", \"dag_name\": \"d\", \"dag_run_id\": \"r\", "
                        + "\"checkpoint_id\": \"r_finance_signoff\", \"approved_by\": \"Operator\"}"));
    }

    @Test
    void decodesEveryStateEventWithTheTimestampLast() {
        assertEquals(new ScheduleEnqueued(TS_MICROS, "acme_ops_sync", "configs/dags/ops_sync.yaml", "acme-corp",
                        micros("2025-10-20T13:55:00Z") / Timestamps.MICROS_PER_MINUTE),
                event("{\"event\": \"schedule_enqueued\", \"schedule_id\": \"acme_ops_sync\", \"job_id\": \"j\", "
                        + "\"dag_path\": \"configs/dags/ops_sync.yaml\", \"tenant\": \"acme-corp\", "
                        + "\"minute\": \"2025-10-20 13:55\", " + TS + "}"));
        assertEquals(new RunStarted(TS_MICROS, "s", "p.yaml", "initech"),
                event("{\"event\": \"run_started\", \"job_id\": \"j\", \"schedule_id\": \"s\", "
                        + "\"dag_path\": \"p.yaml\", \"tenant\": \"initech\", " + TS + "}"));
        assertEquals(new RunFinished(TS_MICROS, "s", "p.yaml", "initech", "retry",
                        "Task 'x' failed after 2 attempts: boom", 17.5),
                event("{\"event\": \"run_finished\", \"schedule_id\": \"s\", \"dag_path\": \"p.yaml\", "
                        + "\"tenant\": \"initech\", \"status\": \"retry\", \"attempts\": 2, "
                        + "\"error\": \"Task 'x' failed after 2 attempts: boom\", \"duration_seconds\": 17.5, "
                        + TS + "}"));
        assertEquals(new CheckpointExpired(TS_MICROS, "c", "r", "t"),
                event("{\"event\": \"checkpoint_expired\", \"checkpoint_id\": \"c\", \"dag_run_id\": \"r\", "
                        + "\"task_id\": \"t\", " + TS + "}"));
    }

    @Test
    void aCheckpointExpiryNeedsNoFieldButItsTimestampAndEvent() {
        assertEquals(new CheckpointExpired(TS_MICROS, null, null, null),
                event("{\"event\": \"checkpoint_expired\", " + TS + "}"));
    }

    @Test
    void optionalFieldsThatAreAbsentAreNull() {
        assertEquals(new DagStart(micros("2025-10-04T10:00:01.515049Z"), "crm_sync", null, null, null),
                event("{\"timestamp\": \"2025-10-04T10:00:01.515049\", \"event\": \"dag_start\", "
                        + "\"dag_name\": \"crm_sync\"}"));
        assertEquals(new ScheduleEnqueued(TS_MICROS, "s", null, null, null),
                event("{\"event\": \"schedule_enqueued\", \"schedule_id\": \"s\", " + TS + "}"));
    }

    @Test
    void readsFieldsInAnyOrder() {
        Event expected = new TaskOk(TS_MICROS, "d", null, "t", 1);
        assertEquals(expected, event("{\"attempt\": 1, \"task_id\": \"t\", \"event\": \"task_ok\", " + TS
                + ", \"dag_name\": \"d\"}"));
        assertEquals(expected, event("{\"dag_name\": \"d\", " + TS + ", \"task_id\": \"t\", \"attempt\": 1, "
                + "\"event\": \"task_ok\"}"));
    }

    @Test
    void skipsUnknownFieldsWhateverTheirValues() {
        assertEquals(new TaskStart(TS_MICROS, "d", null, "t"),
                event("{\"inputs\": {\"signoff\": {\"type\": \"string\", \"event\": \"dag_start\", "
                        + "\"timestamp\": null, \"x\": [1, {\"dag_name\": \"nested\"}, [[]]]}}, " + TS
                        + ", \"approvals\": [], \"job_id\": \"j\", \"ratio\": 1.5e3, \"ok\": true, \"none\": null, "
                        + "\"event\": \"task_start\", \"dag_name\": \"d\", \"task_id\": \"t\", "
                        + "\"weird\": NaN, \"neg\": -Infinity}"));
    }

    @Test
    void aFieldGivenTwiceKeepsItsLastValue() {
        assertEquals(new TaskStart(TS_MICROS, "second", null, "t"),
                event("{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"first\", \"task_id\": \"t\", "
                        + "\"dag_name\": \"second\"}"));
    }

    @Test
    void countsAnUnknownEventAsIgnoredWithItsTimestamp() {
        assertEquals(LineOutcome.IGNORED, decode("{\"event\": \"resume_token\", \"dag_run_id\": \"r\", "
                + "\"next_task_id\": \"execute_payout\", \"tenant\": \"acme-corp\", " + TS + "}"));
        assertEquals("resume_token", decoder.eventName());
        assertEquals(TS_MICROS, decoder.timestampMicros());
        assertThrows(IllegalStateException.class, decoder::event);
        assertThrows(IllegalStateException.class, decoder::skipReason);
    }

    @Test
    void anUnknownEventStillNeedsAValidTimestamp() {
        assertEquals(SkipReason.MISSING_TIMESTAMP, skipped("{\"event\": \"checkpoint_created\", \"x\": 1}"));
        assertEquals(SkipReason.BAD_TIMESTAMP, skipped("{\"event\": \"resume_token\", \"timestamp\": \"soon\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t  \t", "\r", "  \r", "\uFEFF", "\uFEFF  \r", "\f"})
    void passesOverBlankLinesWithoutCountingThem(String line) {
        assertEquals(LineOutcome.BLANK, decode(line));
        assertThrows(IllegalStateException.class, decoder::skipReason);
    }

    @Test
    void dropsAByteOrderMarkAndACarriageReturn() {
        Event expected = new TaskStart(TS_MICROS, "d", null, "t");
        String line = "{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"d\", \"task_id\": \"t\"}";
        assertEquals(expected, event("\uFEFF" + line));
        assertEquals(expected, event(line + "\r"));
        assertEquals(expected, event("\uFEFF" + line + "\r"));
        assertEquals(expected, event("  " + line + "  "));
    }

    @Test
    void decodesALineInTheMiddleOfABuffer() {
        byte[] line = ("{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"d\", \"task_id\": \"t\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[line.length + 20];
        Arrays.fill(buf, (byte) '}');
        System.arraycopy(line, 0, buf, 7, line.length);
        assertEquals(LineOutcome.EVENT, decoder.decode(buf, 7, line.length));
        assertEquals(new TaskStart(TS_MICROS, "d", null, "t"), decoder.event());
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.decode(buf, 7, buf.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "{", "{\"event\": ", "{\"a\": 1,}", "{'a': 1}", "{\"a\": 1} {\"b\": 2}",
        "{\"a\": 1} x", "{\"a\": 1}}", "[1, 2", "12abc", "{\"a\": \"unterminated}", "{\"a\": \"tab\there\"}",
        "timestamp=2025-10-20 event=dag_start", "\u0000\u0000\u0000"})
    void skipsWhatIsNotJson(String line) {
        assertEquals(SkipReason.NOT_JSON, skipped(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "[{\"timestamp\": \"2025-10-20T13:55:00Z\", \"event\": \"dag_start\"}]",
        "\"dag_start\"", "42", "null", "true", "  []  "})
    void skipsJsonThatIsNotAnObject(String line) {
        assertEquals(SkipReason.NOT_OBJECT, skipped(line));
    }

    @Test
    void skipsInvalidUtf8InsideAString() {
        byte[] prefix = ("{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"d").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\", \"task_id\": \"t\"}".getBytes(StandardCharsets.UTF_8);
        byte[][] invalid = {
            {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80,
                (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},
        };
        for (byte[] bad : invalid) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes(prefix);
            line.writeBytes(bad);
            line.writeBytes(suffix);
            assertEquals(SkipReason.INVALID_UTF8, skipped(line.toByteArray()), Arrays.toString(bad));
        }
    }

    @Test
    void acceptsWellFormedUtf8OfEveryLength() {
        Event e = event("{" + TS + ", \"event\": \"task_fail\", \"dag_name\": \"Zürich-日本\", \"task_id\": \"t\", "
                + "\"error\": \"naïve \u20AC \uD83D\uDE00 \\u00e9\\n\\ttab\"}");
        assertEquals(new TaskFail(TS_MICROS, "Zürich-日本", null, "t", "naïve € \uD83D\uDE00 é\n\ttab"), e);
    }

    @Test
    void skipsALineLongerThanTheLimit() {
        JsonlLineDecoder small = new JsonlLineDecoder(1 << 20);
        StringBuilder sb = new StringBuilder("{" + TS + ", \"event\": \"task_fail\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"error\": \"");
        sb.append("x".repeat(2 << 20)).append("\"}");
        assertEquals(LineOutcome.SKIPPED, small.decode(sb.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.TOO_LONG, small.skipReason());
    }

    @Test
    void theLimitCountsTheLineWithoutItsLineEnding() {
        String line = "{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"d\", \"task_id\": \"t\"}";
        int length = line.getBytes(StandardCharsets.UTF_8).length;
        JsonlLineDecoder exact = new JsonlLineDecoder(length);
        assertEquals(LineOutcome.EVENT, exact.decode((line + "\r").getBytes(StandardCharsets.UTF_8)));
        JsonlLineDecoder tooSmall = new JsonlLineDecoder(length - 1);
        assertEquals(LineOutcome.SKIPPED, tooSmall.decode(line.getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.TOO_LONG, tooSmall.skipReason());
        assertThrows(IllegalArgumentException.class, () -> new JsonlLineDecoder(0));
    }

    @Test
    void skipsALineWithoutATimestamp() {
        assertEquals(SkipReason.MISSING_TIMESTAMP, skipped("{\"event\":\"task_ok\"}"));
        assertEquals(SkipReason.MISSING_TIMESTAMP, skipped("{\"event\":\"task_ok\", \"timestamp\": null, "
                + "\"dag_name\": \"d\", \"task_id\": \"t\"}"));
        assertEquals(SkipReason.MISSING_TIMESTAMP, skipped("{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"2025-02-30T10:00:00\"", "\"2025-10-20T24:00:00Z\"", "\"\"",
        "1760968500", "true", "{\"iso\": \"2025-10-20T13:55:00Z\"}", "[\"2025-10-20T13:55:00Z\"]"})
    void skipsALineWhoseTimestampDoesNotParse(String value) {
        assertEquals(SkipReason.BAD_TIMESTAMP, skipped("{\"timestamp\": " + value
                + ", \"event\": \"task_ok\", \"dag_name\": \"d\", \"task_id\": \"t\"}"));
    }

    /** A decoder whose clock says {@code now}, believing timestamps up to {@code skew} ahead of it (or of pinned). */
    private static JsonlLineDecoder at(String now, Duration skew, Optional<Instant> pinned) {
        return new JsonlLineDecoder(1 << 20, TimestampLimits.of(Clock.fixed(Instant.parse(now), ZoneOffset.UTC), skew,
                pinned));
    }

    private static LineOutcome decodeWith(JsonlLineDecoder d, String timestamp) {
        return d.decode(("{\"timestamp\": \"" + timestamp + "\", \"event\": \"task_ok\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"attempt\": 1}").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-10-23T14:00:00.000001Z", "2025-10-23T14:01:00", "2025-10-24T00:00:00+00:00",
        "2999-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "+10000-01-01T00:00:00Z", "+290000-01-01T00:00:00Z",
        "2025-10-23 23:59:59-12:00"})
    void skipsALineStampedFurtherAheadOfNowThanTheSkew(String timestamp) {
        JsonlLineDecoder d = at("2025-10-22T14:00:00Z", Duration.ofHours(24), Optional.empty());
        assertEquals(LineOutcome.SKIPPED, decodeWith(d, timestamp), timestamp);
        assertEquals(SkipReason.FUTURE_TIMESTAMP, d.skipReason(), timestamp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00",
        "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "-290000-01-01T00:00:00Z",
        "2000-01-01T00:30:00+01:00"})
    void skipsALineStampedBefore2000(String timestamp) {
        JsonlLineDecoder d = at("2025-10-22T14:00:00Z", Duration.ofHours(24), Optional.empty());
        assertEquals(LineOutcome.SKIPPED, decodeWith(d, timestamp), timestamp);
        assertEquals(SkipReason.EARLY_TIMESTAMP, d.skipReason(), timestamp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000-01-01T00:00:00Z", "2000-01-01T01:00:00+01:00", "2025-10-04T10:00:01.515049",
        "2025-10-22T14:00:00Z", "2025-10-23T14:00:00Z", "2025-10-23T13:59:59.999999", "2025-10-24T01:00:00+12:00"})
    void believesEveryTimestampFrom2000ToTheSkewAheadOfNow(String timestamp) {
        JsonlLineDecoder d = at("2025-10-22T14:00:00Z", Duration.ofHours(24), Optional.empty());
        assertEquals(LineOutcome.EVENT, decodeWith(d, timestamp), timestamp);
    }

    @Test
    void theSkewIsConfigurableAndAPinnedNowLaterThanTheClockCountsFromItself() {
        assertEquals(LineOutcome.SKIPPED, decodeWith(at("2025-10-22T14:00:00Z", Duration.ZERO, Optional.empty()),
                "2025-10-22T14:00:00.000001Z"));
        assertEquals(LineOutcome.EVENT, decodeWith(at("2025-10-22T14:00:00Z", Duration.ZERO, Optional.empty()),
                "2025-10-22T14:00:00Z"));
        assertEquals(LineOutcome.EVENT, decodeWith(at("2025-10-22T14:00:00Z", Duration.ofDays(365 * 1000),
                Optional.empty()), "2999-01-01T00:00:00Z"));
        // logs of the future (a generated demo) are read as of their own time with --end
        JsonlLineDecoder pinned = at("2025-10-22T14:00:00Z", Duration.ofHours(1),
                Optional.of(Instant.parse("2031-01-01T00:00:00Z")));
        assertEquals(LineOutcome.EVENT, decodeWith(pinned, "2031-01-01T00:59:00Z"));
        assertEquals(LineOutcome.SKIPPED, decodeWith(pinned, "2031-01-01T01:00:01Z"));
        // an --end in the past never makes the limit earlier than the clock's
        JsonlLineDecoder past = at("2025-10-22T14:00:00Z", Duration.ofHours(1),
                Optional.of(Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(LineOutcome.EVENT, decodeWith(past, "2025-10-22T14:30:00Z"));
    }

    @Test
    void aLineTooFarAheadIsBelievedOnceTheClockHasCaughtUp() {
        MovingClock clock = new MovingClock(Instant.parse("2025-10-22T14:00:00Z"));
        JsonlLineDecoder d = new JsonlLineDecoder(1 << 20, TimestampLimits.of(clock, Duration.ofMinutes(5),
                Optional.empty()));
        assertEquals(LineOutcome.EVENT, decodeWith(d, "2025-10-22T14:04:00Z"));
        assertEquals(LineOutcome.SKIPPED, decodeWith(d, "2025-10-22T14:06:00Z"));
        clock.now = Instant.parse("2025-10-22T14:02:00Z");
        assertEquals(LineOutcome.EVENT, decodeWith(d, "2025-10-22T14:06:00Z"));
        assertEquals(LineOutcome.SKIPPED, decodeWith(d, "2025-10-22T14:07:00.000001Z"));
    }

    @Test
    void theTimestampRulesComeBeforeTheEventRulesAndCoverTheCronMinute() {
        JsonlLineDecoder d = at("2025-10-22T14:00:00Z", Duration.ofHours(24), Optional.empty());
        // an ignored event stamped in the future would move the source's lastEventAt: skipped too
        assertEquals(LineOutcome.SKIPPED, d.decode("{\"timestamp\": \"2999-01-01T00:00:00Z\", \"event\": \"resume_token\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.FUTURE_TIMESTAMP, d.skipReason());
        assertEquals(LineOutcome.SKIPPED, d.decode("{\"timestamp\": \"1970-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.EARLY_TIMESTAMP, d.skipReason());
        String head = "{" + TS + ", \"event\": \"schedule_enqueued\", \"schedule_id\": \"s\", \"minute\": ";
        assertEquals(LineOutcome.SKIPPED, d.decode((head + "\"2999-01-01 00:00\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.FUTURE_TIMESTAMP, d.skipReason());
        assertEquals(LineOutcome.SKIPPED, d.decode((head + "\"1970-01-01 00:00\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.EARLY_TIMESTAMP, d.skipReason());
        assertEquals(LineOutcome.SKIPPED, d.decode((head + "\"-290000-01-01T00:00\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(SkipReason.EARLY_TIMESTAMP, d.skipReason());
        assertEquals(LineOutcome.EVENT, d.decode((head + "\"2025-10-23 14:00\"}").getBytes(StandardCharsets.UTF_8)));
    }

    /** A clock a test moves. */
    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void skipsALineWithoutAnEvent() {
        assertEquals(SkipReason.MISSING_EVENT, skipped("{" + TS + ", \"dag_name\": \"d\"}"));
        assertEquals(SkipReason.MISSING_EVENT, skipped("{" + TS + ", \"event\": null}"));
        assertEquals(SkipReason.MISSING_EVENT, skipped("{" + TS + ", \"event\": {\"name\": \"dag_start\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"event\": \"dag_start\", \"tenant\": \"acme\"",
        "\"event\": \"task_start\", \"task_id\": \"t\"",
        "\"event\": \"task_start\", \"dag_name\": \"d\"",
        "\"event\": \"task_retry\", \"dag_name\": \"d\", \"attempt\": 1",
        "\"event\": \"task_ok\", \"task_id\": \"t\", \"dag_name\": null",
        "\"event\": \"task_fail\", \"task_id\": \"t\"",
        "\"event\": \"dag_done\", \"tenant\": \"acme\"",
        "\"event\": \"checkpoint_pending\", \"dag_name\": \"d\", \"checkpoint_id\": \"c\"",
        "\"event\": \"checkpoint_approved\", \"checkpoint_id\": \"c\"",
        "\"event\": \"schedule_enqueued\", \"dag_path\": \"p\"",
        "\"event\": \"run_started\", \"tenant\": \"t\"",
        "\"event\": \"run_finished\", \"status\": \"success\"",
        "\"event\": \"task_start\", \"dag_name\": [\"d\"], \"task_id\": \"t\"",
    })
    void skipsAKnownEventWithoutTheFieldThatPlacesIt(String fields) {
        assertEquals(SkipReason.MISSING_FIELD, skipped("{" + TS + ", " + fields + "}"));
    }

    @Test
    void readsIntegersLeniently() {
        String head = "{" + TS + ", \"event\": \"dag_start\", \"dag_name\": \"d\", \"task_count\": ";
        assertEquals(5, ((DagStart) event(head + "5}")).taskCount());
        assertEquals(5, ((DagStart) event(head + "5.0}")).taskCount());
        assertEquals(500, ((DagStart) event(head + "5e2}")).taskCount());
        assertEquals(5, ((DagStart) event(head + "\"5\"}")).taskCount());
        assertEquals(5, ((DagStart) event(head + "\" 5 \"}")).taskCount());
        assertEquals(5, ((DagStart) event(head + "\"5.0\"}")).taskCount());
        assertNull(((DagStart) event(head + "5.5}")).taskCount());
        assertNull(((DagStart) event(head + "\"five\"}")).taskCount());
        assertNull(((DagStart) event(head + "\"\"}")).taskCount());
        assertNull(((DagStart) event(head + "null}")).taskCount());
        assertNull(((DagStart) event(head + "true}")).taskCount());
        assertNull(((DagStart) event(head + "NaN}")).taskCount());
        assertNull(((DagStart) event(head + "[5]}")).taskCount());
        assertNull(((DagStart) event(head + "{\"n\": 5}}")).taskCount());
        assertEquals(0, ((DagStart) event(head + "0}")).taskCount());
        assertEquals(EventBounds.MAX_COUNT, ((DagStart) event(head + EventBounds.MAX_COUNT + "}")).taskCount());
    }

    /** Counts and attempts: whole numbers from 0 to a million; beyond, in any form, the line is skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5", "\" -5 \"", "1000001", "12345678901", "\"12345678901\"", "2147483647",
        "-2147483649", "1e7", "\"1e7\"", "1.0e300", "-1e300", "123456789012345678901234567890",
        "\"123456789012345678901234567890\""})
    void skipsACountOrAttemptOutsideItsRange(String value) {
        String ts = "{" + TS + ", ";
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"dag_start\", \"dag_name\": \"d\", "
                + "\"task_count\": " + value + "}"));
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"task_ok\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"attempt\": " + value + "}"));
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"task_retry\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"attempt\": " + value + "}"));
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"dag_done\", \"dag_name\": \"d\", "
                + "\"tasks_succeeded\": " + value + "}"));
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"dag_done\", \"dag_name\": \"d\", "
                + "\"tasks_failed\": " + value + "}"));
    }

    /** Durations: from minus one day (a wall clock stepped back) to 366 days; beyond, the line is skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"1.7976931348623157e308", "-1.7976931348623157e308", "1e308", "\"1e308\"",
        "31622400.000001", "-86400.5", "1e10", "-1e10", "\" 9e15 \"", "123456789012345678901234567890"})
    void skipsADurationOutsideItsRange(String value) {
        String ts = "{" + TS + ", ";
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"dag_done\", \"dag_name\": \"d\", "
                + "\"duration_seconds\": " + value + "}"));
        assertEquals(SkipReason.OUT_OF_RANGE, skipped(ts + "\"event\": \"run_finished\", \"schedule_id\": \"s\", "
                + "\"duration_seconds\": " + value + "}"));
    }

    @Test
    void keepsEveryDurationAndCountInsideTheRanges() {
        String head = "{" + TS + ", \"event\": \"dag_done\", \"dag_name\": \"d\", \"duration_seconds\": ";
        assertEquals(EventBounds.MAX_DURATION_SECONDS, ((DagDone) event(head + "31622400}")).durationSeconds());
        assertEquals(EventBounds.MIN_DURATION_SECONDS, ((DagDone) event(head + "-86400.0}")).durationSeconds());
        assertEquals(-0.25, ((DagDone) event(head + "-0.25}")).durationSeconds());
        assertEquals(0.0, ((DagDone) event(head + "0}")).durationSeconds());
        assertEquals(4.9e-324, ((DagDone) event(head + "4.9e-324}")).durationSeconds());
        assertEquals(1, ((TaskOk) event("{" + TS + ", \"event\": \"task_ok\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"attempt\": 1}")).attempt());
        assertEquals(0, ((TaskRetry) event("{" + TS + ", \"event\": \"task_retry\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\", \"attempt\": 0}")).attempt());
    }

    @Test
    void aNumberOutsideItsRangeInAFieldTheEventDoesNotUseChangesNothing() {
        // the runner's own extras and the fields of other events are not read, so they cannot spoil a line
        assertEquals(new TaskStart(TS_MICROS, "d", null, "t"), event("{" + TS + ", \"event\": \"task_start\", "
                + "\"dag_name\": \"d\", \"task_id\": \"t\", \"duration_seconds\": 1e308, \"attempt\": -1, "
                + "\"task_count\": 1e300}"));
        assertEquals(LineOutcome.IGNORED, decode("{" + TS + ", \"event\": \"resume_token\", "
                + "\"duration_seconds\": 1e308}"));
    }

    @Test
    void readsDecimalsLenientlyAndTreatsNonFiniteOnesAsAbsent() {
        String head = "{" + TS + ", \"event\": \"dag_done\", \"dag_name\": \"d\", \"duration_seconds\": ";
        assertEquals(42.5, ((DagDone) event(head + "42.5}")).durationSeconds());
        assertEquals(42.0, ((DagDone) event(head + "42}")).durationSeconds());
        assertEquals(42.5, ((DagDone) event(head + "\"42.5\"}")).durationSeconds());
        assertNull(((DagDone) event(head + "NaN}")).durationSeconds());
        assertNull(((DagDone) event(head + "Infinity}")).durationSeconds());
        assertNull(((DagDone) event(head + "\"NaN\"}")).durationSeconds());
        assertNull(((DagDone) event(head + "\"1d\"}")).durationSeconds());
        assertNull(((DagDone) event(head + "false}")).durationSeconds());
        assertNull(((DagDone) event(head + "{}}")).durationSeconds());
    }

    @Test
    void aTextFieldTakesTheTextOfANumberOrBooleanAndIgnoresStructures() {
        String head = "{" + TS + ", \"event\": \"task_fail\", \"task_id\": \"t\", \"dag_name\": ";
        assertEquals("42", ((TaskFail) event(head + "42}")).dagName());
        assertEquals("1.50", ((TaskFail) event(head + "1.50}")).dagName());
        assertEquals("true", ((TaskFail) event(head + "true}")).dagName());
        assertEquals("", ((TaskFail) event(head + "\"\"}")).dagName());
        assertEquals("boom", ((TaskFail) event(head + "\"d\", \"error\": {\"m\": 1}, \"error\": \"boom\"}")).error());
        assertNull(((TaskFail) event(head + "\"d\", \"error\": {\"message\": \"boom\"}}")).error());
        assertNull(((TaskFail) event(head + "\"d\", \"error\": [\"boom\"]}")).error());
        assertEquals("503", ((TaskFail) event(head + "\"d\", \"error\": 503}")).error());
    }

    @Test
    void readsTheCronMinuteAsAnEpochMinute() {
        String head = "{" + TS + ", \"event\": \"schedule_enqueued\", \"schedule_id\": \"s\", \"minute\": ";
        long expected = micros("2025-10-20T13:55:00Z") / Timestamps.MICROS_PER_MINUTE;
        assertEquals(expected, ((ScheduleEnqueued) event(head + "\"2025-10-20 13:55\"}")).minuteEpoch());
        assertEquals(expected - 1, ((ScheduleEnqueued) event(head + "\"2025-10-20 13:54\"}")).minuteEpoch());
        assertNull(((ScheduleEnqueued) event(head + "\"13:55\"}")).minuteEpoch());
        assertNull(((ScheduleEnqueued) event(head + "\"2025-02-30 13:55\"}")).minuteEpoch());
        assertNull(((ScheduleEnqueued) event(head + "29167815}")).minuteEpoch());
        assertNull(((ScheduleEnqueued) event(head + "null}")).minuteEpoch());
    }

    @Test
    void legacyNaiveTimestampsAreUtc() {
        Event e = event("{\"timestamp\": \"2025-10-04T10:00:01.515049\", \"event\": \"dag_start\", "
                + "\"dag_name\": \"crm_sync\", \"tenant\": \"acme-corp\", \"task_count\": 2}");
        assertEquals(Instant.parse("2025-10-04T10:00:01.515049Z"), Timestamps.toInstant(e.timestampMicros()));
    }

    @Test
    void repeatedNamesAreSharedButErrorsAreNot() {
        String line = "{" + TS + ", \"event\": \"task_fail\", \"dag_name\": \"ops_sync\", \"dag_run_id\": \"r-1\", "
                + "\"task_id\": \"fetch_accounts\", \"error\": \"Connection refused\"}";
        TaskFail first = (TaskFail) event(line);
        TaskFail second = (TaskFail) event(line);
        assertSame(first.dagName(), second.dagName());
        assertSame(first.taskId(), second.taskId());
        assertSame(first.dagRunId(), second.dagRunId());
        assertNotSame(first.error(), second.error());
        assertEquals(first.error(), second.error());
    }

    @Test
    void theCacheSharesTextFromAnyTokenAndNeverConfusesTwoTexts() {
        StringCache cache = new StringCache(4, 8);
        char[] buf = "ops_syncdata_digestabcdefghij".toCharArray();
        String ops = cache.get(buf, 0, 8);
        assertSame(ops, cache.get("xops_sync".toCharArray(), 1, 8));
        for (int i = 0; i < 100; i++) {
            String s = "name-" + i;
            assertEquals(s, cache.get(s.toCharArray(), 0, s.length()));
        }
        assertEquals("abcdefghij", cache.get(buf, 19, 10));
        assertNotSame(cache.get(buf, 19, 10), cache.get(buf, 19, 10));
        assertThrows(IllegalArgumentException.class, () -> new StringCache(3, 8));
    }

    @Test
    void eachAccessorRefusesALineOfAnotherOutcome() {
        assertEquals(SkipReason.NOT_JSON, skipped("nope"));
        assertThrows(IllegalStateException.class, decoder::event);
        assertThrows(IllegalStateException.class, decoder::timestampMicros);
        assertThrows(IllegalStateException.class, decoder::eventName);
        assertInstanceOf(TaskStart.class, event("{" + TS + ", \"event\": \"task_start\", \"dag_name\": \"d\", "
                + "\"task_id\": \"t\"}"));
        assertThrows(IllegalStateException.class, decoder::skipReason);
    }
}
