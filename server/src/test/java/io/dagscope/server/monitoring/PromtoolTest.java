package io.dagscope.server.monitoring;

import static io.dagscope.server.monitoring.PrometheusTools.DEPLOY;
import static io.dagscope.server.monitoring.PrometheusTools.PROMTOOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules and scrape configuration pass Prometheus's own checks, and the rules' unit tests
 * ({@code deploy/prometheus/alerts_test.yml}) show each rule firing on the series it is meant for and quiet on a
 * healthy fleet.
 */
class PromtoolTest {

    private static final Path PROMETHEUS_DIR = DEPLOY.resolve("prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    @Test
    void aMissingToolFailsTheTestNamingThePackage() {
        org.opentest4j.AssertionFailedError missing = org.junit.jupiter.api.Assertions.assertThrows(
                org.opentest4j.AssertionFailedError.class, () -> PrometheusTools.require(tmp.resolve("promtool")));
        assertTrue(missing.getMessage().contains("apt-get install prometheus"), missing.getMessage());
    }

    @Test
    void theRulesPassPromtoolsCheck() throws Exception {
        PrometheusTools.Result r = PrometheusTools.run(PROMETHEUS_DIR, PrometheusTools.require(PROMTOOL).toString(),
                "check", "rules", "alerts.yml");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS: 9 rules found"), r.output());
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        PrometheusTools.Result r = PrometheusTools.run(PROMETHEUS_DIR, PrometheusTools.require(PROMTOOL).toString(),
                "test", "rules", "alerts_test.yml");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void theUnitTestsFailForRulesThatDoNotFire() throws Exception {
        // the same tests against rules with their thresholds raised out of reach: promtool must report failures
        String rules = Files.readString(PROMETHEUS_DIR.resolve("alerts.yml"), StandardCharsets.UTF_8)
                .replace("[30m]) > 0", "[30m]) > 1000");
        Files.writeString(tmp.resolve("alerts.yml"), rules, StandardCharsets.UTF_8);
        Files.copy(PROMETHEUS_DIR.resolve("alerts_test.yml"), tmp.resolve("alerts_test.yml"));
        PrometheusTools.Result r = PrometheusTools.run(tmp, PrometheusTools.require(PROMTOOL).toString(), "test",
                "rules", "alerts_test.yml");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("alertname: DagscopeScheduleMissedRuns"), r.output());
    }

    @Test
    void everyRuleNamesWhatItIsAboutAndIsShownFiring() throws IOException {
        JsonNode rules = YAML.readTree(PROMETHEUS_DIR.resolve("alerts.yml").toFile());
        JsonNode tests = YAML.readTree(PROMETHEUS_DIR.resolve("alerts_test.yml").toFile());
        Set<String> fired = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : tests.get("tests")) {
            for (JsonNode check : test.get("alert_rule_test")) {
                (check.get("exp_alerts").isEmpty() ? quiet : fired).add(check.get("alertname").asText());
            }
        }
        int count = 0;
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                count++;
                String summary = rule.at("/annotations/summary").asText();
                String description = rule.at("/annotations/description").asText();
                assertFalse(summary.isBlank() || description.isBlank(), name + " has a summary and a description");
                if (!name.equals("DagscopeAbsent") && !name.equals("DagscopeDown")) {
                    assertTrue(summary.contains("{{ $labels.") && description.contains("{{ $labels."),
                            name + " names what it is about: " + summary);
                }
                assertTrue(fired.contains(name), name + " is shown firing in alerts_test.yml");
                assertTrue(quiet.contains(name), name + " is shown quiet in alerts_test.yml");
            }
        }
        assertEquals(9, count);
    }

    @Test
    void theExampleScrapeConfigurationIsValid() throws Exception {
        // its token file, as an operator would put it there
        String config = Files.readString(PROMETHEUS_DIR.resolve("prometheus.yml"), StandardCharsets.UTF_8)
                .replace("/etc/prometheus/dagscope.token", tmp.resolve("dagscope.token").toString());
        Files.writeString(tmp.resolve("dagscope.token"), "a-token\n", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("prometheus.yml"), config, StandardCharsets.UTF_8);
        Files.copy(PROMETHEUS_DIR.resolve("alerts.yml"), tmp.resolve("alerts.yml"));
        PrometheusTools.Result r = PrometheusTools.run(tmp, PrometheusTools.require(PROMTOOL).toString(), "check",
                "config", "prometheus.yml");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS: 9 rules found"), r.output());
    }
}
