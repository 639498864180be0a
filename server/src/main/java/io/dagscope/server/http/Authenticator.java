package io.dagscope.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.server.yaml.YamlErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token authentication. The token file holds only SHA-256 hashes of tokens, never a token in clear; a
 * presented token is hashed and compared with every entry in constant time, so neither the answer's timing nor an
 * early exit tells how close a guess came.
 *
 * <p>The file is a YAML list; each entry is {@code {token_sha256: <64 hex digits>, tenants: [a, b]}} for a token that
 * sees some tenants, or {@code {token_sha256: ..., admin: true}} for one that sees everything, each with an optional
 * {@code name:} that logs show instead of the token.
 */
public final class Authenticator {

    private static final HexFormat HEX = HexFormat.of();
    private static final Set<String> KEYS = Set.of("token_sha256", "tenants", "admin", "name");
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private final List<Entry> entries;
    private final boolean enabled;

    private record Entry(byte[] sha256, Caller caller) {
    }

    private Authenticator(List<Entry> entries, boolean enabled) {
        this.entries = List.copyOf(entries);
        this.enabled = enabled;
    }

    /** @return authentication off: every request is {@link Caller#ANONYMOUS}, which sees every tenant */
    public static Authenticator off() {
        return new Authenticator(List.of(), false);
    }

    /**
     * Reads a token file.
     *
     * @param file the YAML file
     * @return the authenticator
     * @throws IllegalArgumentException naming the line, the entry and what is wrong (never quoting the file), or if
     *     the file cannot be read
     */
    public static Authenticator fromFile(Path file) {
        String text;
        try {
            text = utf8(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        JsonParser p;
        try {
            p = YAML.createParser(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file: " + e.getMessage());
        }
        // read entry by entry, so that each error can name its line; Jackson's own messages quote the file
        try (p) {
            if (p.nextToken() == JsonToken.START_ARRAY) {
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    index++;
                    int line = p.currentTokenLocation().getLineNr();
                    Entry entry = entry(MAPPER.readTree(p), index, line);
                    if (!seen.add(HEX.formatHex(entry.sha256()))) {
                        throw new IllegalArgumentException("line " + line + ": token entry " + index
                                + ": the same token_sha256 appears twice");
                    }
                    entries.add(entry);
                }
                if (p.nextToken() != null) {
                    throw new IllegalArgumentException("line " + p.currentTokenLocation().getLineNr()
                            + ": a second YAML document starts here; the file must hold one");
                }
            }
        } catch (JsonProcessingException e) {
            YamlErrors.Problem problem = YamlErrors.describe(e, p.currentLocation());
            throw new IllegalArgumentException("line " + problem.line() + ": " + problem.message());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the token file must be a YAML list of entries such as "
                    + "{token_sha256: <hex>, tenants: [a, b]} or {token_sha256: <hex>, admin: true}");
        }
        return new Authenticator(entries, true);
    }

    /** The file's text, its byte-order mark dropped; an error names the line of the first byte that is not UTF-8. */
    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new IllegalArgumentException("line " + line + ": not valid UTF-8");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static Entry entry(JsonNode node, int index, int line) {
        String where = "line " + line + ": token entry " + index;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping with token_sha256 and tenants or admin");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; keys: admin, name, tenants, "
                        + "token_sha256");
            }
        }
        JsonNode hash = node.get("token_sha256");
        if (hash == null || !hash.isTextual() || !hash.asText().trim().matches("(?i)[0-9a-f]{64}")) {
            throw new IllegalArgumentException(where + ": token_sha256 must be the 64 hex digits of the token's SHA-256 "
                    + "(dagscope hash-token prints them)");
        }
        String name = node.hasNonNull("name") ? node.get("name").asText() : "token " + index;
        boolean admin = node.has("admin") && node.get("admin").asBoolean(false);
        if (node.has("admin") && !node.get("admin").isBoolean()) {
            throw new IllegalArgumentException(where + ": admin must be true or false");
        }
        JsonNode tenants = node.get("tenants");
        if (admin && tenants != null) {
            throw new IllegalArgumentException(where + ": give either admin: true or tenants, not both");
        }
        TenantScope scope;
        if (admin) {
            scope = TenantScope.ALL;
        } else {
            if (tenants == null || !tenants.isArray() || tenants.isEmpty()) {
                throw new IllegalArgumentException(where + ": needs tenants: [a, b] (a non-empty list) or admin: true");
            }
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode t : tenants) {
                if (!t.isTextual() || t.asText().isBlank()) {
                    throw new IllegalArgumentException(where + ": tenants must be a list of tenant names");
                }
                names.add(t.asText());
            }
            scope = TenantScope.of(names);
        }
        byte[] sha = HEX.parseHex(hash.asText().trim().toLowerCase(Locale.ROOT));
        return new Entry(sha, new Caller(name, scope));
    }

    /** @return whether requests must carry a token */
    public boolean enabled() {
        return enabled;
    }

    /** @return how many tokens the file holds */
    public int tokenCount() {
        return entries.size();
    }

    /**
     * Who presents a token.
     *
     * @param token the token in clear, or null
     * @return the caller it belongs to; {@link Caller#ANONYMOUS} when authentication is off; empty for no or an
     *     unknown token
     */
    public Optional<Caller> authenticate(String token) {
        if (!enabled) {
            return Optional.of(Caller.ANONYMOUS);
        }
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Caller found = null;
        for (Entry e : entries) { // every entry, without an early exit
            if (MessageDigest.isEqual(presented, e.sha256()) && found == null) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Who sends an {@code Authorization} header.
     *
     * @param header the header's value, e.g. {@code Bearer abc}, or null
     * @return the caller, as {@link #authenticate}
     */
    public Optional<Caller> fromAuthorizationHeader(String header) {
        return authenticate(bearerToken(header));
    }

    /**
     * @param header an {@code Authorization} header value, or null
     * @return the token of a {@code Bearer} header, else null
     */
    static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }

    /**
     * The SHA-256 of a token, as the token file holds it.
     *
     * @param token the token
     * @return 64 lower-case hex digits
     */
    public static String sha256Hex(String token) {
        return HEX.formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
