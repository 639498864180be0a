package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dagscope.server.dashboard.RateLimitingFront.Arrival;
import io.dagscope.server.dashboard.RateLimitingFront.Refusal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Lines appended to the followed log reach an open dashboard, without disturbing what the user is looking at. */
class DashboardLiveTest {

    /** A new run of acme-corp that fails inside the window ending at {@value DashboardServer#END}. */
    static final List<String> NEW_FAILED_RUN = List.of(
            "{\"timestamp\": \"2025-10-21T17:58:00.000001+00:00\", \"event\": \"dag_start\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"live-probe-run\", \"tenant\": \"acme-corp\", \"task_count\": 5}",
            "{\"timestamp\": \"2025-10-21T17:58:00.100000+00:00\", \"event\": \"task_start\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"live-probe-run\", \"task_id\": \"fetch_accounts\", \"workflow_ref\": \"crm_fetch\"}",
            "{\"timestamp\": \"2025-10-21T17:59:00.000000+00:00\", \"event\": \"task_fail\", \"dag_name\": \"ops_sync\", "
                    + "\"dag_run_id\": \"live-probe-run\", \"task_id\": \"fetch_accounts\", \"error\": "
                    + "\"live probe: connection refused\\nsecond line\"}");

    private DashboardServer server;
    /** A real HTTP server in front of it, when a test needs one. */
    private RateLimitingFront front;
    private Browser browser;
    private DashboardPage page;
    /** Console messages a test expects (a pattern), besides which the console must stay clean. */
    private String expectedConsole = "(?!)";

    @BeforeEach
    void start() {
        Browser.requireInstalled();
        server = DashboardServer.samples();
        browser = Browser.start(1440, 900, false);
        page = new DashboardPage(browser);
    }

    @AfterEach
    void stop(TestInfo test) {
        try {
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", test.getTestMethod().orElseThrow().getName()
                    + ".png"));
            assertEquals(List.of(), browser.consoleMessages(Level.WARNING).stream()
                    .filter(m -> !m.matches("(?s).*(" + expectedConsole + ").*")).toList());
        } finally {
            browser.close();
            if (front != null) {
                front.close();
            }
            server.close();
        }
    }

    @Test
    void appendedLinesUpdateTheTilesTheRunsAndTheOpenRunKeepingScrollFiltersAndTheOpenRun() {
        page.open(server.url() + "?tenant=acme-corp&run=live-probe-run");
        browser.await("the open run, not there yet", d -> browser.text("#run-title").equals("Run not found"));
        long failedBefore = server.graphql("{ taskSummary(tenant: \"acme-corp\") { window { failed } } }")
                .get("taskSummary").get("window").get("failed").asLong();
        assertEquals(DashboardPage.count(failedBefore), page.tile("failed"));
        String runsBefore = page.runsSummary();
        browser.script("window.scrollTo(0, 700)");
        Map<String, Object> scroll = browser.scroll();
        assertEquals(700L, ((Number) scroll.get("y")).longValue(), "the page is long enough to scroll");
        String location = browser.location();

        server.appendEvents(NEW_FAILED_RUN);

        browser.await("the new failure in the tile", d -> page.tile("failed").equals(
                DashboardPage.count(failedBefore + 1)));
        browser.await("the new run in the runs table's count", d -> !page.runsSummary().equals(runsBefore));
        browser.await("the open run, arrived", d -> browser.text("#run-title").equals("ops_sync")
                && browser.text("#run-status").equals("Failed"));
        assertEquals("live probe: connection refused\nsecond line", browser.script(
                "return document.querySelector('#run-body .run-error pre').textContent"));
        assertTrue(page.runOpen(), "the run stays open");
        assertEquals(location, browser.location(), "the URL (filters, open run) is unchanged");
        assertEquals(scroll, browser.scroll(), "the scroll position is kept");
        assertEquals("acme-corp", new Select(browser.driver.findElement(By.id("tenant-filter")))
                .getFirstSelectedOption().getAttribute("value"));
        assertEquals("live", page.liveStatus(), "the updates came through the subscription");
    }

    @Test
    void liveUpdatesArriveOverOneGraphqlTransportWsConnectionWithNothingPolled() {
        page.open(server.url()).awaitPanels();
        // the server upgrades only a socket that offers graphql-transport-ws, and takes subscriptions once it has
        // acknowledged the connection_init
        assertEquals(1, metric("dagscope_websocket_connections_active"), "one WebSocket for every panel");
        long subscriptions = metric("dagscope_subscriptions_active");
        assertTrue(subscriptions >= 10, "a subscription for each panel: " + subscriptions);
        long summaries = metric("dagscope_graphql_requests_total", "operation=\"Summary\"", "transport=\"websocket\"");
        String failed = page.tile("failed");

        server.appendEvents(NEW_FAILED_RUN);

        browser.await("the new failure in the tile", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        assertTrue(metric("dagscope_graphql_requests_total", "operation=\"Summary\"", "transport=\"websocket\"")
                > summaries, "the key figures were sent again over the WebSocket");
        assertEquals(0, metric("dagscope_graphql_requests_total", "transport=\"http\""), "nothing polled over HTTP");
        assertEquals(1, metric("dagscope_websocket_connections_active"), "the same WebSocket");
        assertEquals("live", page.liveStatus());
    }

    @ParameterizedTest(name = "closed with {0}")
    @ValueSource(ints = {1001, 1011, 4500})
    void aSocketTheServerClosesFallsBackToPollingThenComesBackLiveOnANewOne(int code) {
        front = new RateLimitingFront(server, Refusal.SECONDS, true);
        page.open(front.url()).awaitData();
        assertEquals(List.of(), arrivals("query"), "nothing polled while live");
        long closed = System.nanoTime();

        front.closeWebSockets(code, "closed by the test");

        browser.await("polling over HTTP meanwhile", d -> "polling".equals(page.liveStatus())
                && !arrivals("query", closed).isEmpty());
        browser.await("live again, on a new WebSocket", d -> "live".equals(page.liveStatus()));
        assertEquals(1, arrivals("connection_init", closed).size(), "connected once again");
        browser.await("every panel subscribed again", d -> arrivals("subscribe summary:", closed).size() == 1
                && arrivals("subscribe series:", closed).size() == 1 && arrivals("subscribe runs:", closed).size() == 1);
        String failed = page.tile("failed");
        server.appendEvents(NEW_FAILED_RUN);
        browser.await("the new failure, live", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        assertEquals("live", page.liveStatus());
    }

    @Test
    void aSocketNeverAcknowledgedFallsBackToPollingAndIsTriedAgain() {
        front = new RateLimitingFront(server, Refusal.SECONDS, true);
        front.holdConnectionInit(true); // the socket opens, its connection_init goes nowhere

        browser.open(front.url());
        browser.await("polling, with data", d -> "polling".equals(page.liveStatus())
                && !page.tile("failed").equals("–"));
        Arrival init = arrivals("connection_init").get(0);
        Arrival query = arrivals("query").get(0);
        long waited = TimeUnit.NANOSECONDS.toMillis(query.nanos() - init.nanos());
        assertTrue(waited >= 5000, "polled once the socket had had its time to be acknowledged (6 s), not before: "
                + waited + " ms");
        browser.await("the WebSocket tried again", d -> arrivals("connection_init").size() >= 2);

        front.holdConnectionInit(false);
        browser.await("live once a socket is acknowledged", d -> "live".equals(page.liveStatus()));
        String failed = page.tile("failed");
        server.appendEvents(NEW_FAILED_RUN);
        browser.await("the new failure, live", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        assertEquals("live", page.liveStatus());
    }

    /** @return what arrived at the front whose description starts so */
    private List<Arrival> arrivals(String what) {
        return front.arrivals().stream().filter(a -> a.what().startsWith(what)).toList();
    }

    /** @return what arrived at the front after then (in {@link System#nanoTime()}) whose description starts so */
    private List<Arrival> arrivals(String what, long since) {
        return arrivals(what).stream().filter(a -> a.nanos() - since > 0).toList();
    }

    /** @return a figure of the server's {@code /metrics}, summed over the lines whose labels contain all those given */
    private long metric(String name, String... labels) {
        String text = new String(server.get("metrics").body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToLong(l -> Math.round(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))).sum();
    }

    @Test
    void withoutTheWebSocketItPollsOverHttpAndStillUpdates() {
        expectedConsole = "WebSocket connection to 'ws://.*' failed";
        // as behind a proxy that does not forward WebSocket upgrades: every upgrade is answered without a socket
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "const NativeWebSocket = window.WebSocket;"
                + "window.WebSocket = function (url, protocol) {"
                + "  return new NativeWebSocket(url.replace(/graphql$/, 'no-websocket-here'), protocol); };"
                + "window.WebSocket.OPEN = NativeWebSocket.OPEN;"));
        browser.open(server.url());
        browser.await("polling, with data", d -> "polling".equals(page.liveStatus())
                && !page.tile("failed").equals("–"));
        assertTrue(browser.text("#live").startsWith("Polling · updated "), browser.text("#live"));
        String failed = page.tile("failed");

        server.appendEvents(NEW_FAILED_RUN);

        browser.await("the new failure, by polling", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        assertEquals("polling", page.liveStatus());
    }

    @Test
    void aSkippedLineMakesEveryPanelWarnThatItsDataMayBeIncomplete() {
        page.open(server.url());
        assertTrue(browser.driver.findElements(By.cssSelector(".panel-note")).stream().noneMatch(n -> n.isDisplayed()),
                "the samples are complete");

        server.appendEvents(List.of("{\"timestamp\": \"2025-10-21T17:59:00+00:00\", \"event\": \"task_ok\", broken"));

        List<String> panels = List.of("kpis", "outcomes", "durations", "error-rate", "runs", "failures", "schedules",
                "tenants", "quality");
        browser.await("a warning on every panel", d -> panels.stream().allMatch(id -> browser.text("#" + id
                + " .panel-note").startsWith("Data may be incomplete: events skipped 1 line")));
        browser.await("the reason, in data quality", d -> !d.findElements(By.cssSelector(
                "#quality .source[data-source='events'] .skips li")).isEmpty());
    }

    /**
     * A new run of acme-corp's ops_sync that fails a task with this error.
     *
     * @param start when it starts, e.g. 2025-10-21T17:50:00 (the sample's window ends at {@value DashboardServer#END};
     *     its newest run starts at 2025-10-22T13:45:00)
     */
    static List<String> failingRun(String id, String error, String start) {
        String at = start + ".000000+00:00";
        String end = start + ".500000+00:00";
        String quoted = TextNode.valueOf(error).toString();
        return List.of(
                "{\"timestamp\": \"" + at + "\", \"event\": \"dag_start\", \"dag_name\": \"ops_sync\", "
                        + "\"dag_run_id\": \"" + id + "\", \"tenant\": \"acme-corp\", \"task_count\": 5}",
                "{\"timestamp\": \"" + at + "\", \"event\": \"task_start\", \"dag_name\": \"ops_sync\", "
                        + "\"dag_run_id\": \"" + id + "\", \"task_id\": \"fetch_accounts\"}",
                "{\"timestamp\": \"" + end + "\", \"event\": \"task_fail\", \"dag_name\": \"ops_sync\", "
                        + "\"dag_run_id\": \"" + id + "\", \"task_id\": \"fetch_accounts\", \"error\": " + quoted
                        + "}");
    }

    @Test
    void theFocusedLinkStaysFocusedWhenALiveUpdateMovesOrReplacesIt() {
        page.open(server.url()).awaitPanels();

        // a run link on the last row of the page: a new run (the newest) pushes that row to the next page
        WebElement last = page.runRows().get(24);
        String lastRun = last.getAttribute("data-key");
        browser.script("arguments[0].querySelector('a').focus()", last);
        server.appendEvents(failingRun("focus-probe-1", "focus probe: first", "2025-10-22T13:50:00"));
        browser.await("the new run on top", d -> "focus-probe-1".equals(page.runRows().get(0).getAttribute(
                "data-key")));
        assertEquals(lastRun, browser.script("const a = document.activeElement;"
                + "return a.classList.contains('run-link') ? a.closest('tr').dataset.key : a.tagName"),
                "the focused run's link keeps the focus");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        browser.await("the row that left the page, gone once the focus left it", d -> Boolean.TRUE.equals(
                browser.script("return !document.querySelector('#runs-body tr[data-key=\"' + arguments[0] + '\"]')",
                        lastRun)));

        // the verdict's link, while the verdict changes
        String failed = page.tile("failed");
        browser.script("document.querySelector('#verdict a').focus()");
        server.appendEvents(failingRun("focus-probe-2", "focus probe: second", "2025-10-21T17:51:00"));
        browser.await("the new failure counted", d -> !page.tile("failed").equals(failed)
                && browser.text("#verdict .verdict-text").startsWith(page.tile("failed") + " tasks failed"));
        assertEquals("verdict-link", browser.script("return document.activeElement.className"));

        // a failure's link to its latest run, while that run changes
        JsonNode group = server.graphql("{ failures { signature exampleError } }").get("failures").get(0);
        String signature = group.get("signature").asText();
        browser.script("document.querySelector('#failure-list').querySelectorAll('li').forEach(li => {"
                + "if (li.dataset.key === arguments[0]) { li.querySelector('a.open-run').focus(); } })", signature);
        assertEquals("open-run", browser.script("return document.activeElement.className"));
        server.appendEvents(failingRun("focus-probe-3", group.get("exampleError").asText(), "2025-10-21T17:52:00"));
        browser.await("the failure's link to the new run", d -> "focus-probe-3".equals(browser.script(
                "return document.activeElement.dataset.run")));
    }

    @Test
    void pauseHoldsEveryUpdateUntilResumed() {
        page.open(server.url()).awaitPanels();
        String failed = page.tile("failed");
        String runs = page.runsSummary();
        WebElement pause = browser.driver.findElement(By.id("pause"));
        assertEquals("false", pause.getAttribute("aria-pressed"));

        pause.click();
        assertEquals("true", pause.getAttribute("aria-pressed"));
        String clock = browser.text("#schedules-body .countdown");
        server.appendEvents(NEW_FAILED_RUN);
        browser.await("the server's answer has changed", d -> server.graphql("{ dagRun(id: \"live-probe-run\") "
                + "{ status } }").get("dagRun").path("status").asText().equals("FAILED"));
        browser.await("updates waiting", d -> browser.text("#live").matches("Paused · \\d+ updates? waiting"));
        assertEquals(failed, page.tile("failed"), "the tiles hold still");
        assertEquals(runs, page.runsSummary(), "the runs hold still");
        assertEquals(clock, browser.text("#schedules-body .countdown"), "the countdowns hold still");

        pause.click();
        assertEquals("false", pause.getAttribute("aria-pressed"));
        browser.await("the held updates shown", d -> page.tile("failed").equals(DashboardPage.count(
                Long.parseLong(failed.replace(",", "")) + 1)) && !page.runsSummary().equals(runs));
        browser.await("live again", d -> browser.text("#live").startsWith("Live"));
    }

    @Test
    void onlyMeaningfulChangesAreAnnounced() {
        page.open(server.url()).awaitPanels();
        browser.script("window.announced = [];"
                + "for (const region of document.querySelectorAll('[aria-live]:not([aria-live=\"off\"]), "
                + "[role=status], [role=alert], [role=log]')) {"
                + "  new MutationObserver(() => window.announced.push(region.textContent.trim()))"
                + "    .observe(region, {subtree: true, childList: true, characterData: true}); }");
        String running = page.tile("running");

        server.appendEvents(NEW_FAILED_RUN.subList(0, 2)); // a new run starts: figures change, nothing to tell
        browser.await("the new running run", d -> !page.tile("running").equals(running));
        assertEquals(List.of(), browser.script("return window.announced"), "a routine refresh announces nothing");

        String failed = page.tile("failed");
        server.appendEvents(NEW_FAILED_RUN.subList(2, 3)); // its task fails: that is news
        browser.await("the failure counted", d -> !page.tile("failed").equals(failed));
        browser.await("the failure announced", d -> !((List<?>) browser.script("return window.announced")).isEmpty());
        List<?> announced = (List<?>) browser.script("return window.announced");
        assertEquals(1, announced.size(), String.valueOf(announced));
        assertTrue(String.valueOf(announced.get(0)).startsWith(page.tile("failed") + " tasks failed"),
                String.valueOf(announced));
    }

    @Test
    void pollingBacksOffAsTheServersRetryAfterSaysWithACalmNotice() {
        expectedConsole = "WebSocket connection to 'ws://.*' failed";
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ""
                + "const NativeWebSocket = window.WebSocket;"
                + "window.WebSocket = function (url, protocol) {"
                + "  return new NativeWebSocket(url.replace(/graphql$/, 'no-websocket-here'), protocol); };"
                + "window.WebSocket.OPEN = NativeWebSocket.OPEN;"
                // as a server whose rate budget for this caller is spent until spentUntil
                + "window.requests = []; window.spentUntil = 0; window.statuses = [];"
                + "const realFetch = window.fetch;"
                + "window.fetch = function (url, init) {"
                + "  const at = performance.now();"
                + "  if (String(url).endsWith('/graphql') && at < window.spentUntil) {"
                + "    const retry = Math.ceil((window.spentUntil - at) / 1000);"
                + "    window.requests.push({at, status: 429, retry});"
                + "    return Promise.resolve(new Response(JSON.stringify({errors: [{message: 'Rate budget spent. "
                + "Retry after ' + retry + ' s, or ask for less.', extensions: {classification: 'RATE_LIMITED', "
                + "budget: 'rate', retryAfterSeconds: retry}}]}), {status: 429, headers: {'Content-Type': "
                + "'application/json', 'Retry-After': String(retry)}}));"
                + "  }"
                + "  window.requests.push({at, status: 200});"
                + "  return realFetch.apply(this, arguments);"
                + "};"
                + "document.addEventListener('DOMContentLoaded', () => {"
                + "  const live = document.getElementById('live');"
                + "  new MutationObserver(() => window.statuses.push(live.dataset.status + ' ' + live.textContent"
                + "    .trim())).observe(live, {attributes: true, subtree: true, childList: true,"
                + "    characterData: true}); });"));
        browser.open(server.url());
        browser.await("polling, with data", d -> "polling".equals(page.liveStatus())
                && !page.tile("failed").equals("–"));

        browser.script("window.spentUntil = performance.now() + 12000; window.statuses = [];");
        browser.await("a refusal", d -> Boolean.TRUE.equals(browser.script(
                "return window.requests.some(r => r.status === 429)")));
        browser.await("the calm notice", d -> browser.text("#live").startsWith("Polling · the server asked to wait"));
        browser.await("polling again once the server allows", d -> Boolean.TRUE.equals(browser.script(
                "const first = window.requests.find(r => r.status === 429);"
                + "return window.requests.some(r => r.status === 200 && r.at > first.at)")));
        @SuppressWarnings("unchecked")
        List<Object> early = (List<Object>) browser.script("const first = window.requests.find(r => r.status === 429);"
                + "return window.requests.filter(r => r.at > first.at + 100 && r.at < first.at + first.retry * 1000)"
                + ".map(r => r.status + ' at +' + Math.round(r.at - first.at) + ' ms')");
        assertEquals(List.of(), early, "no request before Retry-After had passed");
        @SuppressWarnings("unchecked")
        List<String> statuses = (List<String>) browser.script("return window.statuses");
        assertTrue(statuses.stream().noneMatch(x -> x.startsWith("offline")), "never shown as disconnected: "
                + statuses);
        assertEquals(0L, browser.script("return document.querySelectorAll('.panel-note:not([hidden])').length"),
                "no panel shows an error");

        String failed = page.tile("failed");
        server.appendEvents(NEW_FAILED_RUN);
        browser.await("the new failure, by polling", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        browser.await("the notice gone", d -> browser.text("#live").startsWith("Polling · updated"));
    }

    @Test
    void aSubscriptionRefusedForTheRateBudgetIsSentAgainAfterRetryAfterWithoutAnError() {
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ""
                + "const NativeWebSocket = window.WebSocket;"
                + "window.subscribes = []; window.errors = []; window.notices = [];"
                // as a server whose rate budget refuses the key figures' first subscription
                + "window.WebSocket = function (url, protocol) {"
                + "  const socket = new NativeWebSocket(url, protocol);"
                + "  const send = socket.send.bind(socket);"
                + "  socket.send = function (text) {"
                + "    const m = JSON.parse(text);"
                + "    if (m.type === 'subscribe' && m.id.startsWith('summary:')) {"
                + "      window.subscribes.push(performance.now());"
                + "      if (window.subscribes.length === 1) {"
                + "        setTimeout(() => socket.onmessage({data: JSON.stringify({id: m.id, type: 'error', payload: "
                + "[{message: 'Rate budget spent. Retry after 3 s, or ask for less.', extensions: {classification: "
                + "'RATE_LIMITED', budget: 'rate', retryAfterSeconds: 3}}]})}), 0);"
                + "        return;"
                + "      }"
                + "    }"
                + "    send(text);"
                + "  };"
                + "  return socket;"
                + "};"
                + "window.WebSocket.OPEN = NativeWebSocket.OPEN;"
                + "document.addEventListener('DOMContentLoaded', () => {"
                + "  new MutationObserver(ms => { for (const m of ms) { if (m.target.dataset.error) {"
                + "    window.errors.push(m.target.dataset.error); } } }).observe(document.body, {attributes: true,"
                + "    attributeFilter: ['data-error'], subtree: true});"
                + "  const live = document.getElementById('live');"
                + "  new MutationObserver(() => window.notices.push(live.textContent.trim())).observe(live,"
                + "    {subtree: true, childList: true, characterData: true}); });"));
        page.open(server.url());
        List<?> subscribes = (List<?>) browser.script("return window.subscribes");
        assertEquals(2, subscribes.size(), "sent again once");
        double gap = ((Number) subscribes.get(1)).doubleValue() - ((Number) subscribes.get(0)).doubleValue();
        assertTrue(gap >= 3000, "sent again after Retry-After, not before: " + gap + " ms");
        assertEquals(List.of(), browser.script("return window.errors"), "no panel showed an error");
        List<?> notices = (List<?>) browser.script("return window.notices");
        assertTrue(notices.stream().anyMatch(n -> String.valueOf(n).contains("the server asked to wait")),
                String.valueOf(notices));
        assertFalse(page.tile("succeeded").equals("–"));
    }
}
