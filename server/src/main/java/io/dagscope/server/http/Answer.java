package io.dagscope.server.http;

/**
 * A GraphQL response, serialized once: the HTTP route writes the bytes as they are, and a subscription compares them
 * with the last ones it sent.
 *
 * @param json the response ({@code data}, {@code errors}) as UTF-8 JSON
 * @param operation the operation's metrics label
 * @param outcome what the request came to
 * @param hasData whether the response has non-null {@code data}
 * @param retryAfterSeconds for a refusal by a caller's budget, the whole seconds after which to try again; else 0
 * @param refusedBy for a refusal by a caller's budget, which one; else null
 */
record Answer(byte[] json, String operation, Outcome outcome, boolean hasData, long retryAfterSeconds,
        FairScheduler.Budget refusedBy) {

    Answer(byte[] json, String operation, Outcome outcome, boolean hasData) {
        this(json, operation, outcome, hasData, 0, null);
    }
}
