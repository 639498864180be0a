package io.dagscope.server.http;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Removes secrets (source options marked secret) from text the server shows: health details, metrics labels and log
 * lines. Sources mask their own locations; this is the second line, for messages that quote a secret anyway.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * @param secrets the secret values; blank ones and ones shorter than 4 characters are ignored (masking every
     *     {@code a} would ruin every message and protect nothing)
     * @return a redactor of those values, longest first so that a secret containing another is masked whole
     */
    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets.stream().filter(s -> s != null && s.strip().length() >= 4).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** @return a redactor with nothing to hide */
    public static Redactor none() {
        return new Redactor(List.of());
    }

    /**
     * @param json UTF-8 JSON
     * @return the same with every secret, as JSON writes it, replaced by {@link #MASK}; the same array when there is
     *     nothing to hide
     */
    public byte[] redact(byte[] json) {
        if (secrets.isEmpty()) {
            return json;
        }
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        String out = redact(text);
        for (String s : secrets) {
            String escaped = s.replace("\\", "\\\\").replace("\"", "\\\"");
            out = out.replace(escaped, MASK);
        }
        return out.equals(text) ? json : out.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @param text any text, or null
     * @return the text with every secret replaced by {@link #MASK}; null for null
     */
    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}
