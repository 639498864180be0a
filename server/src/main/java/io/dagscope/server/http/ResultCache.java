package io.dagscope.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dagscope.core.port.in.TenantScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Error-free answers, by everything that decides them: the document, its variables and operation, the caller's scope
 * (so that no answer crosses from one scope to another), the minute the default window ends (windows without an
 * {@code end} end now) and the engine's data version (a new event makes every older entry unreachable). Bounded by an
 * estimate of the memory kept (the document, the variables and the answer); old entries also expire.
 */
final class ResultCache {

    /**
     * What decides an answer.
     *
     * @param query the document's text
     * @param variables its variables
     * @param operationName the operation, or null
     * @param scope the caller's tenants
     * @param windowEndMinute the end of the default window, in minutes since the epoch
     * @param version the engine's data version
     */
    record Key(String query, Map<String, Object> variables, String operationName, TenantScope scope,
            long windowEndMinute, long version) {
    }

    private final Cache<Key, Answer> answers;

    /**
     * @param maxBytes the total size of the answers (and their documents) kept
     */
    ResultCache(long maxBytes) {
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<Key, Answer>weigher((key, answer) -> (int) Math.min(Integer.MAX_VALUE, weight(key, answer)))
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();
    }

    /**
     * An estimate of the memory an entry holds: its document's text, its variables (which a caller may make as large
     * as the body limit, unused by the document, and still get an answer without errors), and the answer.
     */
    static long weight(Key key, Answer answer) {
        return 256 + 2L * key.query().length() + weight(key.variables()) + 2L * (key.operationName() == null ? 0
                : key.operationName().length()) + answer.json().length;
    }

    /** The memory a value from JSON holds, roughly: strings, numbers, booleans, lists and maps of them. */
    private static long weight(Object value) {
        if (value instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof Map<?, ?> map) {
            long n = 48;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += 32 + weight(e.getKey()) + weight(e.getValue());
            }
            return n;
        }
        if (value instanceof List<?> list) {
            long n = 24;
            for (Object o : list) {
                n += 8 + weight(o);
            }
            return n;
        }
        if (value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
            return 16 + value.toString().length();
        }
        return 16;
    }

    Optional<Answer> get(Key key) {
        return Optional.ofNullable(answers.getIfPresent(key));
    }

    void put(Key key, Answer answer) {
        if (answer.outcome() == Outcome.OK) {
            answers.put(key, answer);
        }
    }

    /** @return how many answers are kept */
    long size() {
        answers.cleanUp();
        return answers.estimatedSize();
    }
}
