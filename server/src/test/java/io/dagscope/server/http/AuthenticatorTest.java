package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.core.port.in.TenantScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token file and how a presented token is matched. */
class AuthenticatorTest {

    @TempDir
    Path dir;

    private Authenticator read(String yaml) throws IOException {
        Path file = dir.resolve("tokens.yaml");
        Files.writeString(file, yaml);
        return Authenticator.fromFile(file);
    }

    @Test
    void tokensMapToAdminOrToTheirTenantsAndAreKnownByTheirHashOnly() throws IOException {
        Authenticator auth = read("- {name: ops, token_sha256: " + Authenticator.sha256Hex("t-admin") + ", admin: true}\n"
                + "- {token_sha256: " + Authenticator.sha256Hex("t-acme") + ", tenants: [acme, beta]}\n");

        assertTrue(auth.enabled());
        assertEquals(new Caller("ops", TenantScope.ALL), auth.authenticate("t-admin").orElseThrow());
        assertEquals(new Caller("token 2", TenantScope.of(Set.of("acme", "beta"))),
                auth.fromAuthorizationHeader("bearer  t-acme ").orElseThrow());
        assertFalse(auth.authenticate("t-acm").isPresent());
        assertFalse(auth.authenticate("").isPresent());
        assertFalse(auth.fromAuthorizationHeader("t-admin").isPresent(), "only the Bearer scheme");
        assertFalse(auth.fromAuthorizationHeader(null).isPresent());
    }

    @Test
    void withAuthenticationOffEveryCallerIsAnonymousAndSeesEveryTenant() {
        assertEquals(Caller.ANONYMOUS, Authenticator.off().authenticate(null).orElseThrow());
        assertTrue(Caller.ANONYMOUS.admin());
    }

    @Test
    void theHashIsTheSha256HexOfTheTokensUtf8Bytes() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Authenticator.sha256Hex("abc"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{a: 1}|must be a YAML list",
        "[]|must be a YAML list",
        "- [1, 2]|token entry 1: must be a mapping",
        "- {token_sha256: abc, admin: true}|token entry 1: token_sha256 must be the 64 hex digits",
        "- {token: secret, admin: true}|token entry 1: unknown key 'token'",
        "- {token_sha256: HASH}|token entry 1: needs tenants",
        "- {token_sha256: HASH, tenants: []}|token entry 1: needs tenants",
        "- {token_sha256: HASH, admin: yes please}|token entry 1: admin must be true or false",
        "- {token_sha256: HASH, admin: true, tenants: [a]}|token entry 1: give either admin: true or tenants",
        "- {token_sha256: HASH, admin: true}\\n- {token_sha256: HASH, tenants: [a]}|token entry 2: the same "
                + "token_sha256 appears twice"})
    void aBadTokenFileIsRefusedWithAMessageNamingTheEntryAndWhatIsWrong(String yaml, String expected) {
        String hash = Authenticator.sha256Hex("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(yaml.replace("HASH", hash).replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
