package io.dagscope.source.lines.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.core.event.Event;
import io.dagscope.spi.SkipReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of the line decoder (docs/fuzzing.md). Under {@code mvn verify} they run on the inputs in
 * {@code JsonlLineDecoderFuzzTestInputs/<method>/} (sample lines, the quirks of EVENTS.md, extreme numbers and
 * timestamps, invalid UTF-8, deep nesting, long lines); {@code scripts/fuzz} lets Jazzer search for more.
 *
 * <p>The properties compare answers, never today's list of skip reasons: whatever the decoder decides about a line,
 * the fast path and Jackson decide the same, and the same with other lines around it.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JsonlLineDecoderFuzzTest {

    /** A line limit small enough that fuzzed lines cross it; the real limit is exercised as well. */
    private static final int SMALL_LIMIT = 200;

    /** One valid line of every event, the ignored one, and lines that set the decoder's caches. */
    private static final List<byte[]> NEIGHBOURS = lines(
            "{\"timestamp\": \"2025-10-20T13:55:00.353948+00:00\", \"event\": \"dag_start\", \"dag_name\": "
                    + "\"weekly_ops_chain\", \"dag_run_id\": \"40471680-d501-4b6a-8ef2-edfa921cdb4b\", \"tenant\": "
                    + "\"local-dev\", \"task_count\": 3}",
            "{\"timestamp\": \"2025-10-20T13:55:00.354530+00:00\", \"event\": \"task_start\", \"dag_name\": "
                    + "\"ops_sync\", \"dag_run_id\": \"080a7557-2ad1-41ca-9194-c60903062bc8\", \"task_id\": "
                    + "\"fetch_accounts\", \"workflow_ref\": \"crm_fetch\"}",
            "{\"timestamp\": \"2025-10-20T13:55:02.453756+00:00\", \"event\": \"task_retry\", \"dag_name\": "
                    + "\"ops_sync\", \"dag_run_id\": \"080a7557-2ad1-41ca-9194-c60903062bc8\", \"task_id\": "
                    + "\"fetch_accounts\", \"attempt\": 1, \"error\": \"Connection refused\"}",
            "{\"timestamp\": \"2025-10-20T15:30:05.727819\", \"event\": \"task_fail\", \"dag_name\": \"ops_sync\", "
                    + "\"task_id\": \"dedupe\", \"error\": \"'thread_id'\"}",
            "{\"timestamp\": \"2025-10-20T13:55:18.073179+00:00\", \"event\": \"dag_done\", \"dag_name\": "
                    + "\"ops_sync\", \"dag_run_id\": \"080a7557-2ad1-41ca-9194-c60903062bc8\", \"tenant\": "
                    + "\"acme-corp\", \"tasks_succeeded\": 5, \"tasks_failed\": 0, \"duration_seconds\": 17.718717}",
            "{\"event\": \"schedule_enqueued\", \"schedule_id\": \"weekly_ops_chain\", \"dag_path\": "
                    + "\"configs/dags/weekly_ops_chain.min.yaml\", \"tenant\": \"local-dev\", \"minute\": "
                    + "\"2025-10-20 13:55\", \"timestamp\": \"2025-10-20T13:55:00.350541+00:00\"}",
            "{\"event\": \"run_finished\", \"schedule_id\": \"acme_ops_sync\", \"dag_path\": "
                    + "\"configs/dags/ops_sync.yaml\", \"tenant\": \"acme-corp\", \"status\": \"success\", "
                    + "\"duration_seconds\": 17.718717, \"timestamp\": \"2025-10-20T13:55:18.073627+00:00\"}",
            "{\"event\": \"checkpoint_approved\", \"checkpoint_id\": \"8862b8a2_finance_signoff\", \"dag_run_id\": "
                    + "\"8862b8a2\", \"dag_name\": \"invoice\", \"approved_by\": \"Operator\", \"inputs\": "
                    + "{\"a\": [1, {\"b\": null}]}, \"timestamp\": \"2025-10-20T15:29:42.562969Z\"}",
            "{\"event\": \"resume_token\", \"dag_run_id\": \"b92374f5\", \"tenant\": \"acme-corp\", \"timestamp\": "
                    + "\"2025-10-20T14:17:18.846008+00:00\"}",
            "{\"timestamp\": \"2025-10-20T13:56:00+00:00\", \"event\": \"dag_start\", \"dag_name\": \"caf\u00e9\", "
                    + "\"tenant\": \"\u00e9t\u00e9\", \"task_count\": \"4\"}");

    /** What each neighbour gives alone, to a fresh decoder, on each path. */
    private static final List<Answer> NEIGHBOURS_ALONE_FAST = alone(true);
    private static final List<Answer> NEIGHBOURS_ALONE_JACKSON = alone(false);

    private static List<Answer> alone(boolean fastPath) {
        List<Answer> out = new ArrayList<>();
        for (byte[] neighbour : NEIGHBOURS) {
            out.add(Answer.of(new JsonlLineDecoder(1 << 20, fastPath), neighbour));
        }
        return List.copyOf(out);
    }

    private static List<byte[]> lines(String... lines) {
        List<byte[]> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return List.copyOf(out);
    }

    /** Everything a decoder says about one line, through its public accessors only. */
    private record Answer(LineOutcome outcome, Event event, Long timestampMicros, String eventName,
            SkipReason skipReason) {

        static Answer of(JsonlLineDecoder decoder, byte[] buf, int off, int len) {
            LineOutcome outcome = decoder.decode(buf, off, len);
            return switch (outcome) {
                case EVENT -> new Answer(outcome, decoder.event(), decoder.timestampMicros(), decoder.eventName(),
                        null);
                case IGNORED -> new Answer(outcome, null, decoder.timestampMicros(), decoder.eventName(), null);
                case SKIPPED -> new Answer(outcome, null, null, null, decoder.skipReason());
                case BLANK -> new Answer(outcome, null, null, null, null);
            };
        }

        static Answer of(JsonlLineDecoder decoder, byte[] line) {
            return of(decoder, line, 0, line.length);
        }
    }

    /**
     * Any bytes as one line: the fast path and Jackson give the same outcome, event, timestamp, event name and skip
     * reason, with the real line limit and with a small one; and the line read in the middle of a larger buffer is
     * read as the line alone.
     */
    @FuzzTest
    void fastPathAndJacksonAgree(byte[] line) {
        for (int limit : new int[] {1 << 20, SMALL_LIMIT}) {
            Answer jackson = Answer.of(new JsonlLineDecoder(limit, false), line);
            Answer fast = Answer.of(new JsonlLineDecoder(limit, true), line);
            assertEquals(jackson, fast, () -> describe(line));

            byte[] framed = new byte[line.length + 6];
            framed[0] = '{';
            framed[1] = '"';
            framed[2] = 'x';
            System.arraycopy(line, 0, framed, 3, line.length);
            framed[framed.length - 3] = '"';
            framed[framed.length - 2] = '}';
            framed[framed.length - 1] = '\n';
            assertEquals(fast, Answer.of(new JsonlLineDecoder(limit, true), framed, 3, line.length),
                    () -> "in place: " + describe(line));
        }
    }

    /**
     * A fuzzed line among valid ones of every kind changes nothing about them, and is read as it is read alone: no
     * state (string caches, the timestamp parser's remembered minute, the last {@code minute} box, the scratch
     * buffer) carries an answer from one line to another, on either path.
     */
    @FuzzTest
    void aLineChangesNoOtherLinesAnswer(byte[] line) {
        for (boolean fastPath : new boolean[] {true, false}) {
            List<Answer> alone = fastPath ? NEIGHBOURS_ALONE_FAST : NEIGHBOURS_ALONE_JACKSON;
            Answer fuzzedAlone = Answer.of(new JsonlLineDecoder(1 << 20, fastPath), line);

            JsonlLineDecoder shared = new JsonlLineDecoder(1 << 20, fastPath);
            for (int i = 0; i < NEIGHBOURS.size(); i++) {
                assertEquals(alone.get(i), Answer.of(shared, NEIGHBOURS.get(i)), "before, fast path " + fastPath);
            }
            assertEquals(fuzzedAlone, Answer.of(shared, line), () -> "after the others: " + describe(line));
            for (int i = NEIGHBOURS.size() - 1; i >= 0; i--) {
                int n = i;
                assertEquals(alone.get(i), Answer.of(shared, NEIGHBOURS.get(i)),
                        () -> "line " + n + " after " + describe(line));
            }
            assertEquals(fuzzedAlone, Answer.of(shared, line), () -> "again: " + describe(line));
        }
    }

    private static String describe(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "... (" + line.length + " bytes)" : text;
    }
}
