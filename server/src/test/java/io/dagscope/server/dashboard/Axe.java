package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.deque.html.axecore.results.Check;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deque's axe-core, run in the page by its Selenium integration (the axe-core bundled in it, never downloaded), with
 * every rule axe enables by default (WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices) and the target-size rule
 * (WCAG 2.2's 24 px) on top.
 */
final class Axe {

    /**
     * Why axe could not check an element's contrast that says the page made it uncheckable: text over a gradient, an
     * image or a pseudo-element's background. Text cut off by a scrolling container, or a single character, are
     * axe's own limits, not the page's.
     */
    static final Set<String> UNCHECKABLE = Set.of("bgGradient", "bgImage", "pseudoContent", "imgNode");

    private Axe() {
    }

    /**
     * Runs axe on the whole page.
     *
     * @param browser the browser, showing the page
     * @return axe's results
     */
    static Results analyze(Browser browser) {
        Results results = new AxeBuilder().withRules(List.of("target-size")).disableIframeTesting()
                .analyze(browser.driver);
        if (results.isErrored()) {
            throw new AssertionError("axe-core failed to run: " + results.getErrorMessage());
        }
        return results;
    }

    /**
     * Fails, listing each rule and the elements that break it, when axe finds a violation.
     *
     * @param browser the browser, showing the page
     * @param what what the page shows, for the message
     * @return axe's results, for further checks
     */
    static Results assertNoViolation(Browser browser, String what) {
        Results results = analyze(browser);
        assertEquals(List.of(), describe(results.getViolations()), "axe-core's violations on " + what);
        return results;
    }

    /**
     * Fails when axe could not check the contrast of some text because of the page's backgrounds (see
     * {@link #UNCHECKABLE}).
     *
     * @param results axe's results
     * @param what what the page shows, for the message
     */
    static void assertContrastCheckable(Results results, String what) {
        List<String> unchecked = new ArrayList<>();
        for (Rule rule : results.getIncomplete()) {
            if (!rule.getId().equals("color-contrast")) {
                continue;
            }
            for (CheckedNode node : rule.getNodes()) {
                for (Check check : Stream.of(node.getAny(), node.getAll(), node.getNone())
                        .filter(l -> l != null).flatMap(List::stream).toList()) {
                    String reason = check.getData() instanceof Map<?, ?> data ? String.valueOf(data.get("messageKey"))
                            : "";
                    if (UNCHECKABLE.contains(reason)) {
                        unchecked.add(reason + " " + node.getTarget());
                    }
                }
            }
        }
        assertEquals(List.of(), unchecked, "text whose contrast a checker cannot compute on " + what);
    }

    private static List<String> describe(List<Rule> rules) {
        List<String> out = new ArrayList<>();
        for (Rule rule : rules) {
            for (CheckedNode node : rule.getNodes()) {
                out.add(rule.getId() + " (" + rule.getHelp() + ") at " + node.getTarget() + ": "
                        + String.valueOf(node.getFailureSummary()).replace('\n', ' '));
            }
        }
        return out;
    }
}
