package io.dagscope.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.http.Authenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What fuzzing the token file ({@code --auth}) found: its errors named no line, a YAML syntax error quoted the
 * file's text (a token's hash with it), and a file that is not UTF-8 gave Jackson's internal message. Every error
 * now says which line, and none shows the file's text.
 */
class TokenFileErrorsTest {

    private static final String HASH = Authenticator.sha256Hex("secret-token");

    @TempDir
    Path tmp;

    private IllegalArgumentException refused(byte[] bytes) throws IOException {
        Path file = Files.write(tmp.resolve("tokens.yaml"), bytes);
        return assertThrows(IllegalArgumentException.class, () -> Authenticator.fromFile(file));
    }

    private IllegalArgumentException refused(String yaml) throws IOException {
        return refused(yaml.replace("HASH", HASH).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "- name: ops\\n  token_sha256: HASH\\n  admin: true\\n- name: acme\\n  token_sha256: abc\\n  tenants: [a]"
                + "|line 4: token entry 2: token_sha256 must be the 64 hex digits",
        "# tokens\\n\\n- [1, 2]|line 3: token entry 1: must be a mapping",
        "- {token_sha256: HASH, admin: true}\\n- {token_sha256: HASH, tenants: [a]}"
                + "|line 2: token entry 2: the same token_sha256 appears twice",
        "- {token_sha256: HASH, admin: maybe}|line 1: token entry 1: admin must be true or false"})
    void anEntrysErrorNamesItsLine(String yaml, String expected) throws IOException {
        IllegalArgumentException e = refused(yaml.replace("\\n", "\n"));

        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "- token_sha256: HASH\\n  tenants: [acme\\n|3",
        "- token_sha256: HASH\\n  admin: true\\n bad: [|3",
        "- token_sha256: HASH\\n  admin: true\\n- token_sha256: \"HASH\\n|4",
        "- {token_sha256: HASH, admin: true}\\n- {token_sha256: HASH: x}|2"})
    void aSyntaxErrorNamesItsLineAndQuotesNothingOfTheFile(String yaml, int line) throws IOException {
        IllegalArgumentException e = refused(yaml.replace("\\n", "\n"));

        assertTrue(e.getMessage().startsWith("line " + line + ": not valid YAML"), e.getMessage());
        assertFalse(e.getMessage().contains(HASH.substring(0, 8)), e.getMessage());
        assertFalse(e.getMessage().contains("token_sha256"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8NamesTheLineOfTheFirstBadByte() throws IOException {
        byte[] bytes = ("- name: ops\n  token_sha256: " + HASH + "\n  admin: true\n- name: caf\u00e9\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        IllegalArgumentException e = refused(bytes);

        assertEquals("line 4: not valid UTF-8", e.getMessage());
    }

    @Test
    void nestingTooDeepNamesItsLine() throws IOException {
        IllegalArgumentException e = refused("- {token_sha256: HASH, admin: true}\n- " + "[".repeat(1200));

        assertTrue(e.getMessage().startsWith("line 2: not valid YAML: "), e.getMessage());
    }
}
