package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
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
}
