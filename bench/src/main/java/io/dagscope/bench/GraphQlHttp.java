package io.dagscope.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One caller of {@code POST /graphql}, as the dashboard calls it ({@code graphql.js}): a JSON body with the query and
 * its variables, {@code Authorization: Bearer} when it has a token, its own connections (HTTP/1.1, so each caller is
 * one client as a browser tab would be).
 */
final class GraphQlHttp {

    /** How long a request may take before the caller gives up on it (the server's own limit is 10 s by default). */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final URI uri;
    private final String token;

    /**
     * @param base the server's base URL, {@code http://127.0.0.1:PORT}
     * @param token the bearer token, or null to send none
     */
    GraphQlHttp(String base, String token) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
                Duration.ofSeconds(10)).build();
        this.uri = URI.create(base + "/graphql");
        this.token = token;
    }

    /**
     * An answer: its status, its JSON when it had one, and its errors by kind.
     *
     * @param status the HTTP status
     * @param json the body, or null when it is not JSON
     * @param errorKinds {@code HTTP 503}, {@code GraphQL TIMEOUT}, ...; empty for an answer without errors
     */
    record Response(int status, JsonNode json, List<String> errorKinds) {

        Response {
            errorKinds = List.copyOf(errorKinds);
        }

        /** @return the answer's {@code data}, or a missing node */
        JsonNode data() {
            return json == null ? Workers.JSON.missingNode() : json.path("data");
        }
    }

    /**
     * Sends one document.
     *
     * @param query the document
     * @param variables its variables (null values are sent)
     * @return the answer
     * @throws IOException if the request fails (a timeout included)
     * @throws InterruptedException if interrupted while waiting
     */
    Response post(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Workers.JSON.writeValueAsBytes(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json;
        try {
            json = Workers.JSON.readTree(r.body());
        } catch (JacksonException e) {
            json = null;
        }
        return new Response(r.statusCode(), json, errorKinds(r.statusCode(), json));
    }

    /**
     * Sends one document and records it: its latency from when it was due, its status, its errors.
     *
     * @param stats where it is recorded
     * @param soakStart {@link System#nanoTime} when the soak started
     * @param dueAt when the request was due, {@link System#nanoTime}
     * @param query the document
     * @param variables its variables
     * @return the answer, or null when the request failed (recorded as an error of its kind)
     * @throws InterruptedException if interrupted while waiting
     */
    Response call(CallerStats stats, long soakStart, long dueAt, String query, Map<String, Object> variables)
            throws InterruptedException {
        try {
            Response r = post(query, variables);
            stats.record(dueAt - soakStart, System.nanoTime() - dueAt, Integer.toString(r.status()));
            r.errorKinds().forEach(stats::error);
            return r;
        } catch (IOException e) {
            String kind = failureKind(e);
            stats.record(dueAt - soakStart, System.nanoTime() - dueAt, kind);
            stats.error(kind);
            return null;
        }
    }

    /** @return how a failed request is counted: {@code client timeout}, {@code connection refused}, {@code I/O ...} */
    static String failureKind(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "client timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return "I/O " + e.getClass().getSimpleName();
    }

    /**
     * The errors an answer carries, by kind: {@code HTTP <status>} for a status other than 200, and
     * {@code GraphQL <classification>} for each entry of {@code errors} ({@code extensions.classification}, else
     * {@code unclassified}).
     *
     * @param status the HTTP status
     * @param body the body, or null when it is not JSON
     * @return the kinds, one per error
     */
    static List<String> errorKinds(int status, JsonNode body) {
        List<String> kinds = new ArrayList<>();
        if (status != 200) {
            kinds.add("HTTP " + status);
        } else if (body == null) {
            kinds.add("not JSON");
        }
        if (body != null && status == 200) {
            for (JsonNode e : body.path("errors")) {
                JsonNode c = e.path("extensions").path("classification");
                kinds.add("GraphQL " + (c.isTextual() ? c.asText() : "unclassified"));
            }
        }
        return kinds;
    }
}
