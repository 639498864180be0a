package io.dagscope.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.language.AstPrinter;
import graphql.language.Description;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.language.Value;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks that our schema keeps every name, type, argument and default of the contract that outside clients rely on
 * ({@code shared/spec/contract.graphql}, copied to the test resources so a clean clone can check itself).
 */
class ContractCoverageTest {

    private static final TypeDefinitionRegistry CONTRACT = new SchemaParser().parse(resource("/contract.graphql"));
    private static final String OUR_SDL = resource("/io/dagscope/graphql/schema.graphqls");
    private static final TypeDefinitionRegistry OURS = new SchemaParser().parse(OUR_SDL);

    @Test
    void everyTypeFieldArgumentAndDefaultOfTheContractIsInOurSchemaWithTheSameSignature() {
        Comparison comparison = compare(CONTRACT, OURS);

        assertEquals(List.of(), comparison.problems, "differences from the contract");
        // the contract has 15 named types and about 90 fields, arguments and values: all of them were looked at
        assertTrue(comparison.checked > 100, "checked only " + comparison.checked + " elements");
    }

    @Test
    void theContractsDescriptionsAreKeptWordForWord() {
        List<String> changed = new ArrayList<>();
        for (TypeDefinition<?> type : CONTRACT.types().values()) {
            TypeDefinition<?> ours = Objects.requireNonNull(OURS.getTypeOrNull(type.getName()), type.getName());
            compareDescription(type.getName(), description(type), description(ours), changed);
            if (type instanceof InputObjectTypeDefinition input) {
                Map<String, InputValueDefinition> ourFields = byName(
                        ((InputObjectTypeDefinition) ours).getInputValueDefinitions(), InputValueDefinition::getName);
                for (InputValueDefinition field : input.getInputValueDefinitions()) {
                    compareDescription(type.getName() + "." + field.getName(), field.getDescription(),
                            ourFields.get(field.getName()).getDescription(), changed);
                }
            }
        }
        for (ScalarTypeDefinition scalar : contractScalars()) {
            compareDescription(scalar.getName(), scalar.getDescription(),
                    OURS.scalars().get(scalar.getName()).getDescription(), changed);
        }
        assertEquals(List.of(), changed);
    }

    @Test
    void theComparisonNoticesAChangedDefaultARenamedFieldAndAnAddedRequiredArgument() {
        String sdl = OUR_SDL
                .replace("dagRuns(first: Int = 20,", "dagRuns(first: Int = 10,")
                .replace("  tasksRetried: Int!", "  retries: Int!")
                .replace("tenantLoad(window: WindowInput)", "tenantLoad(window: WindowInput, limit: Int!)");

        Comparison comparison = compare(CONTRACT, new SchemaParser().parse(sdl));

        assertEquals(3, comparison.problems.size(), comparison.problems.toString());
        assertTrue(comparison.problems.contains("Query.dagRuns(first) has default 10, not 20"),
                comparison.problems.toString());
        assertTrue(comparison.problems.contains("DagRun.tasksRetried is missing"), comparison.problems.toString());
        assertTrue(comparison.problems.contains(
                "Query.tenantLoad(limit) is an added required input: it breaks existing clients"),
                comparison.problems.toString());
    }

    private static Comparison compare(TypeDefinitionRegistry contract, TypeDefinitionRegistry ours) {
        Comparison c = new Comparison();
        for (ScalarTypeDefinition scalar : contractScalars()) {
            c.check(ours.scalars().containsKey(scalar.getName()), "scalar " + scalar.getName() + " is missing");
        }
        for (TypeDefinition<?> type : contract.types().values()) {
            TypeDefinition<?> mine = ours.getTypeOrNull(type.getName());
            if (!c.check(mine != null, "type " + type.getName() + " is missing")
                    || !c.check(mine.getClass() == type.getClass(), type.getName() + " is a different kind of type")) {
                continue;
            }
            if (type instanceof ObjectTypeDefinition object) {
                compareObject(object, (ObjectTypeDefinition) mine, c);
            } else if (type instanceof InputObjectTypeDefinition input) {
                compareInputs(type.getName(), input.getInputValueDefinitions(),
                        ((InputObjectTypeDefinition) mine).getInputValueDefinitions(), c);
            } else if (type instanceof EnumTypeDefinition enumType) {
                Set<String> theirs = enumType.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName)
                        .collect(Collectors.toSet());
                Set<String> values = ((EnumTypeDefinition) mine).getEnumValueDefinitions().stream()
                        .map(EnumValueDefinition::getName).collect(Collectors.toSet());
                c.check(theirs.equals(values), "enum " + type.getName() + " has values " + values + ", not " + theirs);
            }
        }
        return c;
    }

    private static void compareObject(ObjectTypeDefinition contract, ObjectTypeDefinition ours, Comparison c) {
        Map<String, FieldDefinition> fields = byName(ours.getFieldDefinitions(), FieldDefinition::getName);
        for (FieldDefinition field : contract.getFieldDefinitions()) {
            String where = contract.getName() + "." + field.getName();
            FieldDefinition mine = fields.get(field.getName());
            if (!c.check(mine != null, where + " is missing")) {
                continue;
            }
            c.check(print(field.getType()).equals(print(mine.getType())),
                    where + " has type " + print(mine.getType()) + ", not " + print(field.getType()));
            compareInputs(where, field.getInputValueDefinitions(), mine.getInputValueDefinitions(), c);
        }
    }

    /** Same arguments (or input fields) with the same types and defaults; any added one must be optional. */
    private static void compareInputs(String where, List<InputValueDefinition> contract,
            List<InputValueDefinition> ours, Comparison c) {
        Map<String, InputValueDefinition> mine = byName(ours, InputValueDefinition::getName);
        for (InputValueDefinition input : contract) {
            String at = where + "(" + input.getName() + ")";
            InputValueDefinition our = mine.remove(input.getName());
            if (!c.check(our != null, at + " is missing")) {
                continue;
            }
            c.check(print(input.getType()).equals(print(our.getType())),
                    at + " has type " + print(our.getType()) + ", not " + print(input.getType()));
            c.check(Objects.equals(print(input.getDefaultValue()), print(our.getDefaultValue())),
                    at + " has default " + print(our.getDefaultValue()) + ", not " + print(input.getDefaultValue()));
        }
        for (InputValueDefinition added : mine.values()) {
            c.check(!(added.getType() instanceof NonNullType) || added.getDefaultValue() != null,
                    where + "(" + added.getName() + ") is an added required input: it breaks existing clients");
        }
    }

    private static List<ScalarTypeDefinition> contractScalars() {
        // scalars() includes the built-in ones; those the contract declares have a source location in it
        return CONTRACT.scalars().values().stream().filter(s -> s.getSourceLocation() != null).toList();
    }

    private static void compareDescription(String where, Description contract, Description ours, List<String> changed) {
        if (contract != null && (ours == null || !contract.getContent().equals(ours.getContent()))) {
            changed.add(where + ": '" + (ours == null ? null : ours.getContent()) + "' instead of '"
                    + contract.getContent() + "'");
        }
    }

    private static Description description(TypeDefinition<?> type) {
        if (type instanceof ObjectTypeDefinition t) {
            return t.getDescription();
        }
        if (type instanceof InputObjectTypeDefinition t) {
            return t.getDescription();
        }
        if (type instanceof EnumTypeDefinition t) {
            return t.getDescription();
        }
        return null;
    }

    private static String print(graphql.language.Node<?> node) {
        return node == null ? null : AstPrinter.printAst(node);
    }

    private static String print(Value<?> value) {
        return value == null ? null : AstPrinter.printAst(value);
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new java.util.LinkedHashMap<>();
        items.forEach(item -> map.put(name.apply(item), item));
        return map;
    }

    private static String resource(String path) {
        try (InputStream in = ContractCoverageTest.class.getResourceAsStream(path)) {
            return new String(Objects.requireNonNull(in, path).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class Comparison {
        final List<String> problems = new ArrayList<>();
        int checked;

        boolean check(boolean ok, String problem) {
            checked++;
            if (!ok) {
                problems.add(problem);
            }
            return ok;
        }
    }
}
