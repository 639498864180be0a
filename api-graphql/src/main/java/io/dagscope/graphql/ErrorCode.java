package io.dagscope.graphql;

import graphql.ErrorClassification;

/**
 * The classification of the errors this API raises itself, shown as {@code extensions.classification}. Errors that
 * graphql-java raises (syntax, validation, variable coercion) keep graphql-java's own classifications.
 */
enum ErrorCode implements ErrorClassification {
    /** An argument the client can correct; {@code extensions.argument} names it. */
    BAD_USER_INPUT,
    /** A field the caller's scope does not allow, e.g. {@code sources} with a token limited to some tenants. */
    FORBIDDEN,
    /** A failure inside the server; the message carries an incident id to find it in the server's log. */
    INTERNAL_ERROR
}
