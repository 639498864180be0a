package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard by keyboard alone: the focus stays where the user put it when the window, a filter or the page of runs
 * changes, a filter applies when chosen (not on each arrow step), nothing focused is hidden under the sticky
 * header, and a table wider than a phone is scrolled by keyboard.
 */
class DashboardKeyboardTest {

    private static DashboardServer server;
    private static Browser browser;
    private DashboardPage page;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        server = DashboardServer.samples();
        browser = Browser.start(1440, 900, false);
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
        assertEquals(List.of(), browser.consoleMessages(Level.WARNING));
    }

    @Test
    void theArrowKeysChangeTheWindowAndTheFocusStaysOnTheChosenOne() {
        page = new DashboardPage(browser).open(server.url());

        browser.driver.findElement(By.id("window-24h")).sendKeys(Keys.ARROW_LEFT);
        browser.await("the 6 h window", d -> browser.location().contains("window=6h"));
        assertEquals("window-6h", page.focused());
        browser.await("the tiles of the 6 h window", d -> browser.text("#tiles .group-label").equals(
                "TASKS · LAST 6 H"));
        assertEquals("window-6h", page.focused(), "the focus stays when the new window's data arrives");

        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
        browser.await("the 1 h window", d -> browser.location().contains("window=1h"));
        assertEquals("window-1h", page.focused());

        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        browser.await("the server's default window, left out of the URL", d -> !browser.location().contains("window="));
        assertEquals("window-24h", page.focused());
        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
        browser.await("the 7 d window", d -> browser.location().contains("window=7d"));
        assertEquals("window-7d", page.focused());
        browser.await("the tiles of the 7 d window", d -> browser.text("#tiles .group-label").equals(
                "TASKS · LAST 7 D"));
        assertEquals("window-7d", page.focused());
    }

    @Test
    void aFilterAppliesOnEnterOrWhenLeftNotOnEachArrowStep() {
        page = new DashboardPage(browser).open(server.url());
        browser.await("the tenants and DAGs", d -> d.findElements(By.cssSelector("#tenant-filter option")).size() > 2
                && d.findElements(By.cssSelector("#dag-filter option")).size() > 2);
        String runs = page.runsSummary();

        WebElement tenant = browser.driver.findElement(By.id("tenant-filter"));
        tenant.sendKeys(Keys.ARROW_DOWN);
        tenant.sendKeys(Keys.ARROW_DOWN);
        String second = String.valueOf(browser.script("return document.getElementById('tenant-filter').value"));
        assertFalse(second.isEmpty(), "the arrows moved the choice");
        assertEquals("/", browser.location(), "two arrow steps applied nothing");
        assertEquals(runs, page.runsSummary());

        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("the tenant applied on Enter", d -> browser.location().equals("/?tenant=" + second));
        browser.await("the runs of " + second, d -> !page.runsSummary().equals(runs)
                && page.runColumn(2).stream().allMatch(second::equals));
        assertEquals("tenant-filter", page.focused());

        WebElement dag = browser.driver.findElement(By.id("dag-filter"));
        dag.sendKeys(Keys.ARROW_DOWN);
        String first = String.valueOf(browser.script("return document.getElementById('dag-filter').value"));
        assertFalse(first.isEmpty());
        assertEquals("/?tenant=" + second, browser.location(), "an arrow step applied nothing");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        browser.await("the DAG applied when the filter was left", d -> browser.location().contains("dag=" + first));
    }

    @Test
    void thePagerKeepsTheFocusWhenItReachesEitherEnd() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String at = String.format("2025-10-21T10:%02d:00.000000+00:00", i);
            String done = String.format("2025-10-21T10:%02d:30.000000+00:00", i);
            lines.add("{\"timestamp\": \"" + at + "\", \"event\": \"dag_start\", \"dag_name\": \"pager_probe\", "
                    + "\"dag_run_id\": \"run-" + i + "\", \"tenant\": \"acme-corp\", \"task_count\": 0}");
            lines.add("{\"timestamp\": \"" + done + "\", \"event\": \"dag_done\", \"dag_name\": \"pager_probe\", "
                    + "\"dag_run_id\": \"run-" + i + "\", \"tenant\": \"acme-corp\", \"tasks_succeeded\": 0, "
                    + "\"tasks_failed\": 0, \"duration_seconds\": 30.0}");
        }
        try (DashboardServer thirty = DashboardServer.lines(lines, List.of(), "2025-10-21T11:00:00Z")) {
            page = new DashboardPage(browser).open(thirty.url());
            browser.await("the first page", d -> browser.text("#runs-page").equals("1–25 of 30"));
            WebElement newer = browser.driver.findElement(By.id("runs-newer"));
            WebElement older = browser.driver.findElement(By.id("runs-older"));
            assertEquals("true", newer.getAttribute("aria-disabled"), "no newer page on the first");

            older.sendKeys(Keys.ENTER);
            browser.await("the second page", d -> browser.text("#runs-page").equals("26–30 of 30"));
            assertEquals("runs-older", page.focused(), "the focus stays on Older, now at its end");
            assertEquals("true", older.getAttribute("aria-disabled"));
            browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            assertEquals("26–30 of 30", browser.text("#runs-page"), "Older at its end does nothing");

            newer.sendKeys(Keys.ENTER);
            browser.await("the first page again", d -> browser.text("#runs-page").equals("1–25 of 30"));
            assertEquals("runs-newer", page.focused(), "the focus stays on Newer, now at its end");
            assertEquals("true", newer.getAttribute("aria-disabled"));
            assertEquals("false", older.getAttribute("aria-disabled"));
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", "pager.png"));
            browser.open("about:blank"); // before its server stops
        }
    }

    @Test
    void nothingFocusedIsHiddenUnderTheStickyHeader() {
        page = new DashboardPage(browser).open(server.url()).awaitPanels();

        // the skip link: the runs' panel is shown below the header, not under it
        browser.script("window.scrollTo(0, 0)");
        browser.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertEquals("skip-link", String.valueOf(browser.script("return document.activeElement.className")));
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await("the runs panel focused", d -> "runs".equals(page.focused()));
        assertBelowTheHeader("#runs");

        // backwards from the bottom of the page, each focused element scrolled into view is below the header
        browser.script("window.scrollTo(0, document.documentElement.scrollHeight)");
        browser.driver.findElement(By.cssSelector(".footer a:last-of-type")).sendKeys(Keys.NULL);
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            String obscured = obscuredFocus();
            if (!obscured.isEmpty()) {
                hidden.add(obscured);
            }
        }
        assertEquals(List.of(), hidden, "focused elements under the sticky header");
    }

    @Test
    void onAPhoneEveryWideTableIsANamedTabStopAndTheArrowKeysScrollIt() {
        page = new DashboardPage(browser);
        try (Browser phone = Browser.start(390, 844, false)) {
            new DashboardPage(phone).open(server.url()).awaitPanels();
            String wrap = "#schedules .table-wrap";
            assertEquals(true, phone.script("const w = document.querySelector(arguments[0]);"
                    + "return w.scrollWidth > w.clientWidth", wrap), "the schedules table is wider than a phone");
            // Chromium (since 130) makes a scrolling container a Tab stop by itself; other browsers need a tabindex
            assertEquals(List.of(), phone.script("return Array.from(document.querySelectorAll('.table-wrap'))"
                    + ".filter(w => w.scrollWidth > w.clientWidth + 1 && !(w.getAttribute('tabindex') === '0'"
                    + "  && w.getAttribute('role') === 'region' && w.getAttribute('aria-label')))"
                    + ".map(w => w.closest('section').id)"), "tables that scroll sideways without being a named Tab "
                    + "stop in every browser");

            phone.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            List<String> path = new ArrayList<>();
            for (int i = 0; i < 400 && !Boolean.TRUE.equals(phone.script(
                    "return document.activeElement.matches(arguments[0])", wrap)); i++) {
                path.add(String.valueOf(phone.script("const e = document.activeElement;"
                        + "return e.tagName + (e.id ? '#' + e.id : '') + ' ' + e.textContent.trim().slice(0, 20)")));
                phone.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertEquals(true, phone.script("return document.activeElement.matches(arguments[0])", wrap),
                    "Tab reaches the schedules table; it went through " + path);
            assertEquals("Schedules, table", phone.script("return document.activeElement.getAttribute('aria-label')"));

            for (int i = 0; i < 5; i++) {
                phone.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
            }
            phone.await("the table scrolled sideways", d -> ((Number) phone.script(
                    "return document.querySelector(arguments[0]).scrollLeft", wrap)).doubleValue() > 0);
            assertEquals(List.of(), phone.consoleMessages(Level.WARNING));
        }
    }

    /** @return a description of the focused element when part of it is under the sticky header, else "" */
    private String obscuredFocus() {
        return String.valueOf(browser.script("const e = document.activeElement;"
                + "const bar = document.querySelector('.topbar');"
                + "if (!e || bar.contains(e) || getComputedStyle(bar).position !== 'sticky') { return ''; }"
                + "const r = e.getBoundingClientRect(); const b = bar.getBoundingClientRect().bottom;"
                + "return r.top < b - 0.5 && r.bottom > 0 ? e.tagName + ' ' + e.textContent.trim().slice(0, 40)"
                + " + ' at ' + r.top.toFixed(0) + ' under a header ending at ' + b.toFixed(0) : '';"));
    }

    private void assertBelowTheHeader(String css) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) browser.script("return {top: document.querySelector("
                + "arguments[0]).getBoundingClientRect().top, header: document.querySelector('.topbar')"
                + ".getBoundingClientRect().bottom}", css);
        double top = ((Number) box.get("top")).doubleValue();
        double header = ((Number) box.get("header")).doubleValue();
        assertTrue(top >= header, css + " starts at " + top + " px, under the header ending at " + header + " px");
    }
}
