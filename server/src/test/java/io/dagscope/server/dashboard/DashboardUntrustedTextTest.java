package io.dagscope.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * Logs are written by other people's code: a DAG name, a tenant, a task id, an error or a schedule id that looks like
 * HTML must show as that text, in tables, filters, the run's dialog and chart tooltips, and run nothing.
 */
class DashboardUntrustedTextTest {

    static final String DAG = "<img src=x onerror=alert(1)>";
    static final String TENANT = "<script>alert(2)</script>";
    static final String TASK = "<b id=injected>task</b>";
    static final String RETRY_ERROR = "<img src=x onerror=alert(3)> retried";
    static final String ERROR = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">\n"
            + "second line";
    static final String SCHEDULE = "<svg onload=alert(4)>";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void htmlInTheLogsIsShownAsTextAndRunsNothing() throws Exception {
        Browser.requireInstalled();
        List<String> events = List.of(
                line("2025-10-21T17:50:00.000001+00:00", "dag_start", Map.of("dag_run_id", "xss-run",
                        "tenant", TENANT, "task_count", 2)),
                line("2025-10-21T17:50:01.000000+00:00", "task_start", Map.of("dag_run_id", "xss-run",
                        "task_id", TASK)),
                line("2025-10-21T17:50:05.000000+00:00", "task_retry", Map.of("dag_run_id", "xss-run",
                        "task_id", TASK, "attempt", 1, "error", RETRY_ERROR)),
                line("2025-10-21T17:51:00.000000+00:00", "task_fail", Map.of("dag_run_id", "xss-run",
                        "task_id", TASK, "error", ERROR)));
        List<String> state = List.of(
                JSON.writeValueAsString(ordered("event", "schedule_enqueued", "schedule_id", SCHEDULE, "job_id", "j1",
                        "dag_path", "configs/dags/" + DAG + ".yaml", "tenant", TENANT, "minute", "2025-10-21 17:50",
                        "timestamp", "2025-10-21T17:50:00.000000+00:00")),
                JSON.writeValueAsString(ordered("event", "run_finished", "job_id", "j1", "schedule_id", SCHEDULE,
                        "dag_path", "configs/dags/x.yaml", "tenant", TENANT, "status", "failed",
                        "error", ERROR, "timestamp", "2025-10-21T17:51:00.000000+00:00")));
        try (DashboardServer server = DashboardServer.lines(events, state, "2025-10-21T18:00:00Z");
                Browser browser = Browser.start(1440, 1000, false)) {
            DashboardPage page = new DashboardPage(browser).open(server.url());
            browser.await("the run in the table", d -> !page.runRows().isEmpty());

            assertEquals(DAG, page.runColumn(1).get(0));
            assertEquals(TENANT, page.runColumn(2).get(0));
            assertTrue(page.runColumn(6).get(0).startsWith("<script>window.__pwned"), page.runColumn(6).get(0));
            assertEquals(List.of("All tenants", TENANT), optionTexts(browser, "tenant-filter"));
            assertEquals(List.of("All DAGs", DAG), optionTexts(browser, "dag-filter"));
            browser.await("the failure group", d -> !d.findElements(By.cssSelector("#failure-list pre")).isEmpty());
            assertEquals(ERROR, browser.script("return document.querySelector('#failure-list pre').textContent"));
            browser.await("the schedule", d -> browser.text("#schedules-body .schedule-id").equals(SCHEDULE));
            assertEquals(TENANT, browser.text("#tenants-body th"));

            page.runRows().get(0).findElement(By.cssSelector("td.duration")).click();
            browser.await("the run's dialog", d -> page.runOpen() && browser.text("#run-title").equals(DAG)
                    && !d.findElements(By.cssSelector("#run-body .gantt canvas")).isEmpty());
            assertEquals(ERROR, browser.script("return document.querySelector('#run-body .run-error pre').textContent"));
            WebElement task = browser.driver.findElement(By.cssSelector(".tasks-table tbody tr"));
            assertEquals(TASK, task.getAttribute("data-task"));
            assertTrue(task.getText().startsWith(TASK), task.getText());

            // the timeline's tooltip of the retried attempt, as a pointer would show it
            String tooltip = (String) browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    const main = document.querySelector('script[type=module]').src;
                    import(new URL('../vendor/echarts.min.js', main).href).then(echarts => {
                      const chart = echarts.getInstanceByDom(document.querySelector('#run-body .gantt'));
                      chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
                      setTimeout(() => {
                        const tip = document.querySelector('#run-body .gantt .chart-tip');
                        done(tip ? tip.textContent : 'no tooltip');
                      }, 500);
                    });""");
            assertTrue(tooltip.contains(TASK) && tooltip.contains(RETRY_ERROR), tooltip);

            assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "no alert ran");
            assertEquals(0L, browser.script("return document.querySelectorAll('#injected, img[src=\"x\"], svg[onload],"
                    + " [onerror]').length"), "no element came from the logs");
            assertEquals(true, browser.script("return window.__pwned === undefined"), "no script from the logs ran");
            assertEquals(1L, browser.script("return document.scripts.length"), "the page's only script is its own");
            page.fullPageScreenshot(Path.of("target", "dashboard-tests", "htmlInTheLogsIsShownAsText.png"));
            assertEquals(List.of(), browser.consoleMessages(Level.WARNING), "no CSP violation, no error");
        }
    }

    private static List<String> optionTexts(Browser browser, String select) {
        return browser.driver.findElements(By.cssSelector("#" + select + " option")).stream()
                .map(o -> o.getAttribute("textContent")).toList();
    }

    private static String line(String timestamp, String event, Map<String, Object> fields)
            throws JsonProcessingException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", timestamp);
        line.put("event", event);
        line.put("dag_name", DAG);
        line.putAll(fields);
        return JSON.writeValueAsString(line);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
