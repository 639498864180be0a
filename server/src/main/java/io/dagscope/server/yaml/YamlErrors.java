package io.dagscope.server.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML parser's error told for a user: the line, and the parser's words without the excerpt of the file that it
 * quotes (the excerpt may hold a secret: a source option's value, a token's hash). Shared by the config file and the
 * token file.
 */
public final class YamlErrors {

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private YamlErrors() {
    }

    /**
     * A problem at a line of a YAML file.
     *
     * @param line the line (1-based), or 0 when not known
     * @param message what is wrong, quoting nothing of the file, e.g. {@code not valid YAML: ... (column 3)}
     */
    public record Problem(int line, String message) {
    }

    /**
     * Tells a parse error.
     *
     * @param e the parser's exception
     * @param where where the parser stopped, for an error that names no place itself (e.g. nesting too deep); may
     *     be null
     * @return the line and a message without any of the file's text
     */
    public static Problem describe(JsonProcessingException e, JsonLocation where) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> words = new ArrayList<>();
        int line = 0;
        String column = null;
        for (String part : message.split("\\R")) {
            Matcher m = POSITION.matcher(part);
            if (m.find()) {
                line = Integer.parseInt(m.group(1));
                column = m.group(2);
                continue;
            }
            if (!part.isBlank() && !Character.isWhitespace(part.charAt(0))) {
                words.add(part.strip());
            }
        }
        for (JsonLocation location : new JsonLocation[] {e.getLocation(), where}) {
            if (line == 0 && location != null && location.getLineNr() > 0) {
                line = location.getLineNr();
                column = String.valueOf(location.getColumnNr());
            }
        }
        String what = words.isEmpty() ? "not valid YAML" : "not valid YAML: " + String.join(": ", words);
        return new Problem(line, column == null ? what : what + " (column " + column + ")");
    }
}
