package io.dagscope.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.dagscope.server.yaml.YamlErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML document as a tree whose every node knows its line, so that a configuration error can say where it is.
 * Jackson's own tree forgets positions, so this one is built from the parser's tokens.
 */
final class YamlTree {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final String QUOTE_STAR = "a value that starts with * must be quoted, as in location: \"*.jsonl\"";

    private YamlTree() {
    }

    /** A node and where it starts (1-based). */
    sealed interface Node permits Scalar, Mapping, Sequence {
        /** @return the line the node starts on */
        int line();

        /** @return what kind of value it is, for messages ("a list", "a mapping", "text", ...) */
        String kind();
    }

    /** The type a scalar was written as. */
    enum ScalarType {
        TEXT("text"), INTEGER("a whole number"), DECIMAL("a number"), BOOLEAN("true/false"), NULL("empty");

        final String description;

        ScalarType(String description) {
            this.description = description;
        }
    }

    /**
     * A single value.
     *
     * @param text the value as written (numbers as written, e.g. {@code 0.50})
     * @param type the type YAML gives it
     * @param number the numeric value of a number, else null
     * @param line the line it starts on
     * @param lastLine the line it ends on: a later one for a text over several lines (a block, or a quote left open
     *     that swallowed the lines after it)
     */
    record Scalar(String text, ScalarType type, Number number, int line, int lastLine) implements Node {
        Scalar(String text, ScalarType type, Number number, int line) {
            this(text, type, number, line, line);
        }

        /** @return whether it runs over more than one line */
        boolean spansLines() {
            return lastLine > line;
        }

        @Override
        public String kind() {
            return type.description;
        }
    }

    /**
     * A key within a mapping, with the line it is on.
     *
     * @param key the key
     * @param line its line
     * @param value its value
     */
    record Entry(String key, int line, Node value) {
    }

    /**
     * A mapping, keys in file order.
     *
     * @param entries the entries by key
     * @param line the line it starts on
     */
    record Mapping(Map<String, Entry> entries, int line) implements Node {
        Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /**
     * A list.
     *
     * @param items the items in order
     * @param line the line it starts on
     */
    record Sequence(List<Node> items, int line) implements Node {
        Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** The text is not one well-formed YAML document; the message says where (with no value from the file). */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }

        /** @return the line of the problem, or 0 when unknown */
        int line() {
            return line;
        }
    }

    /**
     * Parses one YAML document.
     *
     * @param text the document
     * @return the root, or empty for an empty document
     * @throws SyntaxException if it is not well-formed, has a key twice, or holds more than one document
     */
    static Optional<Node> parse(String text) throws SyntaxException {
        JsonParser parser;
        try {
            parser = YAML.createParser(text);
        } catch (IOException e) {
            throw new SyntaxException(0, "cannot be parsed: " + e.getMessage());
        }
        try (parser) {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            Node root = read(parser);
            if (parser.nextToken() != null) {
                throw new SyntaxException(line(parser), "a second YAML document starts here; the file must hold one");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, parser.currentLocation());
        } catch (IOException e) {
            throw new SyntaxException(0, "cannot be parsed: " + e.getMessage());
        }
    }

    private static Node read(JsonParser p) throws IOException, SyntaxException {
        int line = line(p);
        JsonToken token = p.currentToken();
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new SyntaxException(line, "an alias (*name) cannot be used here; " + QUOTE_STAR);
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    p.nextToken();
                    Node value = read(p);
                    Entry earlier = entries.putIfAbsent(key, new Entry(key, keyLine, value));
                    if (earlier != null) {
                        throw new SyntaxException(keyLine, "the key '" + key + "' is given twice in one mapping "
                                + "(first on line " + earlier.line() + ")");
                    }
                }
                return new Mapping(entries, line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p));
                }
                return new Sequence(items, line);
            }
            case VALUE_STRING:
                return new Scalar(p.getText(), ScalarType.TEXT, null, line, Math.max(line, endLine(p)));
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(p, token == JsonToken.VALUE_NUMBER_INT ? ScalarType.INTEGER : ScalarType.DECIMAL, line);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Scalar(p.getText(), ScalarType.BOOLEAN, null, line);
            case VALUE_NULL:
                return new Scalar("", ScalarType.NULL, null, line);
            default:
                throw new SyntaxException(line, "a value of a kind a configuration cannot hold (" + token + ")");
        }
    }

    /**
     * A number; YAML's infinities and not-a-number, which Jackson cannot convert, are kept as such, and a numeral no
     * converter takes stays text (its value is not put in a message: it may be a secret option's).
     */
    private static Scalar number(JsonParser p, ScalarType type, int line) throws IOException {
        String text = p.getText();
        try {
            return new Scalar(text, type, p.getNumberValue(), line);
        } catch (JsonProcessingException | NumberFormatException e) {
            String t = text.strip().toLowerCase(java.util.Locale.ROOT);
            if (t.equals(".inf") || t.equals("+.inf")) {
                return new Scalar(text, ScalarType.DECIMAL, Double.POSITIVE_INFINITY, line);
            }
            if (t.equals("-.inf")) {
                return new Scalar(text, ScalarType.DECIMAL, Double.NEGATIVE_INFINITY, line);
            }
            if (t.equals(".nan")) {
                return new Scalar(text, ScalarType.DECIMAL, Double.NaN, line);
            }
            return new Scalar(text, ScalarType.TEXT, null, line);
        }
    }

    /** The line where the current token ends. */
    private static int endLine(JsonParser p) {
        JsonLocation location = p.currentLocation();
        return location == null ? 0 : location.getLineNr();
    }

    private static int line(JsonParser p) {
        JsonLocation location = p.currentTokenLocation();
        return location == null ? 0 : location.getLineNr();
    }

    /** The parser's message without the excerpt of the file it quotes (which may hold a secret), and its line. */
    private static SyntaxException syntaxError(JsonProcessingException e, JsonLocation where) {
        YamlErrors.Problem problem = YamlErrors.describe(e, where);
        String what = problem.message();
        if (what.contains("alias")) {
            what += "; " + QUOTE_STAR;
        }
        return new SyntaxException(problem.line(), what);
    }
}
