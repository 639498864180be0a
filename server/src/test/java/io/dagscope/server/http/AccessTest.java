package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagscope.core.port.in.TenantScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whose budgets a request is charged to: the token with authentication on, else the client's address. */
class AccessTest {

    @TempDir
    Path dir;

    @Test
    void withoutAuthenticationTheSocketsAddressIsTheCallerWhateverXForwardedForSays() {
        Access access = new Access(Authenticator.off(), false);

        assertEquals("address 127.0.0.1", access.budgetKey(Caller.ANONYMOUS, "127.0.0.1", "203.0.113.7"));
        assertEquals("address 127.0.0.1", access.budgetKey(Caller.ANONYMOUS, "127.0.0.1", null));
    }

    @Test
    void behindATrustedProxyTheLastForwardedAddressIsTheCaller() {
        Access access = new Access(Authenticator.off(), true);

        assertEquals("address 198.51.100.4", access.budgetKey(Caller.ANONYMOUS, "127.0.0.1",
                "203.0.113.7, 198.51.100.4"), "the address the proxy saw, not one the client wrote before it");
        assertEquals("address 127.0.0.1", access.budgetKey(Caller.ANONYMOUS, "127.0.0.1", null));
        assertEquals("address 127.0.0.1", access.budgetKey(Caller.ANONYMOUS, "127.0.0.1", " , "));
    }

    @Test
    void withAuthenticationTheTokenIsTheCallerFromAnyAddress() throws IOException {
        Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "- name: acme\n  token_sha256: "
                + Authenticator.sha256Hex("t") + "\n  tenants: [acme]\n");
        Access access = new Access(Authenticator.fromFile(tokens), true);
        Caller acme = new Caller("acme", TenantScope.of(Set.of("acme")));

        assertEquals("token 'acme'", access.budgetKey(acme, "127.0.0.1", null));
        assertEquals("token 'acme'", access.budgetKey(acme, "192.0.2.1", "203.0.113.7"));
    }
}
