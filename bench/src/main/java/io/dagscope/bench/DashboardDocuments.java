package io.dagscope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * The dashboard's GraphQL operations, as the served dashboard runs them: read from the product's jar
 * ({@value #RESOURCE}, web-ui's {@code queries.js}), so the soak sends the documents a browser would, and the
 * variables the dashboard's {@code main.js} gives them for a view (window, tenant, statuses, open run).
 */
final class DashboardDocuments {

    /** Where the dashboard's operations are in the product's jar. */
    static final String RESOURCE = "io/dagscope/webui/dashboard/js/queries.js";
    /** The runs table's page size ({@code panels/runs.js}). */
    static final int RUNS_PAGE = 25;
    /** The stale time the dashboard asks for by default, in hours ({@code state.js}). */
    static final int STALE_HOURS = 6;

    private static final Pattern CONSTANT = Pattern.compile("export const (\\w+) = ");
    private static final Pattern TEMPLATE = Pattern.compile("`([^`]*)`;");
    private static final Pattern REPLACE = Pattern.compile("(\\w+)\\.replace\\('([^']*)', '([^']*)'\\);");
    private static final Pattern OPERATION_NAME = Pattern.compile("^\\s*(\\w+)");

    private DashboardDocuments() {
    }

    /**
     * A view of the dashboard: what a user chose.
     *
     * @param hours the window's length, or null for the server's default window
     * @param tenant the tenant filter, or null
     * @param statuses the runs table's status filter, or null
     * @param runId the open run, or null
     * @param defaultEnd the server's default window end ({@code --end}), for the previous window's end
     * @param defaultHours the server's default window length
     */
    record View(Double hours, String tenant, List<String> statuses, String runId, Instant defaultEnd,
            double defaultHours) {
    }

    /**
     * Reads the operations from the product's jar.
     *
     * @param jar the product's jar
     * @return operation name to its text, written without its keyword, in the file's order
     * @throws IOException if the jar cannot be read or has no such file
     */
    static Map<String, String> fromJar(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry(RESOURCE);
            if (e == null) {
                throw new IOException(jar + " has no " + RESOURCE + ": is it dagscope's jar?");
            }
            try (InputStream in = j.getInputStream(e)) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Reads {@code queries.js}: each {@code export const NAME = `...`;} is an operation, and
     * {@code export const NAME = OTHER.replace('a', 'b');} is another's text with the first {@code a} replaced, as
     * JavaScript's {@code String.replace} does.
     *
     * @param js the file's text
     * @return operation name to its text, in the file's order
     * @throws IllegalArgumentException for a constant of another shape, so the soak never sends less than the
     *     dashboard does without saying so
     */
    static Map<String, String> parse(String js) {
        Map<String, String> byConstant = new LinkedHashMap<>();
        Matcher c = CONSTANT.matcher(js);
        while (c.find()) {
            String name = c.group(1);
            String rest = js.substring(c.end());
            Matcher t = TEMPLATE.matcher(rest);
            Matcher r = REPLACE.matcher(rest);
            if (t.lookingAt() && !t.group(1).contains("${")) {
                byConstant.put(name, t.group(1));
            } else if (r.lookingAt() && byConstant.containsKey(r.group(1))) {
                byConstant.put(name, byConstant.get(r.group(1)).replaceFirst(Pattern.quote(r.group(2)),
                        Matcher.quoteReplacement(r.group(3))));
            } else {
                throw new IllegalArgumentException("queries.js: cannot read the constant " + name + " (neither a "
                        + "template without ${...} nor X.replace('a', 'b') of an earlier one)");
            }
        }
        Map<String, String> byOperation = new LinkedHashMap<>();
        for (String text : byConstant.values()) {
            Matcher n = OPERATION_NAME.matcher(text);
            if (!n.find()) {
                throw new IllegalArgumentException("queries.js: an operation without a name: " + text);
            }
            byOperation.put(n.group(1), text);
        }
        if (byOperation.isEmpty()) {
            throw new IllegalArgumentException("queries.js: no operations found");
        }
        return byOperation;
    }

    /**
     * The variables the dashboard gives an operation for a view (main.js's {@code sync}): null values are sent as
     * the dashboard sends them.
     *
     * @param operation the operation's name
     * @param view the view
     * @return the variables; empty for an operation without variables or one this does not know
     */
    static Map<String, Object> variables(String operation, View view) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Object> window = null;
        if (view.hours() != null) {
            window = new LinkedHashMap<>();
            window.put("hours", view.hours());
        }
        switch (operation) {
            case "Summary", "Series", "Failures" -> {
                v.put("window", window);
                v.put("tenant", view.tenant());
                v.put("dag", null);
            }
            case "PreviousSummary" -> {
                double hours = view.hours() == null ? view.defaultHours() : view.hours();
                Map<String, Object> previous = new LinkedHashMap<>();
                previous.put("hours", hours);
                previous.put("end", view.defaultEnd().truncatedTo(ChronoUnit.MINUTES)
                        .minus(Duration.ofSeconds(Math.round(hours * 3600))).toString());
                v.put("window", previous);
                v.put("tenant", view.tenant());
                v.put("dag", null);
            }
            case "RunCounts" -> {
                v.put("stale", STALE_HOURS);
                v.put("tenant", view.tenant());
                v.put("dag", null);
            }
            case "Runs" -> {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("tenant", view.tenant());
                filter.put("dagName", null);
                filter.put("statuses", view.statuses());
                v.put("first", RUNS_PAGE);
                v.put("after", null);
                v.put("filter", filter);
            }
            case "Run" -> v.put("id", view.runId());
            case "TenantLoad", "Schedules" -> v.put("window", window);
            default -> {
                // DefaultWindow, NewestRun, Sources, Tenants, DagNames: no variables
            }
        }
        return v;
    }
}
