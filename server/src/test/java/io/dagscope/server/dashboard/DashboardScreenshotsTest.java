package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagscope.server.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard over two days of generated demo logs (fixed seed and start, so every run makes the same pictures):
 * the overview, a run's detail and the top of the page on a phone render without a console error. With
 * {@code -Ddagscope.screenshots=DIR} the pictures are also written to DIR as {@code dashboard-overview.png},
 * {@code dashboard-run.png} and {@code dashboard-phone.png}; that is how {@code docs/img} is made (see
 * docs/dashboard.md, or scripts/dashboard-screenshots.sh).
 */
class DashboardScreenshotsTest {

    /** Where to write the documentation's pictures, when set. */
    static final String OUTPUT_PROPERTY = "dagscope.screenshots";
    static final String SEED = "7";
    static final String START = "2025-10-20T00:00:00Z";
    static final String DAYS = "2";

    /** The phone's screen in CSS pixels (a common 6.1" phone). */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    /** The demo logs, at a relative path so that the pictures show the same locations on every machine. */
    static final Path LOGS = Path.of("target", "dashboard-demo");

    @Test
    void theOverviewARunsDetailAndAPhoneRenderDemoDataWithoutAConsoleError() throws IOException {
        Browser.requireInstalled();
        deleteTree(LOGS);
        generate(LOGS);
        String end = Instant.parse(START).plusSeconds(Long.parseLong(DAYS) * 86_400).toString();
        Path out = Path.of(System.getProperty(OUTPUT_PROPERTY, "target/dashboard-screenshots"));
        try (DashboardServer server = DashboardServer.generated(LOGS, end);
                Browser browser = Browser.start(1600, 1000, false)) {
            fixTheClock(browser, end);
            DashboardPage page = new DashboardPage(browser).open(server.url());
            browser.await("every panel filled", d -> !page.runRows().isEmpty()
                    && !d.findElements(By.cssSelector("#schedules-body tr")).isEmpty()
                    && !d.findElements(By.cssSelector("#tenants-body tr")).isEmpty()
                    && !d.findElements(By.cssSelector("#quality-body .source")).isEmpty()
                    && !d.findElements(By.cssSelector("#outcomes-chart canvas")).isEmpty());
            settle(browser);
            page.fullPageScreenshot(out.resolve("dashboard-overview.png"));

            String run = pickRun(server);
            page.open(server.url() + "?run=" + run);
            browser.await("the run's timeline", d -> page.runOpen()
                    && !d.findElements(By.cssSelector("#run-body .gantt canvas")).isEmpty());
            settle(browser);
            page.screenshot(out.resolve("dashboard-run.png"));

            assertEquals(List.of(), browser.consoleMessages(Level.WARNING));
            assertTrue(Files.size(out.resolve("dashboard-overview.png")) > 50_000);
            assertTrue(Files.size(out.resolve("dashboard-run.png")) > 20_000);

            try (Browser phone = Browser.start(PHONE_WIDTH, PHONE_HEIGHT, false)) {
                // a phone's screen: two device pixels per CSS pixel, as most phones have
                phone.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE_WIDTH,
                        "height", PHONE_HEIGHT, "deviceScaleFactor", 2, "mobile", true));
                fixTheClock(phone, end);
                DashboardPage onPhone = new DashboardPage(phone).open(server.url());
                phone.await("the top of the page filled", d -> !onPhone.runRows().isEmpty()
                        && !d.findElements(By.cssSelector("#outcomes-chart canvas")).isEmpty());
                settle(phone);
                onPhone.screenshot(out.resolve("dashboard-phone.png"));
                assertEquals(List.of(), phone.consoleMessages(Level.WARNING));
                assertEquals(0L, phone.script("return document.documentElement.scrollWidth - window.innerWidth"),
                        "nothing scrolls sideways on the phone");
            }
            assertTrue(Files.size(out.resolve("dashboard-phone.png")) > 50_000);
        } finally {
            deleteTree(LOGS);
        }
    }

    /** Writes the demo logs as {@code dagscope generate} does. */
    private static void generate(Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main().run(new String[] {"generate", "--out", dir.toString(), "--seed", SEED, "--start",
            START, "--days", DAYS}, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The run that shows the most: a checkpoint wait short enough for its tasks to stay readable, retries and a
     * failure, among the latest runs and those of the checkpoint DAG.
     */
    private static String pickRun(DashboardServer server) {
        String fields = "edges { node { id status tasksRetried tasks { checkpoint status durationSeconds } } }";
        JsonNode data = server.graphql("{ latest: dagRuns(first: 500) { " + fields + " } checkpoints: dagRuns(first: "
                + "500, filter: {dagName: \"invoice_payout_with_approval\"}) { " + fields + " } }");
        String best = null;
        double bestScore = -1;
        for (String list : List.of("latest", "checkpoints")) {
            for (JsonNode edge : data.get(list).get("edges")) {
                JsonNode run = edge.get("node");
                double score = run.get("tasks").size();
                for (JsonNode task : run.get("tasks")) {
                    if (task.get("checkpoint").asBoolean() && task.get("status").asText().equals("SUCCEEDED")) {
                        double wait = task.get("durationSeconds").asDouble();
                        score += wait < 900 ? 12 : wait < 3600 ? 6 : 2;
                    }
                }
                score += Math.min(run.get("tasksRetried").asInt(), 2) * 3;
                score += run.get("status").asText().equals("FAILED") ? 8 : 0;
                if (score > bestScore) {
                    bestScore = score;
                    best = run.get("id").asText();
                }
            }
        }
        return best;
    }

    /**
     * Makes the pictures the same on every run: the browser's clock stands still at the data's end (so "updated" and
     * every relative time read the same), and charts do not animate (the reduced-motion preference).
     */
    private static void fixTheClock(Browser browser, String end) {
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(
                Map.of("name", "prefers-color-scheme", "value", "light"),
                Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ""
                + "(() => { const fixed = Date.parse('" + end + "'); const RealDate = Date;"
                + "  class FixedDate extends RealDate {"
                + "    constructor(...a) { if (a.length === 0) { super(fixed); } else { super(...a); } }"
                + "    static now() { return fixed; } }"
                + "  window.Date = FixedDate; performance.now = () => 0; })();"));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Lets the charts finish their animation. */
    private static void settle(Browser browser) {
        browser.asyncScript("const done = arguments[arguments.length - 1]; setTimeout(done, 1200);");
    }
}
