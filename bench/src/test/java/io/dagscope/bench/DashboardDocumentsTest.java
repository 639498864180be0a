package io.dagscope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardDocumentsTest {

    /** The dashboard's own file, in the web-ui module beside this one. */
    static final Path QUERIES_JS = Path.of("..", "web-ui", "src", "main", "resources", DashboardDocuments.RESOURCE);

    static final Instant END = Instant.parse("2026-01-06T10:30:45Z");

    @TempDir
    Path dir;

    @Test
    void templatesAndReplacementsOfEarlierOnesAreReadByOperationName() {
        String js = String.join("\n",
                "/* a comment */",
                "export const SUMMARY = `Summary($window: WindowInput) {",
                "  taskSummary(window: $window) { windowStart }",
                "}`;",
                "",
                "export const PREVIOUS_SUMMARY = SUMMARY.replace('Summary(', 'PreviousSummary(');",
                "",
                "export const TENANTS = `Tenants { tenants }`;");
        Map<String, String> ops = DashboardDocuments.parse(js);
        assertEquals(List.of("Summary", "PreviousSummary", "Tenants"), List.copyOf(ops.keySet()));
        assertEquals("PreviousSummary($window: WindowInput) {\n  taskSummary(window: $window) { windowStart }\n}",
                ops.get("PreviousSummary"));
        assertEquals("Tenants { tenants }", ops.get("Tenants"));
    }

    @Test
    void aConstantOfAnotherShapeIsRefusedByName() {
        String message = assertThrows(IllegalArgumentException.class, () -> DashboardDocuments.parse(
                "export const A = `A { tenants }`;\nexport const B = build('B');\n")).getMessage();
        assertTrue(message.contains("cannot read the constant B"), message);
        assertThrows(IllegalArgumentException.class, () -> DashboardDocuments.parse(
                "export const A = `A(${x}) { tenants }`;\n"));
        assertThrows(IllegalArgumentException.class, () -> DashboardDocuments.parse("// nothing here\n"));
    }

    @Test
    void theDashboardsRealFileIsReadWhole() throws Exception {
        Map<String, String> ops = DashboardDocuments.parse(Files.readString(QUERIES_JS));
        for (String op : List.of("DefaultWindow", "Summary", "PreviousSummary", "RunCounts", "Series", "Runs",
                "NewestRun", "Run", "TenantLoad", "Schedules", "Failures", "Sources", "Tenants", "DagNames")) {
            assertTrue(ops.containsKey(op), op + " in " + ops.keySet());
        }
        assertTrue(ops.get("PreviousSummary").startsWith("PreviousSummary("));
        assertEquals(ops.get("Summary").replaceFirst("Summary\\(", "PreviousSummary("), ops.get("PreviousSummary"));
        // every operation the file has gets the variables the dashboard gives it (a new one would show here)
        for (String op : ops.keySet()) {
            String declared = ops.get(op).substring(0, ops.get(op).indexOf('{'));
            Map<String, Object> v = DashboardDocuments.variables(op, new DashboardDocuments.View(24.0, "acme-corp",
                    List.of("FAILED"), "run-1", END, 24));
            Set<String> names = new TreeSet<>();
            Matcher m = Pattern.compile("\\$(\\w+):").matcher(declared);
            while (m.find()) {
                names.add(m.group(1));
            }
            assertEquals(names, new TreeSet<>(v.keySet()), op + ": the variables given are those it declares");
        }
    }

    @Test
    void theOperationsAreReadFromTheProductsJar() throws Exception {
        Path jar = dir.resolve("dagscope.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(DashboardDocuments.RESOURCE));
            j.write("export const TENANTS = `Tenants { tenants }`;\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        assertEquals(Map.of("Tenants", "Tenants { tenants }"), DashboardDocuments.fromJar(jar));
        Path other = dir.resolve("other.jar");
        try (OutputStream out = Files.newOutputStream(other); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("x.txt"));
            j.closeEntry();
        }
        assertTrue(assertThrows(java.io.IOException.class, () -> DashboardDocuments.fromJar(other)).getMessage()
                .contains("has no " + DashboardDocuments.RESOURCE));
    }

    @Test
    void theVariablesAreThoseTheDashboardSends() {
        DashboardDocuments.View week = new DashboardDocuments.View(168.0, "globex", List.of("FAILED"), "r1", END, 24);
        DashboardDocuments.View plain = new DashboardDocuments.View(null, null, null, null, END, 24);
        Map<String, Object> window = Map.of("hours", 168.0);
        assertEquals(map("window", window, "tenant", "globex", "dag", null),
                DashboardDocuments.variables("Summary", week));
        assertEquals(map("window", null, "tenant", null, "dag", null), DashboardDocuments.variables("Series", plain));
        // the previous window ends where the current one starts: the default end, to the minute, less its length
        assertEquals(map("window", map("hours", 24.0, "end", "2026-01-05T10:30:00Z"), "tenant", null, "dag", null),
                DashboardDocuments.variables("PreviousSummary", plain));
        assertEquals(map("window", map("hours", 168.0, "end", "2025-12-30T10:30:00Z"), "tenant", "globex", "dag", null),
                DashboardDocuments.variables("PreviousSummary", week));
        assertEquals(map("stale", 6, "tenant", "globex", "dag", null), DashboardDocuments.variables("RunCounts", week));
        assertEquals(map("first", 25, "after", null, "filter", map("tenant", "globex", "dagName", null, "statuses",
                List.of("FAILED"))), DashboardDocuments.variables("Runs", week));
        assertEquals(Map.of("id", "r1"), DashboardDocuments.variables("Run", week));
        assertEquals(map("window", window), DashboardDocuments.variables("Schedules", week));
        assertEquals(Map.of(), DashboardDocuments.variables("Tenants", week));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theCheckAsksEveryOperationAsAnAdminAndTheTenantFilteredOnesWithEachTenantsToken() {
        Map<String, String> ops = DashboardDocuments.parse(String.join("\n",
                "export const SUMMARY = `Summary($window: WindowInput, $tenant: String, $dag: String) { x }`;",
                "export const RUN = `Run($id: ID!) { y }`;",
                "export const TENANTS = `Tenants { tenants }`;"));
        Map<String, String> tenants = new LinkedHashMap<>();
        tenants.put("acme-corp", "tok-a");
        tenants.put("globex", "tok-g");
        List<SoakAnswers.Item> items = SoakAnswers.items(ops, "tok-admin", tenants, END, 24, null);
        assertEquals(Arrays.asList("admin Summary", "admin Summary (7 d, FAILED)", "admin Tenants",
                "admin bench dashboard", "acme-corp Summary", "globex Summary"),
                items.stream().map(SoakAnswers.Item::label).toList());
        assertEquals("tok-g", items.get(5).token());
        assertEquals("query Summary($window: WindowInput, $tenant: String, $dag: String) { x }",
                items.get(5).document());
        assertEquals("globex", items.get(5).variables().get("tenant"));
        assertEquals(DashboardQuery.document(24, END), items.get(3).document());
        assertTrue(SoakAnswers.items(ops, "tok-admin", tenants, END, 24, "run-7").stream()
                .anyMatch(i -> i.label().equals("admin Run") && i.variables().equals(Map.of("id", "run-7"))));
    }
}
