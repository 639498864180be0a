package io.dagscope.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's callers' tokens, fresh for each run, and the {@code --auth} file that lists their SHA-256 hashes
 * (docs/security.md): an admin, one token per tenant scoped to it, and the abuser's, scoped to every tenant (a valid
 * dashboard token used badly).
 *
 * @param admin the admin's token
 * @param tenants each tenant's token, by tenant, in the order given
 * @param abuser the abuser's token
 */
record SoakTokens(String admin, Map<String, String> tenants, String abuser) {

    SoakTokens {
        tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    /**
     * Makes the tokens and writes the file.
     *
     * @param file the {@code --auth} file to write
     * @param tenantNames the tenants
     * @return the tokens
     * @throws IOException if the file cannot be written
     */
    static SoakTokens write(Path file, List<String> tenantNames) throws IOException {
        SecureRandom random = new SecureRandom();
        String admin = token(random);
        String abuser = token(random);
        Map<String, String> tenants = new LinkedHashMap<>();
        StringBuilder yaml = new StringBuilder("# written by dagscope bench soak for one run\n");
        yaml.append("- name: soak-admin\n  token_sha256: ").append(sha256(admin)).append("\n  admin: true\n");
        for (String t : tenantNames) {
            String token = token(random);
            tenants.put(t, token);
            yaml.append("- name: soak-").append(t).append("\n  token_sha256: ").append(sha256(token))
                    .append("\n  tenants: [").append(quoted(t)).append("]\n");
        }
        yaml.append("- name: soak-abuser\n  token_sha256: ").append(sha256(abuser)).append("\n  tenants: [");
        for (int i = 0; i < tenantNames.size(); i++) {
            yaml.append(i == 0 ? "" : ", ").append(quoted(tenantNames.get(i)));
        }
        yaml.append("]\n");
        Files.writeString(file, yaml);
        return new SoakTokens(admin, tenants, abuser);
    }

    private static String token(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
