package io.dagscope.source.s3;

import io.dagscope.core.event.DagStart;
import io.dagscope.core.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic runner lines whose run ids say where they came from ({@code o3-l17}: object 3, line 17), so a test can
 * tell the order and the multiplicity of what a source delivered.
 */
final class Runs {

    private static final Instant START = Instant.parse("2025-10-21T00:00:00Z");

    private Runs() {
    }

    /** @return the run id of a line */
    static String id(int object, int line) {
        return "o" + object + "-l" + line;
    }

    /** @return {@code lines} dag_start lines of one object, each ending in a newline */
    static String lines(int object, int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(line(object, i)).append('\n');
        }
        return sb.toString();
    }

    static String line(int object, int line) {
        Instant t = START.plusSeconds(object * 3600L + line);
        return "{\"timestamp\":\"" + t + "\",\"event\":\"dag_start\",\"dag_name\":\"etl\",\"tenant\":\"acme\","
                + "\"task_count\":3,\"dag_run_id\":\"" + id(object, line) + "\"}";
    }

    /** @return the run ids of objects {@code from..to-1}, {@code lines} each, in order */
    static List<String> ids(int from, int to, int lines) {
        List<String> out = new ArrayList<>();
        for (int o = from; o < to; o++) {
            for (int l = 0; l < lines; l++) {
                out.add(id(o, l));
            }
        }
        return out;
    }

    /** @return the run ids of delivered events, in delivery order */
    static List<String> idsOf(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(((DagStart) e).dagRunId());
        }
        return out;
    }
}
