package io.dagscope.server.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The error pages Jetty writes itself (a malformed request, headers or a URI too large, a WebSocket upgrade to a path
 * with no socket, a failure outside the routes): JSON in the API's error shape whatever the client accepts,
 * {@code no-store} and {@code nosniff}, and worded by status alone, so they never repeat the request. Jetty's own
 * pages are HTML that quote the URI.
 */
final class ErrorPages {

    static final String NO_STORE = "no-store";
    static final String NOSNIFF = "nosniff";
    static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    private static final String JSON = "application/json";

    private ErrorPages() {
    }

    /** For the server: requests refused before they reach the servlet context. */
    static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        ForServer() {
            setShowStacks(false);
            setShowCauses(false);
            setShowOrigin(false);
            setCacheControl(NO_STORE);
        }

        @Override
        protected void generateCacheControl(Response response) {
            headers(response.getHeaders());
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            return super.generateAcceptableResponse(request, response, callback, JSON,
                    List.of(StandardCharsets.UTF_8), code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                Throwable cause) {
            writer.write(body(code));
        }
    }

    /** For the servlet context: errors Javalin leaves to Jetty (a WebSocket upgrade to a path with no socket). */
    static final class ForContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        ForContext() {
            setShowStacks(false);
            setShowCauses(false);
            setShowOrigin(false);
            setCacheControl(NO_STORE);
        }

        @Override
        protected void generateCacheControl(Response response) {
            headers(response.getHeaders());
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            return super.generateAcceptableResponse(request, response, callback, JSON,
                    List.of(StandardCharsets.UTF_8), code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                Throwable cause) {
            writer.write(body(code));
        }
    }

    private static void headers(HttpFields.Mutable fields) {
        fields.put(HttpHeader.CACHE_CONTROL, NO_STORE);
        fields.put(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    }

    private static String body(int status) {
        return new String(HttpProblem.forStatus(status).body(), StandardCharsets.UTF_8);
    }
}
