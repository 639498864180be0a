package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The explorer in a real Chromium: its page's policy lets it open a WebSocket to its own server (a subscription run
 * from GraphiQL gets its answer) and to no other origin.
 */
class ExplorerBrowserTest {

    private static final String RESPONSE = "var r = document.querySelector('.graphiql-response .CodeMirror');"
            + " return r ? r.CodeMirror.getValue() : '';";

    @Test
    void aSubscriptionRunsFromTheExplorerOverItsOwnSocketAndASocketToAnotherOriginIsRefusedByThePolicy() {
        Browser.requireInstalled();
        try (DashboardServer server = DashboardServer.samples(); Browser browser = Browser.start(1280, 900, false)) {
            browser.open(server.url() + "graphiql");
            browser.await("the explorer's editor", d -> Boolean.TRUE.equals(browser.script(
                    "return !!document.querySelector('.graphiql-query-editor .CodeMirror')")));
            browser.script("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
                    + ".setValue(arguments[0])", "subscription Live { windowOf { end } }");
            browser.driver.findElement(By.cssSelector(".graphiql-execute-button")).click();
            browser.await("the subscription's first answer", d -> String.valueOf(browser.script(RESPONSE))
                    .contains("\"windowOf\""));
            assertTrue(String.valueOf(browser.script(RESPONSE)).contains("\"end\""));
            assertEquals(List.of(), browser.consoleMessages(Level.WARNING).stream()
                    .filter(m -> !m.contains("/favicon.ico")).toList(), "no error, no policy violation");

            browser.script("window.violations = [];"
                    + "document.addEventListener('securitypolicyviolation', function (e) {"
                    + "  window.violations.push(e.effectiveDirective + ' ' + e.blockedURI); });"
                    + "try { new WebSocket(arguments[0], 'graphql-transport-ws'); }"
                    + "catch (e) { window.violations.push('thrown ' + e.name); }",
                    "ws://localhost:" + server.port() + "/graphql");

            Object violations = browser.await("the policy refusing a socket to another origin", d -> browser.script(
                    "return window.violations.length > 0 ? window.violations : null"));
            assertTrue(String.valueOf(violations).contains("connect-src"), String.valueOf(violations));
        }
    }
}
