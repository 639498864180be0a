package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.dashboard.RateLimitingFront.Arrival;
import io.dagscope.server.dashboard.RateLimitingFront.Refusal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that refuses the dashboard for its rate budget (429 and Retry-After, or RATE_LIMITED over the WebSocket)
 * is not asked again before the time it gave, and the user is told calmly, without errors on the panels. The refusals
 * come from a real HTTP server ({@link RateLimitingFront}) in front of the real dagscope server, and what the browser
 * sent is counted where it arrived.
 */
class DashboardRateLimitTest {

    /** Requests of one round of polling go out together: those still under way when the first refusal is answered. */
    private static final long ONE_ROUND_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Records, in the page, what the live indicator said, from the first moment on. */
    private static final String WATCH_THE_INDICATOR = "window.statuses = [];"
            + "document.addEventListener('DOMContentLoaded', () => {"
            + "  const live = document.getElementById('live');"
            + "  new MutationObserver(() => window.statuses.push(live.dataset.status + ' ' + live.textContent.trim()))"
            + "    .observe(live, {attributes: true, subtree: true, childList: true, characterData: true});"
            + "  new MutationObserver(ms => { for (const m of ms) { if (m.target.dataset.error) {"
            + "    window.statuses.push('error ' + m.target.dataset.error); } } }).observe(document.body,"
            + "    {attributes: true, attributeFilter: ['data-error'], subtree: true}); });";

    private DashboardServer server;
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
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                WATCH_THE_INDICATOR));
    }

    @AfterEach
    void stop(TestInfo test) {
        try {
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", test.getTestMethod().orElseThrow().getName()
                    + test.getDisplayName().replaceAll("\\W+", "-") + ".png"));
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

    @ParameterizedTest(name = "{0}")
    @EnumSource(Refusal.class)
    void pollingWaitsAsLongAsTheServerAsksAndSaysSoCalmly(Refusal refusal) {
        int status = refusal == Refusal.BUSY ? 503 : 429;
        // the WebSocket cannot be used here, the dashboard polls; a refused request is logged by the browser itself
        expectedConsole = "WebSocket connection to 'ws://.*' failed|status of " + status;
        front = new RateLimitingFront(server, refusal, false);
        browser.open(front.url());
        browser.await("polling, with data", d -> "polling".equals(page.liveStatus())
                && !page.tile("failed").equals("–"));
        String failed = page.tile("failed");

        long from = System.nanoTime();
        long spentUntil = front.spendFor(Duration.ofSeconds(12));
        browser.await("the calm notice", d -> browser.text("#live").startsWith("Polling · the server asked to wait"));
        browser.await("asked again once the server allows", d -> front.arrivals().stream()
                .anyMatch(a -> a.nanos() >= spentUntil && a.status() == 200));

        List<Arrival> refused = front.arrivals().stream().filter(a -> a.nanos() >= from && a.nanos() < spentUntil)
                .toList();
        assertFalse(refused.isEmpty());
        assertTrue(refused.stream().allMatch(a -> a.status() == status), String.valueOf(refused));
        long first = refused.get(0).nanos();
        List<String> early = refused.stream().filter(a -> a.nanos() - first > ONE_ROUND_NANOS)
                .map(a -> a.status() + " at +" + TimeUnit.NANOSECONDS.toMillis(a.nanos() - first) + " ms").toList();
        assertEquals(List.of(), early, "nothing asked again before the time the server gave (a round of polling "
                + "goes out every 5 s)");
        @SuppressWarnings("unchecked")
        List<String> statuses = (List<String>) browser.script("return window.statuses");
        assertTrue(statuses.stream().noneMatch(s -> s.startsWith("offline") || s.startsWith("error")),
                "never shown as disconnected, no panel with an error: " + statuses);
        assertEquals(failed, page.tile("failed"), "the figures stay while waiting");

        server.appendEvents(DashboardLiveTest.NEW_FAILED_RUN);
        browser.await("the new failure, by polling", d -> page.tile("failed").equals(
                DashboardPage.count(Long.parseLong(failed.replace(",", "")) + 1)));
        browser.await("the notice gone", d -> browser.text("#live").startsWith("Polling · updated"));
    }

    @Test
    void refusedFromTheFirstRequestItWaitsShowingNothingHalfMade() {
        expectedConsole = "WebSocket connection to 'ws://.*' failed|status of 429";
        front = new RateLimitingFront(server, Refusal.SECONDS, false);
        long spentUntil = front.spendFor(Duration.ofSeconds(10));
        browser.open(front.url());
        browser.await("the calm notice", d -> browser.text("#live").startsWith("Polling · the server asked to wait"));
        browser.await("the content shown all the same", d -> Boolean.TRUE.equals(browser.script(
                "return document.body.dataset.ready !== undefined")));
        assertEquals("–", page.tile("failed"));
        assertEquals("hidden", browser.script("return getComputedStyle(document.getElementById('verdict')).visibility"),
                "no verdict without answers (an empty icon would read as all clear)");

        browser.await("the answers, once the server allows", d -> !page.tile("failed").equals("–")
                && browser.text("#live").startsWith("Polling · updated"));
        assertEquals("visible", browser.script("return getComputedStyle(document.getElementById('verdict'))"
                + ".visibility"));
        List<Arrival> refused = front.arrivals().stream().filter(a -> a.nanos() < spentUntil).toList();
        long first = refused.get(0).nanos();
        assertEquals(List.of(), refused.stream().filter(a -> a.nanos() - first > ONE_ROUND_NANOS).toList(),
                "one round refused, then nothing until the time the server gave");
    }

    @ParameterizedTest(name = "refused {0} times, {1} s")
    @CsvSource({"1, 3", "2, 2"})
    void aSubscriptionRefusedForTheRateBudgetIsSentAgainOnlyAfterRetryAfter(int times, int seconds) {
        front = new RateLimitingFront(server, Refusal.SECONDS, true);
        front.refuseSubscriptions("summary:", times, seconds);
        page.open(front.url());

        List<Arrival> subscribes = front.arrivals().stream().filter(a -> a.what().startsWith("subscribe summary:"))
                .toList();
        assertEquals(times + 1, subscribes.size(), String.valueOf(subscribes));
        assertEquals(200, subscribes.get(times).status(), "accepted at last");
        for (int i = 1; i <= times; i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(subscribes.get(i).nanos() - subscribes.get(i - 1).nanos());
            assertTrue(gap >= seconds * 1000L, "sent again after Retry-After, not before: " + gap + " ms");
        }
        @SuppressWarnings("unchecked")
        List<String> statuses = (List<String>) browser.script("return window.statuses");
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("live Live · the server asked to wait " + seconds
                + " s")), String.valueOf(statuses));
        assertTrue(statuses.stream().noneMatch(s -> s.startsWith("offline") || s.startsWith("error")),
                "never shown as disconnected, no panel with an error: " + statuses);
        browser.await("the notice gone", d -> browser.text("#live").startsWith("Live · updated"));
        assertEquals(List.of(), front.arrivals().stream().filter(a -> a.what().equals("query")).toList(),
                "nothing polled meanwhile: the WebSocket stayed up");
    }
}
