package io.dagscope.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The in-browser GraphQL explorer: GraphiQL and React from their WebJars, and the page that starts them from the
 * {@code web-ui} module, all from the classpath, so the explorer works offline. Only the files named here are served.
 */
final class ExplorerRoutes {

    /** The explorer's page in {@code web-ui}. */
    static final String PAGE = "/io/dagscope/webui/explorer/index.html";
    /**
     * A strict policy: scripts, styles and connections from this server only (GraphiQL sets inline styles, and
     * its icons are data URLs). {@code connect-src 'self'} covers the WebSocket to this server's own origin (CSP
     * level 3: {@code 'self'} matches {@code ws:} and {@code wss:} on the page's host and port) and nothing else.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, Asset> assets;

    private record Asset(String resource, String contentType) {
    }

    ExplorerRoutes() {
        String graphiql = "/META-INF/resources/webjars/graphiql/" + webjarVersion("graphiql") + "/";
        String react = "/META-INF/resources/webjars/react/" + webjarVersion("react") + "/umd/";
        String reactDom = "/META-INF/resources/webjars/react-dom/" + webjarVersion("react-dom") + "/umd/";
        this.assets = Map.of(
                "graphiql.min.js", new Asset(graphiql + "graphiql.min.js", "text/javascript; charset=utf-8"),
                "graphiql.min.css", new Asset(graphiql + "graphiql.min.css", "text/css; charset=utf-8"),
                "react.production.min.js", new Asset(react + "react.production.min.js",
                        "text/javascript; charset=utf-8"),
                "react-dom.production.min.js", new Asset(reactDom + "react-dom.production.min.js",
                        "text/javascript; charset=utf-8"),
                "explorer.js", new Asset("/io/dagscope/webui/explorer/explorer.js", "text/javascript; charset=utf-8"),
                "explorer.css", new Asset("/io/dagscope/webui/explorer/explorer.css", "text/css; charset=utf-8"),
                // dagscope's icon, the dashboard's: the tab shows it, and the browser asks for no /favicon.ico
                "icon.svg", new Asset("/io/dagscope/webui/dashboard/icon.svg", "image/svg+xml"));
        for (Asset a : assets.values()) {
            if (ExplorerRoutes.class.getResource(a.resource()) == null) {
                throw new IllegalStateException("explorer asset missing from the classpath: " + a.resource());
            }
        }
    }

    void page(Context ctx) throws IOException {
        if (ctx.path().endsWith("/")) { // the page's links are relative to where it is: keep it at .../graphiql
            ctx.redirect("../graphiql");
            return;
        }
        serve(ctx, PAGE, "text/html; charset=utf-8", "no-cache");
    }

    void asset(Context ctx) throws IOException {
        Asset asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            throw new HttpProblem(404, "NOT_FOUND", "No such explorer asset; assets: " + String.join(", ",
                    new java.util.TreeSet<>(assets.keySet())));
        }
        serve(ctx, asset.resource(), asset.contentType(), "public, max-age=3600");
    }

    private static void serve(Context ctx, String resource, String contentType, String cacheControl)
            throws IOException {
        try (InputStream in = ExplorerRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new HttpProblem(404, "NOT_FOUND", "Not found");
            }
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Cache-Control", cacheControl);
            ctx.contentType(contentType).result(in.readAllBytes());
        }
    }

    private static String webjarVersion(String artifact) {
        String resource = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = ExplorerRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
