package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dagscope.core.port.in.TenantScope;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.Settings;
import io.dagscope.server.plugins.PluginLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code dagscope query}: runs one GraphQL document against the logs and prints the response. */
public final class QueryCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "query";
    }

    @Override
    public String summary() {
        return "Read the logs, run one GraphQL document, print the response JSON on stdout.";
    }

    @Override
    public String positionalUsage() {
        return "QUERY";
    }

    @Override
    public String details() {
        return "QUERY is the document's text, @FILE to read it from a file, or - to read it from stdin.\n"
                + "Exit status: 0 when the response has no errors, 1 when it has, 2 for bad usage, 4 when a source\n"
                + "could not be read (the answer is partial; --allow-partial makes that 0).\n"
                + "Example: dagscope query --events logs/orchestrator_events.jsonl \\\n"
                + "           '{ taskSummary(window: {hours: 24}) { window { succeeded failed errorRate } } }'";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(CommonOptions.FLAGS);
        flags.add(Flag.value("variables", "JSON", "the document's variables, as a JSON object"));
        flags.add(Flag.value("operation", "NAME", "the operation to run, when the document has several"));
        flags.add(Flag.toggle("compact", "print the response on one line"));
        flags.add(Flag.toggle(Io.ALLOW_PARTIAL, "exit 0 even when a source could not be read (by default that "
                + "exits " + Io.EXIT_PARTIAL + ": the answer lacks its events)"));
        return flags;
    }

    @Override
    public int run(Args args, Io io) throws IOException {
        if (args.positionals().size() != 1) {
            throw new UsageException("query needs exactly one QUERY (text, @FILE or -), got "
                    + args.positionals().size() + "; see dagscope query --help");
        }
        String document = readDocument(args.positionals().get(0), io);
        Map<String, Object> variables = Map.of();
        if (args.value("variables").isPresent()) {
            variables = variables(args.value("variables").get());
        }
        Settings settings = CommonOptions.resolve(args, io.env(), note -> io.err().println("dagscope: " + note));
        settings.plugins().ifPresent(dir -> PluginLoader.loadInto(dir, io.factories(), io.err()));
        try (Dagscope app = Dagscope.create(settings, io.factories(), false, io.err())) {
            app.startFromSnapshot(Optional.empty(), note -> io.err().println("dagscope: " + note));
            app.ingestor().pollOnce();
            int unread = Io.reportUnreadSources(app.ingestor().sources(), io.err());
            Map<String, Object> result = app.api().execute(document, variables, args.value("operation").orElse(null),
                    TenantScope.ALL);
            ObjectMapper mapper = JSON.copy();
            if (!args.has("compact")) {
                mapper.enable(SerializationFeature.INDENT_OUTPUT);
            }
            io.out().println(mapper.writeValueAsString(result));
            io.out().flush();
            if (unread > 0 && !args.has(Io.ALLOW_PARTIAL)) {
                io.err().println("dagscope query: " + Io.partialMessage(unread));
                return Io.EXIT_PARTIAL;
            }
            Object errors = result.get("errors");
            return errors instanceof List<?> l && !l.isEmpty() ? 1 : 0;
        }
    }

    /** The variables: a JSON object, or null for none; anything else is named in words, not as a Java type. */
    static Map<String, Object> variables(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UsageException("--variables must be a JSON object, e.g. '{\"first\": 10}'; got '" + text
                    + "', which is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            String kind = node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                    : node.isBoolean() ? "a boolean" : "not an object";
            throw new UsageException("--variables must be a JSON object, e.g. '{\"first\": 10}'; got " + kind
                    + ": '" + text + "'");
        }
        return JSON.convertValue(node, new TypeReference<Map<String, Object>>() {
        });
    }

    private static String readDocument(String arg, Io io) throws IOException {
        if (arg.equals("-")) {
            return new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
        }
        if (arg.startsWith("@")) {
            Path p = Path.of(arg.substring(1));
            if (!Files.isReadable(p)) {
                throw new UsageException("QUERY: cannot read the file " + p);
            }
            return Files.readString(p);
        }
        return arg;
    }
}
