package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dagscope.server.http.Authenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz tests of the two files the server reads at start (docs/fuzzing.md): the config file ({@code --config}) and
 * the token file ({@code --auth}). Any bytes give settings or a usage error that names the file and the line; and a
 * damaged file never shows a secret (a source option's value, a token's hash) in that error.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfigFilesFuzzTest {

    private static final Path DIR = tempDir();
    private static final Path CONFIG = DIR.resolve("dagscope.yaml");
    private static final Path TOKENS = DIR.resolve("tokens.yaml");

    /** AWS's documented example keys: secret-looking, and in no message by chance. */
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    private static final String OTHER_SECRET = "Zq8vN3tKx1Lp0Wm5Rc7Yb2Hd";

    /**
     * A config file with secrets in a location's query and in options; their lines are never damaged. Values that
     * errors show (a name, a role) come before them, where a quote left open would swallow them.
     */
    private static final String SECRET_CONFIG = """
            # dagscope config
            window_hours: 24
            sources:
              - role: events
                location: events.jsonl
                name: local
              - role: state
                location: s3://logs/prod/?secret_key=%3$s
                options:
                  endpoint: http://127.0.0.1:9000
                  access_key: %1$s
                  secret_key: "%2$s"
                name: lake
            retain:
              days: 30
            server:
              port: 8080
              cors_origins: ["https://dash.example.com"]
            history:
              store: heap
            """.formatted(ACCESS_KEY, SECRET_KEY, OTHER_SECRET);

    private static final String HASH_ADMIN = Authenticator.sha256Hex("admin-token");
    private static final String HASH_ACME = Authenticator.sha256Hex("acme-token");

    /** A token file; the lines with hashes are never damaged. */
    private static final String SECRET_TOKENS = """
            # tokens
            - name: ops
              token_sha256: %s
              admin: true
            - name: acme
              tenants: [acme, "globex"]
              token_sha256: '%s'
            """.formatted(HASH_ADMIN, HASH_ACME);

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("dagscope-fuzz-config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** At most how many lines YAML sees: it breaks lines at LF, CR, NEL, LS and PS. */
    private static int lines(byte[] bytes) {
        int n = 1;
        for (int i = 0; i < bytes.length; i++) {
            boolean nel = bytes[i] == (byte) 0xC2 && i + 1 < bytes.length && bytes[i + 1] == (byte) 0x85;
            boolean lsOrPs = bytes[i] == (byte) 0xE2 && i + 2 < bytes.length && bytes[i + 1] == (byte) 0x80
                    && (bytes[i + 2] == (byte) 0xA8 || bytes[i + 2] == (byte) 0xA9);
            n += bytes[i] == '\n' || bytes[i] == '\r' || nel || lsOrPs ? 1 : 0;
        }
        return n;
    }

    /**
     * Any bytes as a config file: settings, or a usage error saying {@code <file>:<line>: ...} with a line of the
     * file, except for a file that is not UTF-8 at all.
     */
    @FuzzTest
    void anyConfigFileGivesSettingsOrAUsageErrorWithFileAndLine(byte[] bytes) throws IOException {
        Files.write(CONFIG, bytes);
        try {
            ConfigFile.read(CONFIG);
        } catch (UsageException e) {
            assertConfigError(e.getMessage(), lines(bytes));
        }
    }

    private static void assertConfigError(String message, int lines) {
        if (message.equals("--config " + CONFIG + ": not valid UTF-8")) {
            return;
        }
        Matcher m = Pattern.compile("\\Q" + CONFIG + "\\E:(\\d+): \\S.*", Pattern.DOTALL).matcher(message);
        assertTrue(m.matches(), () -> "no file and line: " + message);
        int line = Integer.parseInt(m.group(1));
        assertTrue(line >= 1 && line <= lines, () -> "line " + line + " of " + lines + ": " + message);
    }

    /**
     * A config file with secrets, damaged anywhere but on their lines (bytes inserted, deleted or replaced): settings
     * or a usage error with file and line, which shows neither secret nor any part of them.
     */
    @FuzzTest
    void aDamagedConfigFileNeverShowsASecret(byte[] script) throws IOException {
        List<String> secrets = List.of(ACCESS_KEY, SECRET_KEY, OTHER_SECRET);
        byte[] damaged = damage(SECRET_CONFIG, secrets, script);
        Files.write(CONFIG, damaged);
        try {
            ConfigFile.read(CONFIG);
        } catch (UsageException e) {
            assertConfigError(e.getMessage(), lines(damaged));
            assertShowsNoPartOf(e.getMessage(), damaged, secrets);
        }
    }

    /**
     * Any bytes as a token file: tokens, or an {@link IllegalArgumentException} (the server's usage error names the
     * file) saying which line is wrong, except for a file that holds no list of entries at all.
     */
    @FuzzTest
    void anyTokenFileGivesTokensOrAnErrorWithALine(byte[] bytes) throws IOException {
        Files.write(TOKENS, bytes);
        try {
            Authenticator.fromFile(TOKENS);
        } catch (IllegalArgumentException e) {
            assertTokenError(e.getMessage(), lines(bytes));
        }
    }

    private static void assertTokenError(String message, int lines) {
        assertTrue(message != null && !message.isBlank(), "a message");
        if (message.startsWith("the token file must be a YAML list")) {
            return;
        }
        Matcher m = LINE.matcher(message);
        assertTrue(m.find(), () -> "no line: " + message);
        int line = Integer.parseInt(m.group(1));
        assertTrue(line >= 1 && line <= lines, () -> "line " + line + " of " + lines + ": " + message);
    }

    /** A token file with hashes, damaged anywhere but on their lines: tokens, or an error that shows no hash. */
    @FuzzTest
    void aDamagedTokenFileNeverShowsAHash(byte[] script) throws IOException {
        List<String> hashes = List.of(HASH_ADMIN, HASH_ACME);
        byte[] damaged = damage(SECRET_TOKENS, hashes, script);
        Files.write(TOKENS, damaged);
        try {
            Authenticator.fromFile(TOKENS);
        } catch (IllegalArgumentException e) {
            assertTokenError(e.getMessage(), lines(damaged));
            assertShowsNoPartOf(e.getMessage(), damaged, hashes);
        }
    }

    /**
     * Up to 8 insertions, deletions or replacements of bytes, none on a line that holds a secret. The script is a
     * list of edits, each 4 bytes (position, 2 bytes big-endian, modulo the text's length; kind: insert, delete or
     * replace; length 1-12) and the bytes to insert or to write (as many as the length).
     */
    private static byte[] damage(String text, List<String> secrets, byte[] script) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b);
        }
        int i = 0;
        for (int edits = 0; edits < 8 && i + 4 <= script.length; edits++) {
            int at = ((script[i] & 0xff) << 8 | (script[i + 1] & 0xff)) % (bytes.size() + 1);
            int kind = (script[i + 2] & 0xff) % 3;
            int length = 1 + (script[i + 3] & 0xff) % 12;
            byte[] junk = Arrays.copyOfRange(script, i + 4, Math.min(script.length, i + 4 + length));
            i += 4 + length;
            if (touchesASecretLine(bytes, at, kind == 0 ? 0 : length, secrets)) {
                continue;
            }
            switch (kind) {
                case 0 -> {
                    for (int j = junk.length - 1; j >= 0; j--) {
                        bytes.add(at, junk[j]);
                    }
                }
                case 1 -> {
                    for (int j = 0; j < length && at < bytes.size(); j++) {
                        bytes.remove(at);
                    }
                }
                default -> {
                    for (int j = 0; j < junk.length && at + j < bytes.size(); j++) {
                        bytes.set(at + j, junk[j]);
                    }
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = bytes.get(j);
        }
        return out;
    }

    /** Whether bytes {@code [at, at + length]} touch a line holding a secret, or the line breaks around it. */
    private static boolean touchesASecretLine(List<Byte> bytes, int at, int length, List<String> secrets) {
        int lineStart = 0;
        for (int i = 0; i <= bytes.size(); i++) {
            if (i == bytes.size() || bytes.get(i) == '\n') {
                byte[] line = new byte[i - lineStart];
                for (int j = 0; j < line.length; j++) {
                    line[j] = bytes.get(lineStart + j);
                }
                String text = new String(line, StandardCharsets.UTF_8);
                boolean secret = secrets.stream().anyMatch(text::contains);
                // the line, its own line break, and the line break before it
                if (secret && at <= i && at + length >= lineStart - 1) {
                    return true;
                }
                lineStart = i + 1;
            }
        }
        return false;
    }

    /**
     * No 8 characters in a row of any secret appear in the message, unless the damage wrote them elsewhere in the
     * file too (the fuzzer learns the secrets from the comparisons, and may write them into a key).
     */
    private static void assertShowsNoPartOf(String message, byte[] file, List<String> secrets) {
        StringBuilder elsewhere = new StringBuilder();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n", -1)) {
            if (secrets.stream().noneMatch(line::contains)) {
                elsewhere.append(line).append('\n');
            }
        }
        for (String secret : secrets) {
            for (int i = 0; i + 8 <= secret.length(); i++) {
                String part = secret.substring(i, i + 8);
                if (elsewhere.indexOf(part) < 0) {
                    assertFalse(message.contains(part), () -> "shows '" + part + "' of a secret: " + message);
                }
            }
        }
    }
}
