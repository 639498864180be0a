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
 * parsed and validated once. Bounded by an estimate of the memory the entries hold: a parsed document (or its
 * validation errors) takes up to about 50 times its text (measured with graphql-java 26 on documents at the parser's
 * token limit), so each entry weighs {@value #BYTES_PER_CHAR} bytes a character, and a document longer than
 * {@value #MAX_CACHED_CHARS} characters is parsed each time and never kept: no caller can fill the heap with the
 * trees of large documents.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    /** The estimated bytes a kept document's tree holds per character of its text. */
    static final int BYTES_PER_CHAR = 32;
    /** The longest document kept; dashboards' and explorers' documents are a few thousand characters. */
    static final int MAX_CACHED_CHARS = 16 * 1024;

    private final Cache<String, PreparsedDocumentEntry> documents;

    /**
     * @param maxBytes the estimated memory the kept documents may hold
     */
    DocumentCache(long maxBytes) {
        this.documents = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<String, PreparsedDocumentEntry>weigher((query, entry) -> BYTES_PER_CHAR * query.length() + 1024)
                .expireAfterAccess(Duration.ofHours(1))
                .build();
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (input.getQuery().length() > MAX_CACHED_CHARS) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        return CompletableFuture.completedFuture(documents.get(input.getQuery(), q -> parseAndValidate.apply(input)));
    }

    /** @return how many documents are kept */
    long size() {
        documents.cleanUp();
        return documents.estimatedSize();
    }
}
