package io.dagscope.server.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/** The dashboard as a user sees it: what its elements say, and how to wait for them. */
final class DashboardPage {

    final Browser browser;

    DashboardPage(Browser browser) {
        this.browser = browser;
    }

    /**
     * Opens the dashboard and waits until its data has arrived.
     *
     * @param url the dashboard's URL, with any query string
     * @return this
     */
    DashboardPage open(String url) {
        browser.open(url);
        return awaitData();
    }

    /** Waits until the live connection is up, the content shown and the tiles show numbers. */
    DashboardPage awaitData() {
        browser.await("the live connection and the KPI tiles", d -> "live".equals(liveStatus())
                && Boolean.TRUE.equals(browser.script("return document.body.dataset.ready !== undefined"))
                && !tile("failed").equals("–") && !tile("running").equals("–"));
        return this;
    }

    /** Waits until every panel has its data: runs, failures, schedules, tenants, sources and the drawn charts. */
    DashboardPage awaitPanels() {
        browser.await("every panel filled", d -> !runRows().isEmpty()
                && !d.findElements(By.cssSelector("#failure-list > li")).isEmpty()
                && !d.findElements(By.cssSelector("#schedules-body tr")).isEmpty()
                && !d.findElements(By.cssSelector("#tenants-body tr")).isEmpty()
                && !d.findElements(By.cssSelector("#quality-body .source")).isEmpty()
                && d.findElements(By.cssSelector(".chart canvas")).size() >= 3
                && !browser.text("#verdict").isEmpty());
        return this;
    }

    /**
     * Opens a run's detail by its URL and waits for its timeline and tasks.
     *
     * @param url the dashboard's URL
     * @param id the run's id
     * @return this
     */
    DashboardPage openRun(String url, String id) {
        open(url + "?run=" + id);
        browser.await("the run's timeline and tasks", d -> runOpen()
                && !d.findElements(By.cssSelector("#run-body .gantt canvas")).isEmpty()
                && !d.findElements(By.cssSelector(".tasks-table tbody tr")).isEmpty());
        return this;
    }

    /** @return the id of the element that has the keyboard focus, or its tag and class when it has no id */
    String focused() {
        return String.valueOf(browser.script("const e = document.activeElement; return e ? (e.id || e.tagName"
                + " + '.' + e.className) : 'none'"));
    }

    /** @return the live indicator's state: connecting, live, polling, offline or auth */
    String liveStatus() {
        return browser.driver.findElement(By.id("live")).getAttribute("data-status");
    }

    /** @return the value a KPI tile shows (its text, also before the page shows its content) */
    String tile(String kpi) {
        return String.valueOf(browser.script("return document.querySelector(arguments[0]).textContent.trim()",
                ".tile[data-kpi='" + kpi + "'] .tile-value"));
    }

    /** @return the change a KPI tile shows */
    String tileNote(String kpi) {
        return browser.text(".tile[data-kpi='" + kpi + "'] .tile-note");
    }

    /** @return the rows of the recent runs table */
    List<WebElement> runRows() {
        return browser.driver.findElements(By.cssSelector("#runs-body tr"));
    }

    /** @return the text of a column (0-based) of every run row */
    List<String> runColumn(int index) {
        return runRows().stream().map(r -> r.findElements(By.tagName("td")).get(index).getText().strip()).toList();
    }

    /** @return the run table's count line, e.g. "12 runs match" */
    String runsSummary() {
        return browser.text("#runs-sub");
    }

    /** @return whether the run dialog is open */
    boolean runOpen() {
        return Boolean.TRUE.equals(browser.script("return document.getElementById('run-dialog').open"));
    }

    /**
     * Saves a screenshot of the viewport.
     *
     * @param file where
     */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, browser.driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Saves a screenshot of the whole page, beyond the viewport.
     *
     * @param file where
     */
    void fullPageScreenshot(Path file) {
        Object size = browser.script("return [document.documentElement.scrollWidth, "
                + "document.documentElement.scrollHeight]");
        List<?> wh = (List<?>) size;
        java.util.Map<String, Object> clip = java.util.Map.of("x", 0, "y", 0, "width",
                ((Number) wh.get(0)).intValue(), "height", ((Number) wh.get(1)).intValue(), "scale", 1);
        java.util.Map<String, Object> shot = browser.driver.executeCdpCommand("Page.captureScreenshot",
                java.util.Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Formats a count as the dashboard does: 12,345. */
    static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** Formats a rate as the dashboard does: 1.18 %. */
    static String percent(double rate) {
        return String.format(Locale.US, "%.2f %%", rate * 100);
    }

    /** Formats a duration under an hour as the dashboard does: 9.23 s, 32.4 s, 1 m 05 s. */
    static String duration(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.US, "%.2f s", seconds);
        }
        if (seconds < 60) {
            return String.format(Locale.US, "%.1f s", seconds);
        }
        long m = (long) Math.floor(seconds / 60);
        return String.format(Locale.US, "%d m %02d s", m, (long) Math.floor(seconds - m * 60));
    }
}
