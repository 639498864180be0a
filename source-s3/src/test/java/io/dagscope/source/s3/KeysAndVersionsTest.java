package io.dagscope.source.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key order is S3's (UTF-8 bytes), and a version is the ETag where there is one, else size and time. */
class KeysAndVersionsTest {

    @Test
    void ordersKeysAsS3ListsThemByTheirUtf8Bytes() {
        List<String> keys = new ArrayList<>(List.of("logs/\uD83D\uDE00.jsonl", "logs/\uFF5E.jsonl", "logs/b.jsonl",
                "logs/B.jsonl", "logs/2025-10-21/a.jsonl", "logs/2025-10-2/a.jsonl", "logs/"));
        keys.sort(ObjectCursors.KEY_ORDER);
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertEquals(byBytes, keys);
        // UTF-16 order would put the emoji (a surrogate pair, 0xD83D...) before U+FF5E
        assertEquals("logs/\uD83D\uDE00.jsonl", keys.get(keys.size() - 1));
    }

    @Test
    void comparesByEtagWhereBothHaveOneAndIgnoresItsQuotes() {
        Instant t = Instant.parse("2025-10-21T10:00:00.123Z");
        assertTrue(ObjectVersion.of("\"abc\"", 10L, t).sameAs(ObjectVersion.of("abc", 99L, t.plusSeconds(60))));
        assertFalse(ObjectVersion.of("abc", 10L, t).sameAs(ObjectVersion.of("abd", 10L, t)));
    }

    @Test
    void comparesBySizeAndWholeSecondsWithoutAnEtag() {
        Instant listed = Instant.parse("2025-10-21T10:00:00.123Z");
        Instant header = Instant.parse("2025-10-21T10:00:00Z");
        assertTrue(ObjectVersion.of(null, 10L, listed).sameAs(ObjectVersion.of("", 10L, header)));
        assertFalse(ObjectVersion.of(null, 10L, listed).sameAs(ObjectVersion.of(null, 11L, header)));
        assertFalse(ObjectVersion.of(null, 10L, listed).sameAs(ObjectVersion.of(null, 10L, header.plusSeconds(1))));
    }
}
