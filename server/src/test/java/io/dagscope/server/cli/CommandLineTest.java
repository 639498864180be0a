package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as picocli parses it, and the errors a user meets first (issues 15 and 17). */
class CommandLineTest {

    @TempDir
    Path tmp;

    private static final Path HEAD = CliRun.SAMPLES.resolve("head");
    private static final String RUNNER = HEAD.resolve("orchestrator_events.jsonl").toString();
    private static final String STATE = HEAD.resolve("orchestrator_state.jsonl").toString();
    private static final List<String> COMMANDS = List.of("query", "summary", "serve", "generate", "demo",
            "hash-token");

    @Test
    void everyCommandHasShortAndLongHelpAndVersion() {
        for (String command : COMMANDS) {
            for (String help : List.of("-h", "--help")) {
                CliRun r = CliRun.run(command, help);
                assertEquals(0, r.exitCode(), command + " " + help + ": " + r.stderr());
                assertTrue(r.stdout().startsWith("usage: dagscope " + command), r.stdout());
                assertTrue(r.stdout().contains("-h, --help") && r.stdout().contains("-V, --version"), r.stdout());
            }
            for (String version : List.of("-V", "--version")) {
                CliRun r = CliRun.run(command, version);
                assertEquals(0, r.exitCode(), command + " " + version + ": " + r.stderr());
                assertTrue(r.stdout().startsWith("dagscope "), r.stdout());
            }
        }
        for (String version : List.of("-V", "--version", "version")) {
            CliRun r = CliRun.run(version);
            assertEquals(0, r.exitCode(), version);
            assertTrue(r.stdout().startsWith("dagscope "), r.stdout());
        }
        assertTrue(CliRun.run("help", "query").stdout().contains("--window-hours"));
        assertTrue(CliRun.run("-h").stdout().contains("completion"));
    }

    @Test
    void helpIsNotTakenForAnOptionsValue() {
        for (String flag : List.of("--variables", "--events", "--operation")) {
            CliRun r = CliRun.run("query", flag, "--help", "{ sources { name } }");
            assertEquals(2, r.exitCode(), flag + ": " + r.stdout());
            assertEquals("", r.stdout());
            assertTrue(r.stderr().contains("option '" + flag + "' needs a value"), r.stderr());
        }
        CliRun r = CliRun.run("serve", "--port", "-h");
        assertEquals(2, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains("option '--port' needs a value: --port PORT"), r.stderr());
    }

    @Test
    void anUnknownOptionListsTheRealOnes() {
        CliRun r = CliRun.run("hash-token", "--bogus");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("unknown option '--bogus' for 'hash-token'; options: -h, --help, -V, --version")
                || r.stderr().contains("options: --help, --version"), r.stderr());
        assertTrue(r.stderr().contains("--help") && r.stderr().contains("--version"), r.stderr());
        CliRun shortFlag = CliRun.run("query", "-x", "{ sources { name } }");
        assertEquals(2, shortFlag.exitCode());
        assertTrue(shortFlag.stderr().contains("unknown option '-x' for 'query'")
                && shortFlag.stderr().contains("--events"), shortFlag.stderr());
        CliRun inline = CliRun.run("query", "--evnts=x", "{ sources { name } }");
        assertTrue(inline.stderr().contains("unknown option '--evnts' for 'query'"), inline.stderr());
        CliRun twice = CliRun.run("serve", "--port", "1", "--port", "2");
        assertEquals(2, twice.exitCode());
        assertTrue(twice.stderr().contains("option '--port' may be given only once"), twice.stderr());
    }

    @Test
    void completionPrintsPicocliBashScriptForEveryCommandAndOption() throws IOException {
        CliRun r = CliRun.run("completion");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("complete -F"), "a bash completion script");
        for (String word : List.of("query", "summary", "serve", "generate", "demo", "hash-token", "--window-hours",
                "--allowed-host", "--allow-partial")) {
            assertTrue(r.stdout().contains(word), word);
        }
        assertTrue(Files.readString(Path.of("..", "docs", "cli.md")).contains("dagscope completion"),
                "docs/cli.md documents it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "directory"})
    void aOneShotCommandWhoseSourceCannotBeReadExitsFour(String kind) throws IOException {
        Path source = kind.equals("missing") ? tmp.resolve("nope.jsonl")
                : Files.createDirectories(tmp.resolve("logs.jsonl"));
        CliRun query = CliRun.run("query", "--events", source.toString(), "--state", STATE, "{ sources { name } }");
        assertEquals(4, query.exitCode(), query.stderr());
        assertTrue(query.stderr().contains(source.toString()) && query.stderr().contains("--allow-partial"),
                query.stderr());
        assertTrue(query.stdout().contains("\"sources\""), "the partial answer is still printed");
        CliRun accepted = CliRun.run("query", "--allow-partial", "--events", source.toString(), "--state", STATE,
                "{ sources { name } }");
        assertEquals(0, accepted.exitCode(), accepted.stderr());
        CliRun summary = CliRun.run("summary", "--events", source.toString(), "--state", STATE);
        assertEquals(4, summary.exitCode(), summary.stderr());
        assertTrue(summary.stdout().contains("DATA QUALITY"), "the tables are still printed");
        assertEquals(0, CliRun.run("summary", "--allow-partial", "--events", source.toString(), "--state", STATE)
                .exitCode());
        assertEquals(0, CliRun.run("summary", "--events", RUNNER, "--state", STATE).exitCode(),
                "readable sources exit 0");
    }

    @Test
    void variablesThatAreNotAnObjectAreNamedInWords() {
        for (String[] c : List.of(new String[] {"[1]", "an array"}, new String[] {"\"x\"", "a string"},
                new String[] {"7", "a number"}, new String[] {"{nope", "not JSON"})) {
            CliRun r = CliRun.run("query", "--events", RUNNER, "--variables", c[0], "{ sources { name } }");
            assertEquals(2, r.exitCode(), c[0]);
            assertTrue(r.stderr().contains("--variables must be a JSON object") && r.stderr().contains(c[1]),
                    r.stderr());
            assertFalse(r.stderr().contains("java.") || r.stderr().contains("LinkedHashMap"), r.stderr());
        }
        assertEquals(0, CliRun.run("query", "--events", RUNNER, "--variables", "null", "{ sources { name } }")
                .exitCode());
    }

    @Test
    void aBusyPortIsFoundBeforeAnyLogIsReadAndBlamesItsOrigin() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(busy.getLocalPort());
            CliRun r = CliRun.run("serve", "--port", port, "--events", RUNNER, "--state", STATE);
            assertEquals(2, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("--port " + port + ": cannot listen on 127.0.0.1:" + port), r.stderr());
            assertTrue(r.stderr().contains("--port 0"), "says what to do: " + r.stderr());
            assertFalse(r.stderr().contains("events from"), "no log was read: " + r.stderr());
            assertFalse(r.stderr().contains("at io.javalin") || r.stderr().contains("Exception"), r.stderr());

            Path config = Files.writeString(tmp.resolve("dagscope.yaml"), "server:\n  port: " + port + "\n");
            CliRun fromFile = CliRun.run("serve", "--config", config.toString(), "--events", RUNNER);
            assertEquals(2, fromFile.exitCode(), fromFile.stderr());
            assertTrue(fromFile.stderr().contains("port " + port + " (server.port in " + config + ")"),
                    fromFile.stderr());
            assertFalse(fromFile.stderr().contains("--port " + port), "not blamed on a flag not given");
        }
    }

    @Test
    void numbersAreEchoedAsTypedUnderTheirFlag() {
        String out = tmp.resolve("gen").toString();
        for (String[] c : List.of(new String[] {"generate", "--days", "0"}, new String[] {"generate", "--rate", "0"},
                new String[] {"demo", "--days", "0"}, new String[] {"demo", "--rate", "-1"},
                new String[] {"demo", "--days", "1e400"})) {
            CliRun r = c[0].equals("generate") ? CliRun.run(c[0], "--out", out, c[1], c[2])
                    : CliRun.run(c[0], "--port", "0", c[1], c[2]);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.stderr());
            assertTrue(r.stderr().contains("dagscope " + c[0] + ": " + c[1] + " must be above 0")
                    && r.stderr().contains("; got '" + c[2] + "'"), r.stderr());
            assertFalse(r.stderr().contains("removed the demo's logs"), "no folder was made: " + r.stderr());
        }
    }

    @Test
    void generateHelpNamesOneDefaultRate() {
        String help = CliRun.run("generate", "--help").stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("default (\\d+)[;)]").matcher(help);
        java.util.Set<String> rates = new java.util.HashSet<>();
        for (String line : help.split("\n")) {
            if (line.contains("--rate") && m.reset(line).find()) {
                rates.add(m.group(1));
            }
        }
        assertEquals(java.util.Set.of("180"), rates, help);
    }
}
