package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where two JSON answers differ, exactly: every value must be equal (numbers by value, so {@code 1.50} equals
 * {@code 1.5}), every object must have the same fields, every array the same length and order. For answers both
 * computed by dagscope, where no tolerance applies (compare {@link AnswerComparison}, which allows a sketch's error
 * against DuckDB's exact figures).
 */
final class JsonDifferences {

    /** The most differences listed for one answer; beyond, one line says how many more there are. */
    static final int MAX_LISTED = 20;

    private final String actualName;
    private final String referenceName;
    private final List<String> found = new ArrayList<>();
    private int more;

    private JsonDifferences(String actualName, String referenceName) {
        this.actualName = actualName;
        this.referenceName = referenceName;
    }

    /**
     * The differences between two answers.
     *
     * @param at the name of the whole (a path prefix, e.g. the document's label)
     * @param actual the answer under test
     * @param reference the answer it must equal
     * @param actualName how a difference names the first
     * @param referenceName how it names the second
     * @return one line per difference ({@code at.data.x[2].y: server 3, one-shot 4}); empty when they are equal
     */
    static List<String> of(String at, JsonNode actual, JsonNode reference, String actualName, String referenceName) {
        JsonDifferences d = new JsonDifferences(actualName, referenceName);
        d.compare(at, actual, reference);
        if (d.more > 0) {
            d.found.add(at + ": ... and " + d.more + " more differences");
        }
        return List.copyOf(d.found);
    }

    private void compare(String at, JsonNode a, JsonNode r) {
        boolean aMissing = a == null || a.isMissingNode();
        boolean rMissing = r == null || r.isMissingNode();
        if (aMissing || rMissing) {
            if (aMissing != rMissing) {
                differ(at, aMissing ? "(absent)" : text(a), rMissing ? "(absent)" : text(r));
            }
            return;
        }
        if (a.isNumber() && r.isNumber()) {
            if (a.decimalValue().compareTo(r.decimalValue()) != 0) {
                differ(at, text(a), text(r));
            }
        } else if (a.isObject() && r.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            r.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(at + "." + name, a.get(name), r.get(name));
            }
        } else if (a.isArray() && r.isArray()) {
            if (a.size() != r.size()) {
                differ(at, a.size() + " items", r.size() + " items");
            }
            Iterator<JsonNode> x = a.elements();
            Iterator<JsonNode> y = r.elements();
            for (int i = 0; x.hasNext() && y.hasNext(); i++) {
                compare(at + "[" + i + "]", x.next(), y.next());
            }
        } else if (!a.equals(r)) {
            differ(at, text(a), text(r));
        }
    }

    private static String text(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private void differ(String at, String a, String r) {
        if (found.size() >= MAX_LISTED) {
            more++;
            return;
        }
        found.add(at + ": " + actualName + " " + a + ", " + referenceName + " " + r);
    }
}
