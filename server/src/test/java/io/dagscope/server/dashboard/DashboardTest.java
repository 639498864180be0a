package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser against a real server reading the sample logs, with "now" fixed at
 * {@value DashboardServer#END}: what it shows is what the API answers.
 */
class DashboardTest {

    private static DashboardServer server;
    private static Browser browser;
    private DashboardPage page;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        server = DashboardServer.samples();
        browser = Browser.start(1440, 1000, false);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noErrorsInTheConsole(TestInfo test) {
        page.fullPageScreenshot(Path.of("target", "dashboard-tests", test.getTestMethod().orElseThrow().getName()
                + ".png"));
        List<String> errors = browser.consoleMessages(Level.WARNING);
        assertEquals(List.of(), errors, "the browser logged no error, warning or CSP violation");
    }

    @Test
    void kpiTilesShowTheNumbersTheApiReturns() {
        page = new DashboardPage(browser).open(server.url());

        JsonNode api = server.graphql("{ taskSummary { windowStart window { succeeded failed retried errorRate "
                + "avgDurationSeconds p95DurationSeconds } } runCounts { running paused stale } }");
        JsonNode window = api.get("taskSummary").get("window");
        assertEquals(DashboardPage.count(window.get("succeeded").asLong()), page.tile("succeeded"));
        assertEquals(DashboardPage.count(window.get("failed").asLong()), page.tile("failed"));
        assertEquals(DashboardPage.count(window.get("retried").asLong()), page.tile("retried"));
        assertEquals(DashboardPage.percent(window.get("errorRate").asDouble()), page.tile("errorRate"));
        assertEquals(DashboardPage.duration(window.get("avgDurationSeconds").asDouble()), page.tile("avgDuration"));
        assertEquals(DashboardPage.duration(window.get("p95DurationSeconds").asDouble()), page.tile("p95Duration"));
        JsonNode counts = api.get("runCounts");
        assertEquals(DashboardPage.count(counts.get("running").asLong()), page.tile("running"));
        assertEquals(DashboardPage.count(counts.get("paused").asLong()), page.tile("paused"));
        assertEquals(DashboardPage.count(counts.get("stale").asLong()), page.tile("stale"));
        assertTrue(counts.get("stale").asLong() > 0, "the samples have stale runs, shown apart");

        JsonNode before = server.graphql("{ taskSummary(window: {hours: 24, end: \""
                + api.get("taskSummary").get("windowStart").asText() + "\"}) { window { failed } } }");
        long change = window.get("failed").asLong() - before.get("taskSummary").get("window").get("failed").asLong();
        browser.await("the change against the previous window", d -> !page.tileNote("failed").isBlank());
        assertTrue(page.tileNote("failed").startsWith((change > 0 ? "▲ " : "▼ ") + DashboardPage.count(Math.abs(change))),
                page.tileNote("failed"));
    }
}
