package io.dagscope.server.http;

import java.util.Map;

/**
 * A request the server refuses before any GraphQL runs: a route throws it and the server answers with its status and
 * a JSON body {@code {"errors": [{"message": ..., "extensions": {"classification": ...}}]}}, the shape GraphQL clients
 * already read.
 */
final class HttpProblem extends RuntimeException {

    private final int status;
    private final String classification;
    private final Map<String, String> headers;

    /**
     * @param status the HTTP status
     * @param classification a short code, e.g. {@code UNAUTHENTICATED}
     * @param message what is wrong and what would be accepted
     * @param headers extra response headers
     */
    HttpProblem(int status, String classification, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.classification = classification;
        this.headers = Map.copyOf(headers);
    }

    HttpProblem(int status, String classification, String message) {
        this(status, classification, message, Map.of());
    }

    static HttpProblem unauthenticated() {
        return new HttpProblem(401, "UNAUTHENTICATED", "A valid token is required: send the header "
                + "'Authorization: Bearer <token>'", Map.of("WWW-Authenticate", "Bearer realm=\"dagscope\""));
    }

    static HttpProblem forbidden(String message) {
        return new HttpProblem(403, "FORBIDDEN", message);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** @return the response body */
    byte[] body() {
        return GraphQlService.serialize(Map.of("errors", java.util.List.of(Map.of("message", getMessage(),
                "extensions", Map.of("classification", classification)))));
    }
}
