package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Results;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * The dashboard, a run's detail and the GraphQL explorer for every user: axe-core finds no violation on them in light
 * and dark, on a desktop and 320 px wide; on a phone nothing scrolls sideways; the page has a level-one heading; what
 * a finger taps is at least 24 px each way; and nothing moves under the reader as the answers arrive.
 */
class DashboardAccessibilityTest {

    /** A viewport and colour scheme. */
    record Display(String name, int width, int height, boolean dark) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Display> displays() {
        return Stream.of(new Display("desktop, light", 1440, 1000, false),
                new Display("desktop, dark", 1440, 1000, true),
                new Display("320 px, light", 320, 700, false),
                new Display("320 px, dark", 320, 700, true));
    }

    private static DashboardServer server;
    private static String failedRun;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        server = DashboardServer.samples();
        failedRun = server.graphql("{ dagRuns(first: 1, filter: {statuses: [FAILED]}) { edges { node { id } } } }")
                .get("dagRuns").get("edges").get(0).get("node").get("id").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("displays")
    void axeFindsNoViolationOnTheDashboardARunOrTheExplorer(Display display) {
        try (Browser browser = Browser.start(display.width(), display.height(), display.dark())) {
            DashboardPage page = new DashboardPage(browser).open(server.url()).awaitPanels();
            Results overview = Axe.assertNoViolation(browser, "the dashboard (" + display + ")");
            Axe.assertContrastCheckable(overview, "the dashboard (" + display + ")");

            browser.driver.findElement(By.cssSelector("#settings summary")).click();
            browser.await("the settings open", d -> d.findElement(By.id("stale-hours")).isDisplayed());
            Axe.assertNoViolation(browser, "the dashboard with its settings open (" + display + ")");

            page.openRun(server.url(), failedRun);
            browser.script("for (const d of document.querySelectorAll('#run-body details')) { d.open = true; }");
            Results run = Axe.assertNoViolation(browser, "a run's detail (" + display + ")");
            Axe.assertContrastCheckable(run, "a run's detail (" + display + ")");
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", "axe-run-" + display.width()
                    + (display.dark() ? "-dark" : "-light") + ".png"));

            browser.open(server.url() + "graphiql");
            browser.await("the explorer's editor", d -> !d.findElements(By.cssSelector(
                    ".graphiql-query-editor .CodeMirror-code")).isEmpty());
            Axe.assertNoViolation(browser, "the GraphQL explorer (" + display + ")");
            assertEquals(List.of(), browser.consoleMessages(Level.WARNING));
        }
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {320, 390})
    void onAPhoneNothingScrollsSidewaysAndEveryControlIsOnScreen(int width) {
        try (Browser browser = Browser.start(width, 800, false)) {
            DashboardPage page = new DashboardPage(browser).open(server.url()).awaitPanels();
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", "phone-" + width + ".png"));
            assertNoSidewaysScroll(browser, "the dashboard");
            assertOnScreen(browser, "#settings summary");
            assertOnScreen(browser, "#pause");
            browser.driver.findElement(By.cssSelector("#settings summary")).click();
            browser.await("the settings open", d -> d.findElement(By.id("stale-hours")).isDisplayed());
            assertOnScreen(browser, "#settings .settings-body");
            assertNoSidewaysScroll(browser, "the dashboard with its settings open");

            page.openRun(server.url(), failedRun);
            assertNoSidewaysScroll(browser, "a run's detail");
            assertOnScreen(browser, "#run-close");
        }
    }

    @Test
    void thePageHasOneLevelOneHeading() {
        try (Browser browser = Browser.start(1280, 900, false)) {
            new DashboardPage(browser).open(server.url());
            assertEquals(List.of("dagscope dashboard"), browser.script("return Array.from(document.querySelectorAll"
                    + "('h1')).map(h => h.textContent.replace(/\\s+/g, ' ').trim())"));
        }
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {390, 1440})
    void everyTapTargetIsAtLeast24PixelsEachWay(int width) {
        try (Browser browser = Browser.start(width, 900, false)) {
            new DashboardPage(browser).open(server.url()).awaitPanels();
            @SuppressWarnings("unchecked")
            Map<String, Object> measured = (Map<String, Object>) browser.script(""
                    + "const targets = Array.from(document.querySelectorAll('#runs-body a, #status-filter button,"
                    + " .pager button, #tenants-head button, #tenants-body button, #failure-list a,"
                    + " #failure-list summary, #settings summary, #window-choice label, #tenant-filter, #dag-filter,"
                    + " #pause, .verdict a, .footer a')).filter(e => e.getClientRects().length > 0);"
                    + "const small = targets.map(e => { const r = e.getBoundingClientRect();"
                    + "  return {what: e.tagName + ' ' + e.textContent.trim().slice(0, 30), w: r.width, h: r.height}; })"
                    + "  .filter(t => t.w < 24 || t.h < 24).map(t => t.what + ': ' + t.w.toFixed(1) + ' x '"
                    + "  + t.h.toFixed(1));"
                    + "return {runLinks: document.querySelectorAll('#runs-body a').length, small};");
            assertTrue(((Number) measured.get("runLinks")).intValue() >= 20, "the runs table is filled");
            assertEquals(List.of(), measured.get("small"), "tap targets smaller than 24 x 24 CSS pixels");
        }
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {1350, 412, 320})
    void nothingMovesAsTheAnswersArrive(int width) {
        try (Browser browser = Browser.start(width, width > 800 ? 940 : 823, false)) {
            // the Layout Instability API, as Lighthouse reads it: shifts not caused by the user
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ""
                    + "window.shifts = [];"
                    + "new PerformanceObserver(list => { for (const e of list.getEntries()) {"
                    + "  if (!e.hadRecentInput) { window.shifts.push({value: e.value, sources: e.sources.map(s =>"
                    + "    (s.node && (s.node.id || s.node.className) || '?') + ' ' + Math.round(s.previousRect.y)"
                    + "    + ' -> ' + Math.round(s.currentRect.y)).join(', ')}); } } })"
                    + ".observe({type: 'layout-shift', buffered: true});"));
            new DashboardPage(browser).open(server.url()).awaitPanels();
            browser.await("the charts drawn", d -> ((Number) browser.script("return Array.from(document"
                    + ".querySelectorAll('.chart canvas')).filter(c => c.width > 0).length")).intValue() >= 3);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shifts = (List<Map<String, Object>>) browser.script("return window.shifts");
            double total = shifts.stream().mapToDouble(x -> ((Number) x.get("value")).doubleValue()).sum();
            assertTrue(total < 0.05, "cumulative layout shift " + total + " at " + width + " px: " + shifts);
        }
    }

    private static void assertNoSidewaysScroll(Browser browser, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) browser.script("return {scroll: Math.max("
                + "document.documentElement.scrollWidth, document.body.scrollWidth), view: window.innerWidth,"
                // what sticks out, innermost first, to say in the failure what to fix
                + " wide: Array.from(document.querySelectorAll('body *')).filter(e => e.getClientRects().length > 0"
                + "  && e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-wrap'))"
                + "  .reverse().slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                + "  + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : '')"
                + "  + ' to ' + Math.round(e.getBoundingClientRect().right) + ' px')}");
        long scroll = ((Number) sizes.get("scroll")).longValue();
        long view = ((Number) sizes.get("view")).longValue();
        assertTrue(scroll <= view, what + " is " + scroll + " px wide in a " + view + " px viewport: "
                + sizes.get("wide"));
    }

    private static void assertOnScreen(Browser browser, String css) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) browser.script("const r = document.querySelector(arguments[0])"
                + ".getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, view: "
                + "window.innerWidth}", css);
        double left = ((Number) box.get("left")).doubleValue();
        double right = ((Number) box.get("right")).doubleValue();
        double view = ((Number) box.get("view")).doubleValue();
        assertTrue(left >= 0 && right <= view && ((Number) box.get("width")).doubleValue() > 0,
                css + " spans " + left + " to " + right + " px of a " + view + " px viewport");
    }
}
