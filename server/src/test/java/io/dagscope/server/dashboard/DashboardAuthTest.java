package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.http.Authenticator;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * With authentication on, the dashboard asks for a token, keeps it for the tab's session only, sends it over HTTP and
 * in the WebSocket's connection_init, and a token limited to some tenants sees only those (sources need an admin).
 */
class DashboardAuthTest {

    static final String ADMIN = "admin-token-0123456789";
    static final String ACME = "acme-token-0123456789";

    @Test
    void aTokenPromptOn401AndAScopedTokenSeesOnlyItsTenants() {
        Browser.requireInstalled();
        Authenticator auth = DashboardServer.tokens("- {name: ops, token_sha256: " + Authenticator.sha256Hex(ADMIN)
                + ", admin: true}\n- {name: acme, token_sha256: " + Authenticator.sha256Hex(ACME)
                + ", tenants: [acme-corp]}\n");
        try (DashboardServer server = DashboardServer.samples(auth);
                Browser browser = Browser.start(1440, 900, false)) {
            DashboardPage page = new DashboardPage(browser);
            browser.open(server.url());
            browser.await("the token prompt", d -> dialogOpen(browser) && "auth".equals(page.liveStatus()));

            enterToken(browser, "not-a-token");
            browser.await("the prompt again, saying why", d -> dialogOpen(browser)
                    && browser.text("#token-reason").contains("did not accept"));

            enterToken(browser, ACME);
            page.awaitData();
            assertEquals(List.of("", "acme-corp"), browser.driver.findElements(By.cssSelector("#tenant-filter option"))
                    .stream().map(o -> o.getAttribute("value")).toList(), "only its tenant to choose");
            long failed = server.graphql("{ taskSummary { window { failed } } }", ACME).get("taskSummary")
                    .get("window").get("failed").asLong();
            long all = server.graphql("{ taskSummary { window { failed } } }", ADMIN).get("taskSummary")
                    .get("window").get("failed").asLong();
            assertTrue(failed < all, "the scope matters on these logs");
            assertEquals(DashboardPage.count(failed), page.tile("failed"));
            browser.await("the runs of its tenant", d -> !page.runRows().isEmpty());
            assertTrue(page.runColumn(2).stream().allMatch("acme-corp"::equals), page.runColumn(2).toString());
            browser.await("data quality degrades", d -> browser.text("#quality-sub").equals("needs an admin token"));
            browser.await("the newest event, from the runs", d -> browser.text("#freshness").startsWith("Newest event"));
            assertEquals(ACME, browser.script("return sessionStorage.getItem('dagscope.token')"));
            assertEquals(0L, browser.script("return localStorage.length"), "nothing kept beyond the tab");
            assertEquals("", browser.script("return document.cookie"));

            browser.driver.navigate().refresh();
            page.awaitData();
            assertTrue(!dialogOpen(browser), "the tab keeps the token for its session");

            browser.driver.findElement(By.cssSelector("#settings summary")).click();
            browser.driver.findElement(By.id("forget-token")).click();
            browser.await("the prompt after forgetting the token", d -> dialogOpen(browser));
            enterToken(browser, ADMIN);
            page.awaitData();
            browser.await("the sources, for an admin", d -> !d.findElements(By.cssSelector("#quality-body .source"))
                    .isEmpty());
            assertEquals(5, browser.driver.findElements(By.cssSelector("#tenant-filter option")).size() - 1);

            List<String> console = browser.consoleMessages(Level.WARNING).stream()
                    .filter(m -> !m.contains("status of 401")).toList();
            assertEquals(List.of(), console, "nothing but the expected 401s");
        }
    }

    private static boolean dialogOpen(Browser browser) {
        return Boolean.TRUE.equals(browser.script("return document.getElementById('token-dialog').open"));
    }

    private static void enterToken(Browser browser, String token) {
        WebElement input = browser.driver.findElement(By.id("token-input"));
        input.clear();
        input.sendKeys(token);
        browser.driver.findElement(By.id("token-submit")).click();
    }
}
