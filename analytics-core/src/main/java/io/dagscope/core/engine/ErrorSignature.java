package io.dagscope.core.engine;

import java.util.regex.Pattern;

/**
 * The signature of an error message: the message with what varies between occurrences of one failure (numbers,
 * ids, hex addresses, quoted values) normalised away, so failures group by kind.
 */
final class ErrorSignature {

    private static final int MAX_LENGTH = 300;

    private static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"");
    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b|\\b[0-9a-fA-F]{12,}\\b");
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_])[-+]?\\d+(?:[.,:]\\d+)*");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private ErrorSignature() {
    }

    static String of(String error) {
        if (error == null || error.isBlank()) {
            return "(no error message)";
        }
        String trimmed = error.strip();
        if (QUOTED.matcher(trimmed).matches()) {
            // the whole message is one quoted value, as Python's str(KeyError('thread_id')) is: the value is the kind
            return trimmed.length() > MAX_LENGTH ? trimmed.substring(0, MAX_LENGTH) + "…" : trimmed;
        }
        String s = QUOTED.matcher(error).replaceAll("<str>");
        s = UUID.matcher(s).replaceAll("<id>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        s = SPACE.matcher(s).replaceAll(" ").trim();
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "…" : s;
    }
}
