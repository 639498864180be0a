package io.dagscope.server.http;

import java.util.Map;
import java.util.Objects;

/**
 * One GraphQL request as the transports receive it.
 *
 * @param query the document
 * @param variables the variables (empty for none)
 * @param operationName the operation to run, or null when the document has one
 */
record GraphQlRequest(String query, Map<String, Object> variables, String operationName) {
    GraphQlRequest {
        Objects.requireNonNull(query, "query");
        variables = variables == null ? Map.of() : variables;
    }
}
