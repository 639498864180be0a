package io.dagscope.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real HTTP client for the server under test. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(int port) {
        this.port = port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A response: status, headers and body. */
    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        Map<String, Object> json() {
            try {
                return JSON.readValue(body, new TypeReference<>() {
                });
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    Response postJson(String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** POSTs a GraphQL request; token may be null. */
    Response graphql(String query, Map<String, Object> variables, String operationName, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        body.put("operationName", operationName);
        try {
            String json = JSON.writeValueAsString(body);
            return token == null ? postJson(json) : postJson(json, "Authorization", "Bearer " + token);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Response graphql(String query, String token) {
        return graphql(query, null, null, token);
    }

    /** GETs a GraphQL query; token may be null. */
    Response graphqlGet(String query, String variablesJson, String operationName, String token) {
        StringBuilder q = new StringBuilder("/graphql?query=").append(enc(query));
        if (variablesJson != null) {
            q.append("&variables=").append(enc(variablesJson));
        }
        if (operationName != null) {
            q.append("&operationName=").append(enc(operationName));
        }
        return token == null ? get(q.toString()) : get(q.toString(), "Authorization", "Bearer " + token);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * @param value a result from the in-process API, with Java values
     * @return the same as the HTTP client sees it, through JSON
     */
    static Object viaJson(Object value) {
        try {
            return JSON.readValue(JSON.writeValueAsString(value), Object.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
