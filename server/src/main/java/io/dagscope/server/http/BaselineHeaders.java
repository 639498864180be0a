package io.dagscope.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff} on every response before anything
 * else runs, so that no answer (an error from any layer included) is kept by a cache or read by a browser as anything
 * but its declared type. The dashboard's and explorer's static files replace the {@code Cache-Control}.
 */
final class BaselineHeaders extends Handler.Wrapper {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, ErrorPages.NO_STORE);
        response.getHeaders().put(ErrorPages.X_CONTENT_TYPE_OPTIONS, ErrorPages.NOSNIFF);
        return super.handle(request, response, callback);
    }
}
