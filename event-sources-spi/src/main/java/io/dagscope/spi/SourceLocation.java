package io.dagscope.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A source location as a user writes it.
 *
 * <p>{@code scheme://target?key=value&...} picks the factory named {@code scheme} and may carry options; anything
 * without {@code ://} is a path or glob for the local JSONL source, taken as it is (so {@code ?} stays a glob
 * character and {@code :} may appear in file names).
 *
 * @param scheme the factory's name or alias
 * @param target the part after {@code scheme://}, without options; for a bare path, the path
 * @param options the options carried in the location, in order
 */
public record SourceLocation(String scheme, String target, Map<String, String> options) {

    /** The scheme a bare path or glob means. */
    public static final String DEFAULT_SCHEME = "jsonl";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    public SourceLocation {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(target, "target");
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses a location.
     *
     * @param text the location
     * @return the parsed location
     * @throws SourceConfigurationException if it is empty or its scheme or options are malformed
     */
    public static SourceLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SourceConfigurationException("a source location cannot be empty");
        }
        int sep = text.indexOf("://");
        if (sep < 0) {
            return new SourceLocation(DEFAULT_SCHEME, text, Map.of());
        }
        String scheme = text.substring(0, sep);
        if (!SCHEME.matcher(scheme).matches()) {
            // "C:/x://y" or "my dir://" is still a path, not a scheme
            return new SourceLocation(DEFAULT_SCHEME, text, Map.of());
        }
        String rest = text.substring(sep + 3);
        int q = rest.indexOf('?');
        String target = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> options = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), text);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), text);
                if (key.isEmpty()) {
                    throw new SourceConfigurationException("an option without a name in location " + text);
                }
                if (options.put(key, value) != null) {
                    throw new SourceConfigurationException("option '" + key + "' is given twice");
                }
            }
        }
        return new SourceLocation(scheme.toLowerCase(java.util.Locale.ROOT), target, options);
    }

    private static String decode(String s, String whole) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SourceConfigurationException("malformed %-escape in a source location's options", e);
        }
    }

    /**
     * The location as text, with the values of secret options masked.
     *
     * @param secretOptionNames options whose values must not be shown
     * @return e.g. {@code s3://bucket/prefix?region=eu-west-1&secret_key=****}
     */
    public String display(Set<String> secretOptionNames) {
        if (options.isEmpty() && DEFAULT_SCHEME.equals(scheme) && !target.contains("://")) {
            return target;
        }
        StringBuilder sb = new StringBuilder(scheme).append("://").append(target);
        char join = '?';
        for (Map.Entry<String, String> e : options.entrySet()) {
            sb.append(join).append(e.getKey()).append('=')
                    .append(secretOptionNames.contains(e.getKey()) ? "****" : e.getValue());
            join = '&';
        }
        return sb.toString();
    }
}
