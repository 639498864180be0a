package io.dagscope.source.jsonl.decode;

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
import io.dagscope.core.event.RunFinished;
import io.dagscope.core.event.RunStarted;
import io.dagscope.core.event.ScheduleEnqueued;
import io.dagscope.core.event.TaskFail;
import io.dagscope.core.event.TaskOk;
import io.dagscope.core.event.TaskRetry;
import io.dagscope.core.event.TaskStart;
import io.dagscope.core.time.Timestamps;
import io.dagscope.spi.SkipReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
        assertEquals(-5, ((DagStart) event(head + "\" -5 \"}")).taskCount());
        assertEquals(5, ((DagStart) event(head + "\"5.0\"}")).taskCount());
        assertNull(((DagStart) event(head + "5.5}")).taskCount());
        assertNull(((DagStart) event(head + "\"five\"}")).taskCount());
        assertNull(((DagStart) event(head + "\"\"}")).taskCount());
        assertNull(((DagStart) event(head + "null}")).taskCount());
        assertNull(((DagStart) event(head + "true}")).taskCount());
        assertNull(((DagStart) event(head + "NaN}")).taskCount());
        assertNull(((DagStart) event(head + "[5]}")).taskCount());
        assertNull(((DagStart) event(head + "{\"n\": 5}}")).taskCount());
        assertNull(((DagStart) event(head + "12345678901}")).taskCount());
        assertNull(((DagStart) event(head + "\"12345678901\"}")).taskCount());
        assertEquals(Integer.MAX_VALUE, ((DagStart) event(head + "2147483647}")).taskCount());
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
