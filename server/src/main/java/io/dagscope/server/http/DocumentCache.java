package io.dagscope.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents, by their text: a dashboard sends the same few documents over and over, and each is
 * parsed and validated once. Bounded by the total length of the documents kept.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final Cache<String, PreparsedDocumentEntry> documents;

    /**
     * @param maxChars the total length of the documents kept
     */
    DocumentCache(long maxChars) {
        this.documents = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .<String, PreparsedDocumentEntry>weigher((query, entry) -> query.length() + 64)
                .expireAfterAccess(Duration.ofHours(1))
                .build();
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        return CompletableFuture.completedFuture(documents.get(input.getQuery(), q -> parseAndValidate.apply(input)));
    }

    /** @return how many documents are kept */
    long size() {
        return documents.estimatedSize();
    }
}
