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
    BUSY,
    /** Refused before it ran: its estimated cost is above {@code --max-query-cost}. */
    TOO_COSTLY,
    /** Replaced by an error: the answer is larger than {@code --max-response-bytes}. */
    TOO_LARGE,
    /** Refused because the caller's concurrency or rate budget is spent. */
    RATE_LIMITED;

    /** @return whether the request was refused before it ran (by a budget, the queue or its cost) */
    boolean refused() {
        return this == BUSY || this == TOO_COSTLY || this == RATE_LIMITED;
    }

    /** @return the metrics label */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
