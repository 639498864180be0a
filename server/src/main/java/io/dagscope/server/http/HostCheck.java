package io.dagscope.server.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses, before anything else runs (routes, sessions, WebSocket upgrades), a request whose {@code Host} header or
 * absolute target names a host the server does not answer for ({@link AllowedHosts}): 421 Misdirected Request with a
 * JSON error naming {@code --allowed-host}. The refused name is not repeated.
 */
final class HostCheck extends Handler.Wrapper {

    static final int STATUS = 421;
    private static final HttpProblem REFUSED = new HttpProblem(STATUS, "MISDIRECTED_REQUEST", "This server does not "
            + "answer for the host this request names. It answers localhost, names under .localhost, IP addresses and "
            + "the names given with dagscope serve --allowed-host NAME (or server.allowed_hosts in the config file); "
            + "other names are refused so that a web page cannot reach it through a name it controls (DNS rebinding)");

    private final AllowedHosts hosts;
    private final Consumer<Request> refused;

    /**
     * @param hosts the hosts answered
     * @param refused told of each refused request (for metrics and the access log)
     */
    HostCheck(AllowedHosts hosts, Consumer<Request> refused) {
        this.hosts = hosts;
        this.refused = refused;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (allowed(request)) {
            return super.handle(request, response, callback);
        }
        refused.accept(request);
        response.setStatus(STATUS);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(REFUSED.body()), callback);
        return true;
    }

    private boolean allowed(Request request) {
        String header = request.getHeaders().get(HttpHeader.HOST);
        if (header != null && !hosts.allows(header)) {
            return false;
        }
        HttpURI uri = request.getHttpURI();
        String target = uri.getHost();
        return target == null || target.isEmpty() || hosts.allows(uri.getPort() > 0 ? hostForAuthority(target) + ":"
                + uri.getPort() : hostForAuthority(target));
    }

    private static String hostForAuthority(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
