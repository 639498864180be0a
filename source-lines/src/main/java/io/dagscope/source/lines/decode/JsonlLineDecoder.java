package io.dagscope.source.lines.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
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
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/**
 * Decodes one line of an orchestrator log (EVENTS.md) into an {@link Event}, an ignored event, or a reason to skip
 * it, with Jackson's streaming parser over the line's bytes.
 *
 * <p>Use it like a cursor: {@link #decode(byte[], int, int)} returns the {@link LineOutcome}, and the accessors
 * return what the last line gave ({@link #event()}, {@link #timestampMicros()}, {@link #eventName()},
 * {@link #skipReason()}). That way a line costs no result object.
 *
 * <p>The rules, in the order they are applied to a line (without its {@code \n}):
 * <ol>
 *   <li>a trailing {@code \r} and a leading UTF-8 byte-order mark are dropped;</li>
 *   <li>longer than the line limit: {@link SkipReason#TOO_LONG};</li>
 *   <li>only JSON whitespace: {@link LineOutcome#BLANK};</li>
 *   <li>not well-formed UTF-8: {@link SkipReason#INVALID_UTF8};</li>
 *   <li>not JSON ({@code NaN} and {@code Infinity}, which Python writes, are accepted), or more than one value:
 *       {@link SkipReason#NOT_JSON}; JSON but not an object: {@link SkipReason#NOT_OBJECT};</li>
 *   <li>no {@code timestamp} ({@link SkipReason#MISSING_TIMESTAMP}), or one that is not an ISO-8601 string
 *       {@link Timestamps} parses ({@link SkipReason#BAD_TIMESTAMP}), or one the {@link TimestampLimits} do not
 *       believe: before 2000 ({@link SkipReason#EARLY_TIMESTAMP}) or too far ahead of now
 *       ({@link SkipReason#FUTURE_TIMESTAMP}); no {@code event} ({@link SkipReason#MISSING_EVENT});</li>
 *   <li>a known event without the field that places it ({@code dag_name} on runner events, {@code task_id} on task
 *       events and {@code checkpoint_pending}, {@code schedule_id} on {@code schedule_enqueued},
 *       {@code run_started} and {@code run_finished}): {@link SkipReason#MISSING_FIELD};</li>
 *   <li>a known event with a number outside the range {@link EventBounds} gives its field ({@code task_count},
 *       {@code attempt}, {@code tasks_succeeded}, {@code tasks_failed}: 0 to a million; {@code duration_seconds}:
 *       minus a day to 366 days): {@link SkipReason#OUT_OF_RANGE}; a {@code schedule_enqueued} whose {@code minute}
 *       the limits do not believe: {@link SkipReason#EARLY_TIMESTAMP} or {@link SkipReason#FUTURE_TIMESTAMP};</li>
 *   <li>an unknown {@code event}: {@link LineOutcome#IGNORED}; otherwise {@link LineOutcome#EVENT}.</li>
 * </ol>
 *
 * <p>Fields may come in any order; unknown fields are skipped, whatever their value. A field given twice keeps its
 * last value. Values are read leniently: JSON {@code null} is absent; an integer field takes an integral number, an
 * integral float or a numeric string (any other value is absent); a decimal field takes a number or a numeric string,
 * and a non-finite value is absent; a text field given a number or a boolean takes its text, and given an object or an
 * array is absent. Fields the line's event does not use are not checked.
 *
 * <p>Repeated short texts (DAG names, task ids, tenants, schedule ids, DAG paths, statuses, run and checkpoint ids)
 * come from small per-decoder caches, so a long log does not hold millions of copies of them; error texts are not
 * cached. Not thread-safe: give each reading thread its own decoder.
 */
public final class JsonlLineDecoder {

    /** Thread-safe and shared: its field-name table is what makes names cheap for every decoder. */
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // the line limit bounds a line; Jackson's own 20 M-character cap on a string must not be a second one
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private static final int ABSENT = 0;
    private static final int VALID = 1;
    private static final int BAD = 2;

    private final int maxLineBytes;
    private final TimestampLimits limits;
    /** The limits' latest timestamp when last read: the clock is read again only for a line stamped later. */
    private long latestBelieved = Long.MIN_VALUE;
    private final StringCache names = new StringCache(1024, 256);
    private final StringCache ids = new StringCache(512, 128);
    private final AsciiCache asciiNames = new AsciiCache(1024, 256);
    private final AsciiCache asciiIds = new AsciiCache(512, 128);
    private final FlatLine flat = new FlatLine();
    private final io.dagscope.core.time.TimestampParser timestamps = new io.dagscope.core.time.TimestampParser();
    private final boolean fastPath;
    private char[] scratch = new char[64];

    private LineOutcome outcome;
    private Event event;
    private SkipReason skipReason;

    private int timestampState;
    private long timestamp;
    private String eventName;
    private String dagName;
    private String dagRunId;
    private String tenant;
    private String taskId;
    private String error;
    private String checkpointId;
    private String approvedBy;
    private String scheduleId;
    private String dagPath;
    private String status;
    /** Integer fields, as read (any integral value, so that one out of range is told from an absent one): NaN absent. */
    private double taskCount;
    private double attempt;
    private double tasksSucceeded;
    private double tasksFailed;
    private Double durationSeconds;
    private Long minute;
    private Long lastMinute;

    /**
     * A decoder that believes timestamps up to the default skew ahead of the system clock.
     *
     * @param maxLineBytes lines longer than this, in bytes without their line ending, are skipped as too long
     */
    public JsonlLineDecoder(int maxLineBytes) {
        this(maxLineBytes, TimestampLimits.of(Clock.systemUTC()), true);
    }

    /**
     * @param maxLineBytes lines longer than this, in bytes without their line ending, are skipped as too long
     * @param limits which timestamps to believe (a source passes its context's)
     */
    public JsonlLineDecoder(int maxLineBytes, TimestampLimits limits) {
        this(maxLineBytes, limits, true);
    }

    /**
     * @param maxLineBytes lines longer than this are skipped as too long
     * @param fastPath whether flat ASCII lines may be read by {@link FlatLine} instead of Jackson (tests turn it off
     *     to hold both readings to the same answers)
     */
    JsonlLineDecoder(int maxLineBytes, boolean fastPath) {
        this(maxLineBytes, TimestampLimits.of(Clock.systemUTC()), fastPath);
    }

    /**
     * @param maxLineBytes lines longer than this are skipped as too long
     * @param limits which timestamps to believe
     * @param fastPath whether flat ASCII lines may be read by {@link FlatLine} instead of Jackson
     */
    JsonlLineDecoder(int maxLineBytes, TimestampLimits limits, boolean fastPath) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fastPath = fastPath;
    }

    /** @return the line limit in bytes */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Decodes a whole array as one line.
     *
     * @param line the line's bytes, without its {@code \n}
     * @return what the line is
     */
    public LineOutcome decode(byte[] line) {
        return decode(line, 0, line.length);
    }

    /**
     * Decodes one line. The bytes are read during the call only.
     *
     * @param buf a buffer holding the line
     * @param off where the line starts
     * @param len its length, without its {@code \n} (a trailing {@code \r} is dropped here)
     * @return what the line is; the accessors return the details until the next call
     */
    public LineOutcome decode(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        reset();
        int end = off + len;
        if (end > off && buf[end - 1] == '\r') {
            end--;
        }
        if (end - off >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB && buf[off + 2] == (byte) 0xBF) {
            off += 3;
        }
        len = end - off;
        if (len > maxLineBytes) {
            return skip(SkipReason.TOO_LONG);
        }
        if (isBlank(buf, off, end)) {
            return outcome = LineOutcome.BLANK;
        }
        if (fastPath && flat.parse(buf, off, end)) {
            // every byte was ASCII, so the line is well-formed UTF-8 too
            for (int f = 0; f < flat.fields; f++) {
                readFlatField(buf, f);
            }
            return classify();
        }
        if (!Utf8.isWellFormed(buf, off, len)) {
            return skip(SkipReason.INVALID_UTF8);
        }
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return skip(p.nextToken() == null ? SkipReason.NOT_OBJECT : SkipReason.NOT_JSON);
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                readField(p, field, p.nextToken());
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return skip(SkipReason.NOT_JSON);
            }
        } catch (IOException e) {
            return skip(SkipReason.NOT_JSON);
        }
        return classify();
    }

    /**
     * @return the event of the last line
     * @throws IllegalStateException if the last line was not {@link LineOutcome#EVENT}
     */
    public Event event() {
        require(outcome == LineOutcome.EVENT, "an event");
        return event;
    }

    /**
     * @return the timestamp of the last line, in epoch microseconds
     * @throws IllegalStateException if the last line was not {@link LineOutcome#EVENT} or {@link LineOutcome#IGNORED}
     */
    public long timestampMicros() {
        require(outcome == LineOutcome.EVENT || outcome == LineOutcome.IGNORED, "an event");
        return timestamp;
    }

    /**
     * @return the {@code event} value of the last line (e.g. {@code resume_token} for an ignored one)
     * @throws IllegalStateException if the last line was not {@link LineOutcome#EVENT} or {@link LineOutcome#IGNORED}
     */
    public String eventName() {
        require(outcome == LineOutcome.EVENT || outcome == LineOutcome.IGNORED, "an event");
        return eventName;
    }

    /**
     * @return why the last line was skipped
     * @throws IllegalStateException if the last line was not {@link LineOutcome#SKIPPED}
     */
    public SkipReason skipReason() {
        require(outcome == LineOutcome.SKIPPED, "skipped");
        return skipReason;
    }

    private void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("the last line was not " + what + " but " + outcome);
        }
    }

    private void reset() {
        outcome = null;
        event = null;
        skipReason = null;
        timestampState = ABSENT;
        timestamp = Timestamps.INVALID;
        eventName = null;
        dagName = null;
        dagRunId = null;
        tenant = null;
        taskId = null;
        error = null;
        checkpointId = null;
        approvedBy = null;
        scheduleId = null;
        dagPath = null;
        status = null;
        taskCount = Double.NaN;
        attempt = Double.NaN;
        tasksSucceeded = Double.NaN;
        tasksFailed = Double.NaN;
        durationSeconds = null;
        minute = null;
    }

    private static boolean isBlank(byte[] buf, int off, int end) {
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' && b != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private void readField(JsonParser p, String field, JsonToken value) throws IOException {
        switch (field) {
            case "timestamp" -> readTimestamp(p, value);
            case "event" -> eventName = text(p, value, names);
            case "dag_name" -> dagName = text(p, value, names);
            case "dag_run_id" -> dagRunId = text(p, value, ids);
            case "tenant" -> tenant = text(p, value, names);
            case "task_id" -> taskId = text(p, value, names);
            case "task_count" -> taskCount = integral(p, value);
            case "attempt" -> attempt = integral(p, value);
            case "error" -> error = text(p, value, null);
            case "tasks_succeeded" -> tasksSucceeded = integral(p, value);
            case "tasks_failed" -> tasksFailed = integral(p, value);
            case "duration_seconds" -> durationSeconds = decimal(p, value);
            case "checkpoint_id" -> checkpointId = text(p, value, ids);
            case "approved_by" -> approvedBy = text(p, value, names);
            case "schedule_id" -> scheduleId = text(p, value, names);
            case "dag_path" -> dagPath = text(p, value, names);
            case "minute" -> minute = minute(p, value);
            case "status" -> status = text(p, value, names);
            default -> p.skipChildren();
        }
    }

    /** The key names the fast path recognises, as bytes. */
    private static final byte[][] KEYS = keys("timestamp", "event", "dag_name", "dag_run_id", "tenant", "task_id",
            "task_count", "attempt", "error", "tasks_succeeded", "tasks_failed", "duration_seconds", "checkpoint_id",
            "approved_by", "schedule_id", "dag_path", "minute", "status");

    private static byte[][] keys(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return out;
    }

    /** For each key length, the indexes of {@link #KEYS} of that length. */
    private static final int[][] KEYS_BY_LENGTH = keysByLength();

    private static int[][] keysByLength() {
        int max = 0;
        for (byte[] k : KEYS) {
            max = Math.max(max, k.length);
        }
        int[][] out = new int[max + 1][];
        for (int len = 0; len <= max; len++) {
            int n = 0;
            for (byte[] k : KEYS) {
                n += k.length == len ? 1 : 0;
            }
            out[len] = new int[n];
            n = 0;
            for (int i = 0; i < KEYS.length; i++) {
                if (KEYS[i].length == len) {
                    out[len][n++] = i;
                }
            }
        }
        return out;
    }

    private static int keyIndex(byte[] b, int start, int end) {
        int len = end - start;
        if (len >= KEYS_BY_LENGTH.length) {
            return -1;
        }
        for (int k : KEYS_BY_LENGTH[len]) {
            byte[] key = KEYS[k];
            int i = 0;
            while (i < len && key[i] == b[start + i]) {
                i++;
            }
            if (i == len) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Reads one field of a flat line with exactly the meaning {@link #readField} gives the same value through
     * Jackson.
     */
    private void readFlatField(byte[] b, int f) {
        int key = keyIndex(b, flat.keyStart[f], flat.keyEnd[f]);
        if (key < 0) {
            return;
        }
        byte kind = flat.kind[f];
        int s = flat.valueStart[f];
        int e = flat.valueEnd[f];
        switch (key) {
            case 0 -> {
                if (kind == FlatLine.NULL) {
                    timestampState = ABSENT;
                } else if (kind == FlatLine.STRING) {
                    timestamp = timestamps.parseMicros(b, s, e - s);
                    timestampState = timestamp == Timestamps.INVALID ? BAD : VALID;
                } else {
                    timestampState = BAD;
                }
            }
            case 1 -> eventName = flatText(b, s, e, kind, asciiNames);
            case 2 -> dagName = flatText(b, s, e, kind, asciiNames);
            case 3 -> dagRunId = flatText(b, s, e, kind, asciiIds);
            case 4 -> tenant = flatText(b, s, e, kind, asciiNames);
            case 5 -> taskId = flatText(b, s, e, kind, asciiNames);
            case 6 -> taskCount = flatIntegral(b, s, e, kind);
            case 7 -> attempt = flatIntegral(b, s, e, kind);
            case 8 -> error = flatText(b, s, e, kind, null);
            case 9 -> tasksSucceeded = flatIntegral(b, s, e, kind);
            case 10 -> tasksFailed = flatIntegral(b, s, e, kind);
            case 11 -> durationSeconds = flatDecimal(b, s, e, kind);
            case 12 -> checkpointId = flatText(b, s, e, kind, asciiIds);
            case 13 -> approvedBy = flatText(b, s, e, kind, asciiNames);
            case 14 -> scheduleId = flatText(b, s, e, kind, asciiNames);
            case 15 -> dagPath = flatText(b, s, e, kind, asciiNames);
            case 16 -> minute = kind == FlatLine.STRING ? minuteOf(Timestamps.parseMicros(b, s, e - s))
                    : null;
            case 17 -> status = flatText(b, s, e, kind, asciiNames);
            default -> throw new IllegalStateException("key " + key);
        }
    }

    /** The bytes of an ASCII value as chars, in a scratch buffer. */
    private char[] chars(byte[] b, int s, int e) {
        int len = e - s;
        if (scratch.length < len) {
            scratch = new char[Math.max(len, scratch.length * 2)];
        }
        for (int i = 0; i < len; i++) {
            scratch[i] = (char) b[s + i];
        }
        return scratch;
    }

    private static String flatText(byte[] b, int s, int e, byte kind, AsciiCache cache) {
        if (kind == FlatLine.NULL) {
            return null;
        }
        return cache == null ? new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1)
                : cache.get(b, s, e);
    }

    private double flatIntegral(byte[] b, int s, int e, byte kind) {
        return switch (kind) {
            // the nearest double, as Jackson's: exact for every value a range check must tell apart
            case FlatLine.INTEGER, FlatLine.DECIMAL -> NumericText.integral(Decimals.parse(b, s, e));
            case FlatLine.STRING -> NumericText.parseIntegral(chars(b, s, e), 0, e - s);
            default -> Double.NaN;
        };
    }

    private Double flatDecimal(byte[] b, int s, int e, byte kind) {
        return switch (kind) {
            // Jackson reads an integer literal as an integer first, so "-0" is 0.0, not -0.0
            case FlatLine.INTEGER -> finite(Decimals.parse(b, s, e) + 0.0);
            case FlatLine.DECIMAL -> finite(Decimals.parse(b, s, e));
            case FlatLine.STRING -> NumericText.parseDecimal(chars(b, s, e), 0, e - s);
            default -> null;
        };
    }

    private Long minuteOf(long micros) {
        if (micros == Timestamps.INVALID) {
            return null;
        }
        long m = Timestamps.minuteOf(micros);
        if (lastMinute == null || lastMinute != m) {
            lastMinute = m;
        }
        return lastMinute;
    }

    private void readTimestamp(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            timestampState = ABSENT;
            return;
        }
        if (value == JsonToken.VALUE_STRING) {
            timestamp = Timestamps.parseMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            timestampState = timestamp == Timestamps.INVALID ? BAD : VALID;
            return;
        }
        p.skipChildren();
        timestampState = BAD;
    }

    /** A text value; a scalar's text, null for null, an object or an array. */
    private static String text(JsonParser p, JsonToken value, StringCache cache) throws IOException {
        return switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> cache == null
                    ? p.getText()
                    : cache.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            default -> skipped(p);
        };
    }

    /** An integral value of any size (so that the range check sees it), or NaN for anything else. */
    private static double integral(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NumericText.integral(p.getDoubleValue());
            case VALUE_STRING -> NumericText.parseIntegral(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            default -> {
                p.skipChildren();
                yield Double.NaN;
            }
        };
    }

    private static Double decimal(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> finite(p.getDoubleValue());
            case VALUE_STRING -> NumericText.parseDecimal(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            default -> skipped(p);
        };
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private Long minute(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            return skipped(p);
        }
        // consecutive enqueues share their cron minute: minuteOf shares its box too
        return minuteOf(Timestamps.parseMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
    }

    /** Skips an object's or array's contents (a no-op on a scalar) and gives the absent value. */
    private static <T> T skipped(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private LineOutcome classify() {
        if (timestampState == ABSENT) {
            return skip(SkipReason.MISSING_TIMESTAMP);
        }
        if (timestampState == BAD) {
            return skip(SkipReason.BAD_TIMESTAMP);
        }
        SkipReason unbelieved = unbelieved(timestamp);
        if (unbelieved != null) {
            return skip(unbelieved);
        }
        if (eventName == null) {
            return skip(SkipReason.MISSING_EVENT);
        }
        long ts = timestamp;
        return switch (eventName) {
            case "dag_start" -> dagName == null ? missingField() : !isCount(taskCount) ? outOfRange()
                    : event(new DagStart(ts, dagName, dagRunId, tenant, count(taskCount)));
            case "task_start" -> dagName == null || taskId == null ? missingField()
                    : event(new TaskStart(ts, dagName, dagRunId, taskId));
            case "task_retry" -> dagName == null || taskId == null ? missingField() : !isCount(attempt) ? outOfRange()
                    : event(new TaskRetry(ts, dagName, dagRunId, taskId, count(attempt), error));
            case "task_ok" -> dagName == null || taskId == null ? missingField() : !isCount(attempt) ? outOfRange()
                    : event(new TaskOk(ts, dagName, dagRunId, taskId, count(attempt)));
            case "task_fail" -> dagName == null || taskId == null ? missingField()
                    : event(new TaskFail(ts, dagName, dagRunId, taskId, error));
            case "dag_done" -> dagName == null ? missingField()
                    : !isCount(tasksSucceeded) || !isCount(tasksFailed) || !isDuration(durationSeconds) ? outOfRange()
                    : event(new DagDone(ts, dagName, dagRunId, tenant, count(tasksSucceeded), count(tasksFailed),
                            durationSeconds));
            case "checkpoint_pending" -> dagName == null || taskId == null ? missingField()
                    : event(new CheckpointPending(ts, dagName, dagRunId, taskId, checkpointId));
            case "checkpoint_approved" -> dagName == null ? missingField()
                    : event(new CheckpointApproved(ts, dagName, dagRunId, checkpointId, approvedBy));
            case "schedule_enqueued" -> scheduleId == null ? missingField() : scheduleEnqueued(ts);
            case "run_started" -> scheduleId == null ? missingField()
                    : event(new RunStarted(ts, scheduleId, dagPath, tenant));
            case "run_finished" -> scheduleId == null ? missingField() : !isDuration(durationSeconds) ? outOfRange()
                    : event(new RunFinished(ts, scheduleId, dagPath, tenant, status, error, durationSeconds));
            case "checkpoint_expired" -> event(new CheckpointExpired(ts, checkpointId, dagRunId, taskId));
            default -> outcome = LineOutcome.IGNORED;
        };
    }

    private LineOutcome scheduleEnqueued(long ts) {
        if (minute != null) {
            // the minute's first instant (kept from overflowing: a minute that far back is early whatever it is)
            SkipReason unbelieved = unbelieved(Math.max(minute, Long.MIN_VALUE / Timestamps.MICROS_PER_MINUTE)
                    * Timestamps.MICROS_PER_MINUTE);
            if (unbelieved != null) {
                return skip(unbelieved);
            }
        }
        return event(new ScheduleEnqueued(ts, scheduleId, dagPath, tenant, minute));
    }

    /**
     * Why a timestamp is not believed: before the limits' earliest, or after their latest (the clock is read again
     * only when a timestamp passes the latest seen so far, so a log read in order reads it about once a line that
     * moves past it, not once a line).
     *
     * @return the reason, or null when it is believed
     */
    private SkipReason unbelieved(long micros) {
        if (micros < limits.earliestMicros()) {
            return SkipReason.EARLY_TIMESTAMP;
        }
        if (micros > latestBelieved) {
            latestBelieved = limits.latestMicros();
            if (micros > latestBelieved) {
                return SkipReason.FUTURE_TIMESTAMP;
            }
        }
        return null;
    }

    /** Whether an integer field read as {@code value} (NaN when absent) may go into an event. */
    private static boolean isCount(double value) {
        return Double.isNaN(value) || EventBounds.isCount(value);
    }

    private static Integer count(double value) {
        return Double.isNaN(value) ? null : (int) value;
    }

    private static boolean isDuration(Double seconds) {
        return seconds == null || EventBounds.isDuration(seconds);
    }

    private LineOutcome outOfRange() {
        return skip(SkipReason.OUT_OF_RANGE);
    }

    private LineOutcome event(Event decoded) {
        event = decoded;
        return outcome = LineOutcome.EVENT;
    }

    private LineOutcome missingField() {
        return skip(SkipReason.MISSING_FIELD);
    }

    private LineOutcome skip(SkipReason reason) {
        skipReason = reason;
        return outcome = LineOutcome.SKIPPED;
    }
}
