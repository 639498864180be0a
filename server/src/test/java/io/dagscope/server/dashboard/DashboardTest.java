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

    @Test
    void theTenantDagAndStatusFiltersChangeTheTablesAndLiveInTheUrl() {
        page = new DashboardPage(browser).open(server.url());

        new Select(browser.driver.findElement(By.id("tenant-filter"))).selectByValue("acme-corp");
        browser.await("the tenant in the URL", d -> browser.location().contains("tenant=acme-corp"));
        long acmeRuns = server.graphql("{ dagRuns(filter: {tenant: \"acme-corp\"}) { totalCount } }")
                .get("dagRuns").get("totalCount").asLong();
        browser.await("the runs of acme-corp", d -> page.runsSummary().equals(DashboardPage.count(acmeRuns)
                + " runs match") && page.runColumn(2).stream().allMatch("acme-corp"::equals));
        JsonNode acme = server.graphql("{ taskSummary(tenant: \"acme-corp\") { window { failed } } "
                + "failures(tenant: \"acme-corp\") { signature } }");
        browser.await("the tiles of acme-corp", d -> page.tile("failed").equals(DashboardPage.count(
                acme.get("taskSummary").get("window").get("failed").asLong())));
        browser.await("the failures of acme-corp", d -> browser.driver.findElements(By.cssSelector(
                "#failure-list > li")).size() == acme.get("failures").size());
        browser.await("the schedules of acme-corp", d -> browser.driver.findElements(By.cssSelector(
                "#schedules-body .schedule-meta")).stream().allMatch(e -> e.getText().startsWith("acme-corp")));

        browser.driver.findElement(By.cssSelector("#status-filter .chip[data-status='FAILED']")).click();
        new Select(browser.driver.findElement(By.id("dag-filter"))).selectByValue("ops_sync");
        long failed = server.graphql("{ dagRuns(filter: {tenant: \"acme-corp\", dagName: \"ops_sync\", "
                + "statuses: [FAILED]}) { totalCount } }").get("dagRuns").get("totalCount").asLong();
        assertTrue(failed > 0, "the samples have failed ops_sync runs");
        browser.await("the failed ops_sync runs of acme-corp", d -> page.runsSummary().equals(
                DashboardPage.count(failed) + (failed == 1 ? " run match" : " runs match"))
                && page.runColumn(0).stream().allMatch("Failed"::equals)
                && page.runColumn(1).stream().allMatch("ops_sync"::equals));
        String shared = browser.location();
        assertTrue(shared.contains("status=FAILED") && shared.contains("dag=ops_sync"), shared);

        // the link, opened anew, shows the same view
        page.open(server.url() + shared.substring(shared.indexOf('?')));
        assertEquals("acme-corp", new Select(browser.driver.findElement(By.id("tenant-filter")))
                .getFirstSelectedOption().getAttribute("value"));
        assertEquals("true", browser.driver.findElement(By.cssSelector("#status-filter .chip[data-status='FAILED']"))
                .getAttribute("aria-pressed"));
        browser.await("the same runs", d -> page.runColumn(1).stream().allMatch("ops_sync"::equals)
                && page.runColumn(0).stream().allMatch("Failed"::equals) && !page.runRows().isEmpty());
    }

    @Test
    void aClickOnAFailedRunOpensItsTimelineWithTheFailingTasksErrorAndTheKeyboardDoesTheSame() {
        page = new DashboardPage(browser).open(server.url() + "?status=FAILED");
        JsonNode run = server.graphql("{ dagRuns(first: 1, filter: {statuses: [FAILED]}) { edges { node { id dagName "
                + "error taskCount tasks { taskId status error } } } } }").get("dagRuns").get("edges").get(0)
                .get("node");
        String id = run.get("id").asText();
        JsonNode failing = null;
        for (JsonNode task : run.get("tasks")) {
            if (task.get("status").asText().equals("FAILED")) {
                failing = task;
            }
        }
        assertTrue(failing != null, "a failed run has a failed task");
        browser.await("the failed runs", d -> !page.runRows().isEmpty()
                && id.equals(page.runRows().get(0).getAttribute("data-key")));

        page.runRows().get(0).findElement(By.cssSelector("td.tenant")).click();

        browser.await("the run's dialog", d -> page.runOpen() && browser.text("#run-title").equals(
                run.get("dagName").asText()) && !browser.driver.findElements(By.cssSelector(".tasks-table tbody tr"))
                .isEmpty());
        assertTrue(browser.location().contains("run=" + id), browser.location());
        assertEquals(run.get("error").asText(), browser.script(
                "return document.querySelector('#run-body .run-error pre').textContent"), "the full error text");
        WebElement taskRow = browser.driver.findElement(By.cssSelector(".tasks-table tbody tr[data-status='FAILED']"));
        assertEquals(failing.get("taskId").asText(), taskRow.getAttribute("data-task"));
        String firstLine = failing.get("error").asText().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow()
                .strip();
        assertTrue(taskRow.getText().contains(firstLine), taskRow.getText());
        browser.await("the timeline drawn", d -> !d.findElements(By.cssSelector("#run-body .gantt canvas")).isEmpty());
        String tasks = browser.text("#run-body .facts");
        assertTrue(tasks.contains("of " + run.get("taskCount").asInt() + " planned executed"), tasks);

        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await("the dialog closed", d -> !page.runOpen() && !browser.location().contains("run="));
        WebElement focused = browser.driver.switchTo().activeElement();
        assertEquals("run-link", focused.getAttribute("class"), "focus goes back to the run's link");

        focused.sendKeys(Keys.ENTER);
        browser.await("the dialog open again, from the keyboard", d -> page.runOpen()
                && browser.location().contains("run=" + id));
        browser.driver.navigate().back();
        browser.await("Back closes the run", d -> !page.runOpen());
        assertFalse(browser.location().contains("run="));
    }
}
