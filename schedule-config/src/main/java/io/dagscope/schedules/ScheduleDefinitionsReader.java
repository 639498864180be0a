package io.dagscope.schedules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dagscope.core.port.out.ScheduleDefinition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the orchestrator's schedule definition files: YAML, each a list of schedules
 * {@code - {id, cron, dag, tenant, enabled}}.
 *
 * <ul>
 * <li>A path that is a file is read whatever its name. A directory contributes its {@code *.yaml} and {@code *.yml}
 * files (not those of its subdirectories), in order of file name.</li>
 * <li>Keys other than {@code id}, {@code cron}, {@code dag}, {@code tenant} and {@code enabled} (such as
 * {@code max_retries}) are ignored. Values may be quoted or not; numbers are kept as written ({@code id: 42} is
 * {@code "42"}). A file holding a single mapping instead of a list is one schedule, as the scheduler reads it. An
 * empty file has none.</li>
 * <li>{@code enabled} defaults to true. Other values are read as the scheduler's Python reads them
 * ({@code if not schedule.get("enabled", True)}): a YAML boolean as itself ({@code no} and {@code off} are false),
 * an empty value as false, a number as non-zero, a string as non-empty. A value whose meaning a reader could
 * mistake, such as the quoted string {@code "false"} (which the scheduler treats as true), is also reported as a
 * problem.</li>
 * <li>When two entries have one id, the first in read order wins and the other is reported as a problem.</li>
 * <li>Nothing stops the reading: a file that cannot be read or is not valid YAML, an entry that is not a mapping or
 * has no {@code id}, is reported and skipped, and the rest is read. An entry without {@code cron} or {@code dag}
 * (which the scheduler cannot run) is kept and reported.</li>
 * </ul>
 *
 * <p>Problems are one-line messages that start with the file's path and, for an entry, its 1-based position:
 * {@code configs/schedules/a.yaml, entry 2: no id; skipped}.
 */
public final class ScheduleDefinitionsReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "off", "n", "0");
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private ScheduleDefinitionsReader() {
    }

    /**
     * Reads a definitions file, or the definition files of a directory.
     *
     * @param path a YAML file, or a directory of them
     * @return the definitions and the problems met
     * @throws NoSuchFileException if nothing exists at {@code path}: a configured location that is missing is a
     *     mistake to report, not an empty set of schedules
     * @throws IOException if {@code path} is a directory that cannot be listed
     */
    public static ScheduleDefinitions read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no schedule definitions there (no such file or "
                    + "directory)");
        }
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                files = children.filter(ScheduleDefinitionsReader::isDefinitionFile)
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .collect(Collectors.toList());
            }
        } else {
            files = List.of(path);
        }
        Collector collector = new Collector();
        for (Path file : files) {
            collector.readFile(file);
        }
        return new ScheduleDefinitions(new ArrayList<>(collector.byId.values()), collector.problems);
    }

    private static boolean isDefinitionFile(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !Files.isDirectory(path);
    }

    /** The state of one {@link #read(Path)}: definitions by id, where each came from, and the problems. */
    private static final class Collector {
        final Map<String, ScheduleDefinition> byId = new LinkedHashMap<>();
        final Map<String, String> firstSeenAt = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();

        void readFile(Path file) {
            String origin = file.toString();
            JsonNode root;
            try {
                root = parse(Files.readAllBytes(file));
            } catch (CharacterCodingException e) {
                problems.add(origin + ": not valid UTF-8; skipped");
                return;
            } catch (JsonProcessingException e) {
                String hint = String.valueOf(e.getOriginalMessage()).contains("scanning an alias")
                        ? "; a value that starts with * must be quoted, as in cron: \"*/5 * * * *\"" : "";
                problems.add(origin + ": not valid YAML: " + describe(e) + hint + "; skipped");
                return;
            } catch (IOException e) {
                problems.add(origin + ": cannot be read (" + describe(e) + "); skipped");
                return;
            } catch (MultipleDocumentsException e) {
                problems.add(origin + ": holds more than one YAML document, which the scheduler cannot load; "
                        + "skipped");
                return;
            }
            if (root.isMissingNode() || root.isNull()) {
                return;
            }
            if (root.isObject()) {
                readEntry(root, origin, 1);
            } else if (root.isArray()) {
                for (int i = 0; i < root.size(); i++) {
                    readEntry(root.get(i), origin, i + 1);
                }
            } else {
                problems.add(origin + ": expected a list of schedules but found " + kind(root) + "; skipped");
            }
        }

        void readEntry(JsonNode entry, String origin, int position) {
            String where = origin + ", entry " + position;
            if (!entry.isObject()) {
                problems.add(where + ": expected a mapping with an id but found " + kind(entry) + "; skipped");
                return;
            }
            JsonNode idNode = entry.get("id");
            if (idNode == null || idNode.isNull() || (idNode.isValueNode() && idNode.asText().isBlank())) {
                problems.add(where + ": no id; skipped");
                return;
            }
            if (!idNode.isValueNode()) {
                problems.add(where + ": id must be a single value but is " + kind(idNode) + "; skipped");
                return;
            }
            String id = idNode.asText();
            where += " (id \"" + id + "\")";
            if (byId.containsKey(id)) {
                problems.add(where + ": id already defined in " + firstSeenAt.get(id) + "; this one is ignored");
                return;
            }
            Optional<String> cron = text(entry, "cron", where);
            Optional<String> dag = text(entry, "dag", where);
            Optional<String> tenant = text(entry, "tenant", where);
            boolean enabled = enabled(entry.get("enabled"), where);
            if (cron.isEmpty()) {
                problems.add(where + ": no cron, so the scheduler never runs it");
            }
            if (dag.isEmpty()) {
                problems.add(where + ": no dag, so the scheduler cannot run it");
            }
            byId.put(id, new ScheduleDefinition(id, cron, dag, tenant, enabled, origin));
            firstSeenAt.put(id, origin + ", entry " + position);
        }

        Optional<String> text(JsonNode entry, String key, String where) {
            JsonNode node = entry.get(key);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isValueNode()) {
                problems.add(where + ": " + key + " must be a single value but is " + kind(node) + "; ignored");
                return Optional.empty();
            }
            return Optional.of(node.asText());
        }

        boolean enabled(JsonNode node, String where) {
            if (node == null) {
                return true;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isNull()) {
                problems.add(where + ": enabled is empty, which the scheduler reads as false");
                return false;
            }
            if (node.isNumber()) {
                return node.doubleValue() != 0;
            }
            if (node.isTextual()) {
                String value = node.textValue();
                if (FALSE_WORDS.contains(value.strip().toLowerCase(Locale.ROOT))) {
                    problems.add(where + ": enabled is the string \"" + value + "\", which the scheduler reads as "
                            + "true (any non-empty string is); write enabled: false without quotes");
                }
                return !value.isEmpty();
            }
            problems.add(where + ": enabled must be true or false but is " + kind(node) + "; read as "
                    + (node.size() > 0));
            return node.size() > 0;
        }
    }

    /** Parses one file's bytes: strict UTF-8, a leading byte-order mark dropped, exactly one YAML document. */
    private static JsonNode parse(byte[] bytes) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try (JsonParser parser = YAML.createParser(text)) {
            JsonNode root = YAML.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new MultipleDocumentsException();
            }
            return root == null ? YAML.missingNode() : root;
        }
    }

    /** A YAML stream with a second document, which Python's {@code yaml.safe_load} refuses. */
    private static final class MultipleDocumentsException extends RuntimeException {
        MultipleDocumentsException() {
            super(null, null, false, false);
        }
    }

    /**
     * One line out of a YAML parser's multi-line message: its unindented lines (what went wrong, and while doing
     * what) and the position of the last mark it names.
     */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> words = new ArrayList<>();
        String position = null;
        for (String line : message.split("\\R")) {
            Matcher matcher = POSITION.matcher(line);
            if (matcher.find()) {
                position = "line " + matcher.group(1) + ", column " + matcher.group(2);
            }
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                words.add(line.strip());
            }
        }
        if (position == null && e.getLocation() != null) {
            position = "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        String what = words.isEmpty() ? message.strip() : String.join(": ", words);
        return position == null ? what : what + " (" + position + ")";
    }

    private static String describe(IOException e) {
        String reason = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass().getSimpleName() + (reason.isEmpty() ? "" : ": " + reason);
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return "the value \"" + node.asText() + "\"";
    }
}
