package io.dagscope.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the {@code dagscope} command line in-process and captures what it prints. */
public record CliRun(int exitCode, String stdout, String stderr) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The repository's fixtures, seen from a module directory. */
    public static final Path SAMPLES = Path.of("..", "fixtures", "samples");

    /**
     * Runs a command line.
     *
     * @param args the arguments, command first
     * @return what happened
     */
    public static CliRun run(String... args) {
        return runWith(Map.of(), "", args);
    }

    /**
     * Runs a command line with an environment and standard input.
     *
     * @param env the environment
     * @param stdin standard input
     * @param args the arguments, command first
     * @return what happened
     */
    public static CliRun runWith(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** @return stdout parsed as JSON */
    public JsonNode json() {
        try {
            return JSON.readTree(stdout);
        } catch (Exception e) {
            throw new AssertionError("stdout is not JSON (exit " + exitCode + "): " + stdout + "\nstderr: " + stderr,
                    e);
        }
    }

    /** @return the response's {@code data}, failing if the response has errors */
    public JsonNode data() {
        JsonNode json = json();
        if (json.has("errors") || exitCode != 0) {
            throw new AssertionError("query failed (exit " + exitCode + "): " + stdout + "\nstderr: " + stderr);
        }
        return json.get("data");
    }
}
