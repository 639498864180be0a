package io.dagscope.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The server keeps no HTTP sessions. Javalin reads the session's attributes at every WebSocket upgrade (to hand them to
 * the socket's context), and asking a request for its session creates one: Jetty made a session, and a
 * {@code JSESSIONID} cookie, for every handshake, accepted or refused, and kept it until it expired, which by default
 * it never does. This filter stands in front of everything Javalin does and gives each request an empty session that
 * holds nothing, belongs to no session manager and is gone with the request, so nothing a caller sends can leave one
 * behind.
 */
final class NoSessions implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request instanceof HttpServletRequest http ? new Request(http) : request, response);
    }

    /** A request without a session: asked for one, it gives the empty one. */
    private static final class Request extends HttpServletRequestWrapper {
        private final ServletContext context;

        Request(HttpServletRequest request) {
            super(request);
            this.context = request.getServletContext();
        }

        @Override
        public HttpSession getSession(boolean create) {
            return create ? new Empty(context) : null;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public String changeSessionId() {
            throw new IllegalStateException("this server keeps no HTTP sessions");
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            return false;
        }
    }

    /** A session that holds nothing and refuses to hold anything. */
    private record Empty(ServletContext context) implements HttpSession {

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public String getId() {
            return "";
        }

        @Override
        public long getLastAccessedTime() {
            return 0;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
            // nothing is kept, so nothing expires
        }

        @Override
        public int getMaxInactiveInterval() {
            return 0;
        }

        @Override
        public Object getAttribute(String name) {
            return null;
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public void setAttribute(String name, Object value) {
            throw new IllegalStateException("this server keeps no HTTP sessions");
        }

        @Override
        public void removeAttribute(String name) {
            // nothing to remove
        }

        @Override
        public void invalidate() {
            // nothing to end
        }

        @Override
        public boolean isNew() {
            return true;
        }
    }
}
