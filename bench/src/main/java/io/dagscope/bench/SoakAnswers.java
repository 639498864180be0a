package io.dagscope.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's verdict: once the load has stopped and the server has read every line, its answers to a set of
 * documents must equal, exactly, those of a one-shot {@code dagscope query} (a fresh fold) over the same final logs,
 * rotated and compressed files included, with the same {@code --end}. The documents are the dashboard's, for an
 * admin's views and for each tenant's token (with that tenant as the filter on the one-shot side), and the
 * benchmark's own dashboard document ({@link DashboardQuery}).
 *
 * <p>A source's lag ({@code lagBytes}, {@code lagObjects}) describes following, which a one-shot read does not do
 * (it answers null): the server's must be 0 (that is how it is known to have caught up), and it is left out of the
 * comparison; every other field is compared.
 */
final class SoakAnswers {

    /** How long the server may take to read what was appended last. */
    static final Duration CATCH_UP = Duration.ofMinutes(2);
    private static final String LAG = "{ sources { name eventsRead lagBytes } }";

    private SoakAnswers() {
    }

    /**
     * One document to check.
     *
     * @param label how the report names it
     * @param token the token the server is asked with
     * @param document the document
     * @param variables its variables
     */
    record Item(String label, String token, String document, Map<String, Object> variables) {
    }

    /**
     * The documents: each of the dashboard's operations for an admin's default view and a week's window, the runs
     * table filtered by FAILED, an open run, the benchmark's dashboard document; and for each tenant, its token with
     * the operations a tenant filter applies to.
     *
     * @param operations the dashboard's operations
     * @param adminToken the admin's token
     * @param tenantTokens each tenant's token
     * @param defaultEnd the server's {@code --end}
     * @param defaultHours its default window
     * @param runId a run to open, or null
     * @return the items
     */
    static List<Item> items(Map<String, String> operations, String adminToken, Map<String, String> tenantTokens,
            Instant defaultEnd, double defaultHours, String runId) {
        List<Item> items = new ArrayList<>();
        DashboardDocuments.View plain = new DashboardDocuments.View(null, null, null, runId, defaultEnd,
                defaultHours);
        DashboardDocuments.View week = new DashboardDocuments.View(168.0, null, List.of("FAILED"), runId, defaultEnd,
                defaultHours);
        for (Map.Entry<String, String> op : operations.entrySet()) {
            if (op.getKey().equals("Run") && runId == null) {
                continue;
            }
            items.add(new Item("admin " + op.getKey(), adminToken, "query " + op.getValue(),
                    DashboardDocuments.variables(op.getKey(), plain)));
            Map<String, Object> weekly = DashboardDocuments.variables(op.getKey(), week);
            if (!weekly.equals(DashboardDocuments.variables(op.getKey(), plain))) {
                items.add(new Item("admin " + op.getKey() + " (7 d, FAILED)", adminToken, "query " + op.getValue(),
                        weekly));
            }
        }
        items.add(new Item("admin bench dashboard", adminToken, DashboardQuery.document(defaultHours, defaultEnd),
                Map.of()));
        for (Map.Entry<String, String> t : tenantTokens.entrySet()) {
            DashboardDocuments.View tenant = new DashboardDocuments.View(null, t.getKey(), null, null, defaultEnd,
                    defaultHours);
            for (String op : List.of("Summary", "RunCounts", "Series", "Failures", "Runs")) {
                if (operations.containsKey(op)) {
                    items.add(new Item(t.getKey() + " " + op, t.getValue(), "query " + operations.get(op),
                            DashboardDocuments.variables(op, tenant)));
                }
            }
        }
        return items;
    }

    /**
     * Waits until the server has read every line: each source's lag 0 and its events read unchanged over two looks
     * half a second apart.
     *
     * @param admin the admin's connection
     * @return the seconds it took
     * @throws IOException if it has not caught up within {@link #CATCH_UP}, or cannot be asked
     * @throws InterruptedException if interrupted
     */
    static double awaitCaughtUp(GraphQlHttp admin) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + CATCH_UP.toNanos();
        JsonNode before = null;
        while (true) {
            GraphQlHttp.Response r = admin.post(LAG, Map.of());
            JsonNode sources = r.data().path("sources");
            boolean noLag = r.status() == 200 && sources.isArray() && sources.size() > 0;
            for (JsonNode s : sources) {
                noLag &= s.path("lagBytes").asLong(0) == 0;
            }
            if (noLag && sources.equals(before)) {
                return (System.nanoTime() - t0) / 1e9;
            }
            before = noLag ? sources : null;
            if (System.nanoTime() > deadline) {
                throw new IOException("the server had not read every line " + CATCH_UP.toSeconds()
                        + " s after the load stopped: " + sources);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /**
     * Asks the server and a one-shot query each document, and compares.
     *
     * @param base the server's base URL
     * @param items the documents
     * @param oneShot the one-shot query's command without its document and variables ({@code dagscope query
     *     --events ... --end ... --compact})
     * @param scratch a folder for the one-shot runs' output
     * @param log where progress goes
     * @return the differences; an item that fails on either side is a difference
     * @throws InterruptedException if interrupted
     */
    static List<String> compare(String base, List<Item> items, List<String> oneShot, Path scratch,
            java.io.PrintStream log) throws InterruptedException {
        List<String> differences = new ArrayList<>();
        Map<String, GraphQlHttp> clients = new LinkedHashMap<>();
        for (Item item : items) {
            GraphQlHttp http = clients.computeIfAbsent(item.token(), t -> new GraphQlHttp(base, t));
            JsonNode server;
            JsonNode reference;
            try {
                GraphQlHttp.Response r = http.post(item.document(), item.variables());
                if (r.status() != 200 || r.json() == null) {
                    differences.add(item.label() + ": the server answered " + r.status() + " " + r.json());
                    continue;
                }
                server = r.json();
                reference = oneShot(oneShot, item, scratch);
            } catch (IOException e) {
                differences.add(item.label() + ": " + e.getMessage());
                continue;
            }
            List<String> d = JsonDifferences.of(item.label(), withoutLag(server), withoutLag(reference), "server",
                    "one-shot");
            log.printf("  %-40s %s%n", item.label(), d.isEmpty() ? "same" : d.size() + " differences");
            differences.addAll(d);
        }
        return differences;
    }

    private static JsonNode oneShot(List<String> command, Item item, Path scratch)
            throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(command);
        c.add("--variables");
        c.add(Workers.JSON.writeValueAsString(item.variables()));
        c.add(item.document());
        MeasuredProcess p = MeasuredProcess.run(c, scratch, Duration.ofMinutes(10));
        if (p.exitCode() != 0 && p.exitCode() != 1) {
            throw new IOException("dagscope query failed (exit " + p.exitCode() + "): " + p.stderr().strip());
        }
        try {
            return Workers.JSON.readTree(p.stdout());
        } catch (JacksonException e) {
            throw new IOException("dagscope query printed no JSON: " + p.stdout() + p.stderr(), e);
        }
    }

    /** The answer without its sources' lag fields, which only a following read has. */
    static JsonNode withoutLag(JsonNode response) {
        JsonNode copy = response.deepCopy();
        for (JsonNode s : copy.path("data").path("sources")) {
            if (s instanceof ObjectNode o) {
                o.remove("lagBytes");
                o.remove("lagObjects");
            }
        }
        return copy;
    }
}
