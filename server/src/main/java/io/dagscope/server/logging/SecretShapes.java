package io.dagscope.server.logging;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in a log line, whoever wrote it and whatever secrets were configured: bearer tokens,
 * {@code Authorization} headers, passwords in URLs, and the values of parameters and JSON members named like secrets
 * ({@code secret_key=}, {@code password=}, {@code X-Amz-Signature=}, {@code "token": "..."}). The server never knows a
 * caller's token in clear (the token file holds hashes), so a token can only be recognised by its shape.
 */
final class SecretShapes {

    /** What a secret is replaced with (as the server's {@code Redactor} does). */
    static final String MASK = "***";

    /** A name that holds a secret, bounded so that a long run of letters costs little to scan. */
    private static final String SECRET_NAME = "[A-Za-z0-9_.-]{0,40}(?:secret|password|passwd|token|signature"
            + "|credential|api[_-]?key|private[_-]?key)[A-Za-z0-9_.-]{0,40}";

    private record Shape(Pattern pattern, String replacement) {
    }

    private static final List<Shape> SHAPES = List.of(
            // Authorization: Bearer xyz, {"Authorization": "Bearer xyz"}
            new Shape(Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]+"), "$1" + MASK),
            // any other scheme's credentials in an Authorization header (Basic, AWS4-HMAC-SHA256 ...)
            new Shape(Pattern.compile("(?i)\\b(authorization[\"']?+\\s*+[:=]\\s*+[\"']?+)(?!bearer\\s|\\*\\*\\*)"
                    + "[^\"'\\r\\n]+"), "$1" + MASK),
            // scheme://user:password@host
            new Shape(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{0,30}://[^/\\s:@]{0,200}:)[^@\\s/]+@"),
                    "$1" + MASK + "@"),
            // ?secret_key=..., password=..., X-Amz-Signature=...
            new Shape(Pattern.compile("(?i)\\b(" + SECRET_NAME + "=)[^&\\s,;\"'}\\]]+"), "$1" + MASK),
            // "token": "...", "secret_key": "..."
            new Shape(Pattern.compile("(?i)(\"" + SECRET_NAME + "\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\""),
                    "$1" + MASK + "\""));

    private SecretShapes() {
    }

    /**
     * @param text a log line, with its stack trace if it has one
     * @return the same with every secret-shaped value replaced by {@link #MASK}
     */
    static String mask(String text) {
        String out = text;
        for (Shape shape : SHAPES) {
            out = shape.pattern().matcher(out).replaceAll(shape.replacement());
        }
        return out;
    }
}
