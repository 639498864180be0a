package io.dagscope.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /graphql} (a JSON body {@code {query, variables, operationName}}) and {@code GET /graphql?query=...}
 * (queries only). The handlers read the request and write the answer; {@link GraphQlService} does the rest.
 */
final class GraphQlRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[^\"\\\\]|\\\\.)*\"";
    /** A media type (RFC 9110): type/subtype, then parameters; group 1 the type, group 2 the parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[ \t]*(" + TOKEN + "/" + TOKEN + ")((?:[ \t]*;[ \t]*"
            + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))*)[ \t]*");
    /** One parameter: group 1 its name, group 2 its value (quotes included). */
    private static final Pattern PARAMETER = Pattern.compile(";[ \t]*(" + TOKEN + ")=(" + TOKEN + "|" + QUOTED
            + ")");
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final GraphQlService service;
    private final Access access;
    private final long maxBodyBytes;

    GraphQlRoutes(GraphQlService service, Access access, long maxBodyBytes) {
        this.service = service;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
    }

    void post(Context ctx) {
        Caller caller = access.require(ctx);
        // the header as sent: Jetty's parsed content type throws on a charset it does not know
        List<String> types = Collections.list(ctx.req().getHeaders("Content-Type"));
        String type = types.isEmpty() ? null : String.join(", ", types);
        if (!isJson(type)) {
            throw new HttpProblem(415, "UNSUPPORTED_MEDIA_TYPE", "POST /graphql takes a JSON body "
                    + "{\"query\": ..., \"variables\": {...}, \"operationName\": ...} with Content-Type: "
                    + "application/json (charset, if given, utf-8); got " + (type == null ? "no Content-Type"
                    : "'" + (type.length() > 64 ? type.substring(0, 64) + "..." : type) + "'"));
        }
        JsonNode body;
        try {
            body = JSON.readTree(readBody(ctx));
        } catch (JacksonException e) {
            throw badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw badRequest("The body could not be read: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw badRequest("The body must be a JSON object {\"query\": ..., \"variables\": {...}, "
                    + "\"operationName\": ...}");
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual()) {
            throw badRequest("The body needs \"query\": a GraphQL document as a string");
        }
        JsonNode operation = body.get("operationName");
        if (operation != null && !operation.isNull() && !operation.isTextual()) {
            throw badRequest("\"operationName\" must be a string or null");
        }
        Map<String, Object> variables = variables(body.get("variables"));
        respond(ctx, service.execute(new GraphQlRequest(query.asText(), variables,
                operation == null || operation.isNull() ? null : operation.asText()), caller,
                access.budgetKey(ctx, caller), "http"), false);
    }

    void get(Context ctx) {
        Caller caller = access.require(ctx);
        String query = ctx.queryParam("query");
        if (query == null) {
            throw badRequest("GET /graphql needs ?query=<a GraphQL query>, and may have &variables=<JSON object> and "
                    + "&operationName=<name>");
        }
        String variables = ctx.queryParam("variables");
        Map<String, Object> parsed = Map.of();
        if (variables != null && !variables.isBlank()) {
            try {
                parsed = variables(JSON.readTree(variables));
            } catch (JacksonException e) {
                throw badRequest("variables must be a JSON object: " + e.getOriginalMessage());
            }
        }
        respond(ctx, service.execute(new GraphQlRequest(query, parsed, ctx.queryParam("operationName")), caller,
                access.budgetKey(ctx, caller), "http"), true);
    }

    /**
     * Whether a {@code Content-Type} is JSON as a request may be: the media type {@code application/json} (in any
     * case), with parameters or none, and a {@code charset}, if given, that is UTF-8. A type that merely starts the
     * same ({@code application/jsonp}, {@code application/json-seq}) is not JSON, nor is a response type such as
     * {@code application/graphql-response+json}.
     *
     * @param contentType the header's value, or null
     * @return whether the body is read as JSON
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        Matcher m = MEDIA_TYPE.matcher(contentType);
        if (!m.matches() || !m.group(1).toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        Matcher p = PARAMETER.matcher(m.group(2));
        while (p.find()) {
            if (p.group(1).equalsIgnoreCase("charset")) {
                String value = p.group(2);
                String charset = value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
                try {
                    if (!Charset.forName(charset).equals(StandardCharsets.UTF_8)) {
                        return false;
                    }
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void respond(Context ctx, Answer answer, boolean get) {
        int status = 200;
        if (answer.outcome() == Outcome.NOT_A_QUERY && get) {
            status = 405;
            ctx.header("Allow", "POST");
        } else if (answer.outcome() == Outcome.BUSY) {
            status = 503;
            ctx.header("Retry-After", "1");
        } else if (answer.outcome() == Outcome.RATE_LIMITED) {
            status = 429;
            ctx.header("Retry-After", Long.toString(answer.retryAfterSeconds()));
        }
        ctx.attribute(HttpServer.OPERATION_ATTRIBUTE, answer.operation());
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("application/json; charset=utf-8").result(answer.json());
    }

    private static Map<String, Object> variables(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        JsonNode value = node;
        if (node.isTextual()) { // some clients send the variables as a JSON string
            try {
                value = JSON.readTree(node.asText());
            } catch (JacksonException e) {
                throw badRequest("\"variables\" must be a JSON object: " + e.getOriginalMessage());
            }
        }
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw badRequest("\"variables\" must be a JSON object, e.g. {\"first\": 10}");
        }
        return JSON.convertValue(value, OBJECT);
    }

    private byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw badRequest("The body could not be read: " + e.getMessage());
        }
    }

    private HttpProblem tooLarge() {
        return new HttpProblem(413, "PAYLOAD_TOO_LARGE", "The request body is larger than " + maxBodyBytes
                + " bytes, the most this server accepts (dagscope serve --max-body-bytes)");
    }

    private static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "BAD_REQUEST", message);
    }
}
