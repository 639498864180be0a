package io.dagscope.server.http;

import java.util.Locale;

/** What a GraphQL request came to, for metrics and the HTTP status. */
enum Outcome {
    /** An answer without errors. */
    OK,
    /** An answer with GraphQL errors (syntax, validation, a bad argument, a limit, a field that failed). */
    ERRORS,
    /** Refused because it is not a query (a subscription sent over HTTP). */
    NOT_A_QUERY,
    /** Cancelled for running longer than the timeout. */
    TIMEOUT,
    /** Refused because every execution thread was busy and the queue full. */
    BUSY;

    /** @return the metrics label */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
