package io.dagscope.server.http;

import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The problem for a status that the server's machinery (Javalin, Jetty) decided, in words that never repeat the
     * request (its path, its headers): what a page would reflect back.
     *
     * @param status the HTTP status
     * @return the problem
     */
    static HttpProblem forStatus(int status) {
        return switch (status) {
            case 400 -> new HttpProblem(400, "BAD_REQUEST", "Bad request: the HTTP request is malformed");
            case 404 -> new HttpProblem(404, "NOT_FOUND", "Not found: dagscope serves /, /graphql, /graphiql, "
                    + "/health, /health/live, /health/ready and /metrics");
            case 405 -> new HttpProblem(405, "METHOD_NOT_ALLOWED", "Method not allowed on this path");
            case 408 -> new HttpProblem(408, "REQUEST_TIMEOUT", "The request was not received in time");
            case 413 -> new HttpProblem(413, "PAYLOAD_TOO_LARGE", "The request body is larger than this server "
                    + "accepts (dagscope serve --max-body-bytes)");
            case 414 -> new HttpProblem(414, "URI_TOO_LONG", "The URI is too long: send a long query in a POST body");
            case 431 -> new HttpProblem(431, "HEADERS_TOO_LARGE", "The request's headers are too large");
            case 500 -> new HttpProblem(500, "INTERNAL_ERROR", "Internal error; the server's log has the details");
            case 503 -> new HttpProblem(503, "UNAVAILABLE", "The server cannot answer now; try again shortly");
            default -> new HttpProblem(status, "HTTP_" + status, status >= 500 ? "The server could not answer"
                    : "The request was refused");
        };
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** @return the response body */
    byte[] body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("extensions", Map.of("classification", classification));
        return GraphQlService.serialize(Map.of("errors", List.of(error)));
    }
}
