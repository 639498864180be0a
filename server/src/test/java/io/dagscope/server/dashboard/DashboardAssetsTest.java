package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the server serves the dashboard's files: which ones, with which caching and security headers. */
class DashboardAssetsTest {

    /** The dashboard's sources in the web-ui module. */
    static final Path SOURCES = Path.of("..", "web-ui", "src", "main", "resources", "io", "dagscope", "webui",
            "dashboard");
    static final Pattern IMPORT = Pattern.compile("(?m)^(?:import|export)\\s[^'\"]*?from\\s+'([^']+)'|^import\\s+'([^']+)'"
            + "|\\bimport\\('([^']+)'\\)");
    /** Where the ECharts bundle is made (its package lock records the versions in it). */
    static final Path ECHARTS_BUILD = Path.of("..", "web-ui", "echarts");
    /** Where the graphql-ws client's bundle is made (its lock records the versions, its README the bundle's digest). */
    static final Path GRAPHQL_WS_BUILD = Path.of("..", "web-ui", "graphql-ws");
    static final Pattern ASSET_PATH = Pattern.compile("assets/([0-9a-f]{16})/");

    private static DashboardServer server;

    @BeforeAll
    static void start() {
        server = DashboardServer.lines(List.of(), List.of(), "2025-10-21T18:00:00Z");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theAssetListNamesExactlyTheDashboardsFiles() throws IOException {
        Set<String> listed = new TreeSet<>(manifest());
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            walk.filter(Files::isRegularFile).map(p -> SOURCES.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("index.html") && !p.equals("assets.txt")).forEach(files::add);
        }
        assertEquals(files, listed);
    }

    @Test
    void everyModuleImportIsAnAssetTheServerServes() throws IOException {
        List<String> assets = new ArrayList<>(manifest());
        String version = version();
        int imports = 0;
        for (String asset : manifest()) {
            if (!asset.endsWith(".js")) {
                continue;
            }
            String source = Files.readString(SOURCES.resolve(asset), StandardCharsets.UTF_8);
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                imports++;
                String resolved = Path.of(asset).resolveSibling(target).normalize().toString().replace('\\', '/');
                assertTrue(assets.contains(resolved), asset + " imports " + target + ", which is not served");
                assertEquals(200, server.get("assets/" + version + "/" + resolved).statusCode(), resolved);
            }
        }
        assertTrue(imports > 20, "the imports were found: " + imports);
        assertTrue(Files.readString(SOURCES.resolve("js/charts.js")).contains("import('../vendor/echarts.min.js')"),
                "ECharts is imported when the first chart is made");
    }

    @Test
    void theEchartsBundleNamesTheLockedVersionsAndItsLicencesAreServed() throws IOException {
        String lock = Files.readString(ECHARTS_BUILD.resolve("package-lock.json"), StandardCharsets.UTF_8);
        String version = version();
        HttpResponse<byte[]> bundle = server.get("assets/" + version + "/vendor/echarts.min.js");
        assertEquals(200, bundle.statusCode());
        assertTrue(header(bundle, "Content-Type").startsWith("text/javascript"), "modules need a JavaScript type");
        String banner = new String(bundle.body(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        for (String[] named : List.of(new String[] {"echarts", "Apache ECharts"}, new String[] {"zrender", "ZRender"},
                new String[] {"tslib", "tslib"}, new String[] {"esbuild", "esbuild"})) {
            Matcher locked = Pattern.compile("\"node_modules/" + named[0] + "\": \\{\\s*\"version\": \"([^\"]+)\"")
                    .matcher(lock);
            assertTrue(locked.find(), named[0] + " is in the lock file");
            assertTrue(banner.contains(named[1] + " " + locked.group(1)), banner + " names " + named[1] + " "
                    + locked.group(1));
        }
        Matcher licence = Pattern.compile("[a-z]+-(?:LICENSE|NOTICE)[-a-z0-9]*\\.txt").matcher(banner);
        int licences = 0;
        while (licence.find()) {
            HttpResponse<byte[]> text = server.get("assets/" + version + "/vendor/" + licence.group());
            assertEquals(200, text.statusCode(), licence.group());
            assertTrue(header(text, "Content-Type").startsWith("text/plain"), licence.group());
            licences++;
        }
        assertEquals(5, licences, banner);
    }

    @Test
    void theGraphqlWsBundleNamesTheLockedVersionsHasTheRecordedDigestAndItsLicenceIsServed() throws IOException,
            NoSuchAlgorithmException {
        String lock = Files.readString(GRAPHQL_WS_BUILD.resolve("package-lock.json"), StandardCharsets.UTF_8);
        String version = version();
        HttpResponse<byte[]> bundle = server.get("assets/" + version + "/vendor/graphql-ws.min.js");
        assertEquals(200, bundle.statusCode());
        assertTrue(header(bundle, "Content-Type").startsWith("text/javascript"), "modules need a JavaScript type");
        String text = new String(bundle.body(), StandardCharsets.UTF_8);
        String banner = text.lines().findFirst().orElseThrow();
        for (String name : List.of("graphql-ws", "esbuild")) {
            Matcher locked = Pattern.compile("\"node_modules/" + name + "\": \\{\\s*\"version\": \"([^\"]+)\"")
                    .matcher(lock);
            assertTrue(locked.find(), name + " is in the lock file");
            assertTrue(banner.contains(name + " " + locked.group(1)), banner + " names " + name + " " + locked.group(1));
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle.body()));
        assertTrue(Files.readString(GRAPHQL_WS_BUILD.resolve("README.md"), StandardCharsets.UTF_8).contains(digest),
                "web-ui/graphql-ws/README.md records the bundle's SHA-256 " + digest);
        assertTrue(!text.contains("eval(") && !text.contains("Function("), "nothing the page's policy forbids");
        HttpResponse<byte[]> licence = server.get("assets/" + version + "/vendor/graphql-ws-LICENSE.txt");
        assertEquals(200, licence.statusCode());
        assertTrue(header(licence, "Content-Type").startsWith("text/plain"));
        assertTrue(new String(licence.body(), StandardCharsets.UTF_8).startsWith("MIT License"));
        assertTrue(banner.contains("graphql-ws-LICENSE.txt"), banner);
        assertTrue(Files.readString(SOURCES.resolve("js/graphql.js")).contains(
                "import {CloseCode, createClient} from '../vendor/graphql-ws.min.js';"),
                "the dashboard's WebSocket is graphql-ws's client");
    }

    @Test
    void thePageIsRevalidatedAndAssetsUnderItsVersionAreCachedForGood() {
        HttpResponse<byte[]> page = server.get("");
        assertEquals(200, page.statusCode());
        assertEquals("no-cache", header(page, "Cache-Control"));
        assertTrue(header(page, "Content-Type").startsWith("text/html"));
        String version = version();

        HttpResponse<byte[]> css = server.get("assets/" + version + "/dashboard.css");
        assertEquals(200, css.statusCode());
        assertEquals("public, max-age=31536000, immutable", header(css, "Cache-Control"));
        assertTrue(header(css, "Content-Type").startsWith("text/css"));

        HttpResponse<byte[]> older = server.get("assets/0000000000000000/dashboard.css");
        assertEquals(200, older.statusCode(), "a page from before an upgrade still loads");
        assertEquals("no-cache", header(older, "Cache-Control"), "but the current bytes are not kept under an old name");
        assertEquals(404, server.get("assets/" + version + "/index.html").statusCode());
        assertEquals(404, server.get("assets/" + version + "/js/../assets.txt").statusCode());
        assertEquals(404, server.get("assets/" + version + "/nope.js").statusCode());
    }

    @Test
    void everyDashboardResponseCarriesAStrictContentSecurityPolicy() {
        for (String path : List.of("", "assets/" + version() + "/js/main.js")) {
            HttpResponse<byte[]> r = server.get(path);
            String csp = header(r, "Content-Security-Policy");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self';")
                    && csp.contains("style-src 'self';") && csp.contains("connect-src 'self'")
                    && csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
            assertEquals("nosniff", header(r, "X-Content-Type-Options"));
            assertEquals("no-referrer", header(r, "Referrer-Policy"));
        }
        String html = new String(server.get("").body(), StandardCharsets.UTF_8);
        assertTrue(!html.contains("<script>") && !html.contains(" style=") && !html.contains("<style"),
                "the page has no inline script or style for the policy to allow");
        assertTrue(!html.contains("http://") && !html.contains("https://"), "nothing from another site (no CDN)");
    }

    private static List<String> manifest() throws IOException {
        return Files.readAllLines(SOURCES.resolve("assets.txt")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String version() {
        Matcher m = ASSET_PATH.matcher(new String(server.get("").body(), StandardCharsets.UTF_8));
        assertTrue(m.find(), "the page names its asset version");
        return m.group(1);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
