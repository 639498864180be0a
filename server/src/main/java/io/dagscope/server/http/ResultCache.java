package io.dagscope.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dagscope.core.port.in.TenantScope;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Error-free answers, by everything that decides them: the document, its variables and operation, the caller's scope
 * (so that no answer crosses from one scope to another), the minute the default window ends (windows without an
 * {@code end} end now) and the engine's data version (a new event makes every older entry unreachable). Bounded by the
 * bytes kept; old entries also expire.
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
                .<Key, Answer>weigher((key, answer) -> key.query().length() + answer.json().length + 256)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();
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
        return answers.estimatedSize();
    }
}
