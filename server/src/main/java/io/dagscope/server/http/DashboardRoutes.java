package io.dagscope.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard: its page on {@code /} and its assets (ES modules, CSS, icons, and the ECharts bundle with its licences)
 * under {@code /assets/<version>/...}, all from the classpath and held in memory. The version is a digest of every
 * asset, so an asset URL always names the same bytes: assets are cached for a year, the page is revalidated on every
 * load and names the current version. Only the files listed in the {@code web-ui} module's {@code assets.txt} are
 * served.
 */
final class DashboardRoutes {

    /** Where the dashboard's files are in {@code web-ui}. */
    static final String ROOT = "/io/dagscope/webui/dashboard/";
    /** The list of the assets to serve, one path (relative to {@link #ROOT}) a line. */
    static final String MANIFEST = ROOT + "assets.txt";
    /** The marker in {@code index.html} that the server replaces with the versioned asset prefix when serving it. */
    static final String ASSETS_PLACEHOLDER = "{{assets}}";
    /**
     * A strict policy: scripts, styles and connections (HTTP and the WebSocket) to this server only; no inline script
     * or style, so text from the logs can never become code.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";
    /** How long a browser may keep a versioned asset. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets;
    private final String version;
    private final byte[] page;

    /**
     * Loads the page and every listed asset.
     *
     * @throws IllegalStateException if the page, the manifest or a listed asset is missing
     */
    DashboardRoutes() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (String line : new String(read(MANIFEST), StandardCharsets.UTF_8).split("\n")) {
            String path = line.strip();
            if (path.isEmpty() || path.startsWith("#")) {
                continue;
            }
            loaded.put(path, new Asset(read(ROOT + path), contentType(path)));
        }
        this.assets = Map.copyOf(loaded);
        this.version = digest(loaded);
        this.page = new String(read(ROOT + "index.html"), StandardCharsets.UTF_8)
                .replace(ASSETS_PLACEHOLDER, "assets/" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the current asset version, part of every asset URL */
    String version() {
        return version;
    }

    /**
     * {@code GET /}: the page, revalidated on every load so that it always names the current assets.
     *
     * @param ctx the request
     */
    void page(Context ctx) {
        headers(ctx, "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    /**
     * {@code GET /assets/{version}/<path>}: an asset. Under the current version it may be cached for good; under an
     * older one (a page loaded before the server was upgraded) the current bytes are served, to be revalidated.
     *
     * @param ctx the request
     */
    void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("path"));
        if (asset == null) {
            throw new HttpProblem(404, "NOT_FOUND", "No such dashboard asset");
        }
        headers(ctx, version.equals(ctx.pathParam("version")) ? IMMUTABLE : "no-cache");
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static void headers(Context ctx, String cacheControl) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", cacheControl);
    }

    static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "json", "webmanifest" -> "application/json; charset=utf-8";
            case "txt" -> "text/plain; charset=utf-8";
            default -> throw new IllegalStateException("dashboard asset of an unknown type: " + path);
        };
    }

    private static String digest(Map<String, Asset> assets) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assets.forEach((path, asset) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(asset.bytes());
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
