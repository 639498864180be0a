package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * With no events to read the dashboard says exactly how to point the server at the logs, and which locations it
 * reads; once lines arrive there, the dashboard appears by itself.
 */
class DashboardEmptyStateTest {

    @Test
    void withoutEventsItSaysHowToPointTheServerAtTheLogsAndShowsTheDashboardOnceLinesArrive() throws Exception {
        Browser.requireInstalled();
        try (DashboardServer server = DashboardServer.lines(null, List.of(), "2025-10-21T18:00:00Z");
                Browser browser = Browser.start(1280, 900, false)) {
            DashboardPage page = new DashboardPage(browser);
            browser.open(server.url());
            browser.await("the empty state", d -> d.findElement(By.id("empty")).isDisplayed());
            assertFalse(browser.driver.findElement(By.id("dashboard")).isDisplayed(), "no empty panels");
            String text = browser.text("#empty");
            for (String expected : List.of("No events yet", "--events", "--state", "ORCH_EVENTS_PATH",
                    "STATE_STORE_PATH", "--config dagscope.yaml", "dagscope demo", "docs/server.md",
                    "docs/configuration.md", server.events.toString(), server.state.toString())) {
                assertTrue(text.contains(expected), "the empty state says " + expected + ":\n" + text);
            }
            assertEquals("graphiql", browser.driver.findElement(By.linkText("GraphQL explorer"))
                    .getDomAttribute("href"));
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", "emptyState.png"));

            Files.writeString(server.state, "");
            Files.write(server.events, DashboardLiveTest.NEW_FAILED_RUN);

            browser.await("the dashboard, once events arrived", d -> d.findElement(By.id("dashboard")).isDisplayed()
                    && !d.findElement(By.id("empty")).isDisplayed() && page.tile("failed").equals("1"));
            assertEquals(List.of(), browser.consoleMessages(Level.WARNING));
        }
    }
}
