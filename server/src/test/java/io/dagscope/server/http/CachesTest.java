package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;
import io.dagscope.core.port.in.TenantScope;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The caches are bounded by what their entries hold, whatever a caller sends: variables that the document never uses
 * count, and parsed documents count for their trees, not their text.
 */
class CachesTest {

    @Test
    void answersWithLargeUnusedVariablesCountTheirVariablesAgainstTheBound() {
        ResultCache cache = new ResultCache(1L << 20);
        Answer answer = new Answer("{\"data\":{\"windowOf\":{\"end\":\"x\"}}}".getBytes(), "anonymous", Outcome.OK,
                true);

        for (int i = 0; i < 40; i++) {
            Map<String, Object> variables = Map.of("unused", "v".repeat(100_000) + i);
            cache.put(new ResultCache.Key("{ windowOf { end } }", variables, null, TenantScope.ALL, 0, 0), answer);
        }

        assertTrue(cache.size() <= 5, cache.size() + " answers of 200 KB of variables each kept in 1 MiB");
        assertTrue(ResultCache.weight(new ResultCache.Key("{ windowOf { end } }", Map.of("unused", "v".repeat(100_000)),
                null, TenantScope.ALL, 0, 0), answer) > 200_000);
    }

    @Test
    void parsedDocumentsWeighTheirTreesAndLongOnesAreNeverKept() {
        DocumentCache cache = new DocumentCache(16L << 20);
        AtomicInteger parsed = new AtomicInteger();
        for (int d = 0; d < 300; d++) {
            StringBuilder query = new StringBuilder("{");
            while (query.length() < 10_000) {
                query.append(" f").append(d).append('_').append(query.length());
            }
            parse(cache, query.append(" }").toString(), parsed);
        }
        long kept = cache.size();
        assertEquals(300, parsed.get());
        assertTrue(kept <= (16L << 20) / (DocumentCache.BYTES_PER_CHAR * 10_000L), kept + " documents kept");

        String long1 = "{" + " a".repeat(DocumentCache.MAX_CACHED_CHARS / 2) + " }";
        parse(cache, long1, parsed);
        parse(cache, long1, parsed);
        assertEquals(302, parsed.get(), "a document over the length kept is parsed each time");
        parse(cache, "{ windowOf { end } }", parsed);
        parse(cache, "{ windowOf { end } }", parsed);
        assertEquals(303, parsed.get(), "a short one once");
    }

    private static void parse(DocumentCache cache, String query, AtomicInteger parsed) {
        cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), input -> {
            parsed.incrementAndGet();
            return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
        }).join();
    }
}
