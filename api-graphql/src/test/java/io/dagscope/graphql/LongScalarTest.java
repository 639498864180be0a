package io.dagscope.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.language.IntValue;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongScalarTest {

    @SuppressWarnings("unchecked")
    private static final Coercing<Long, Long> COERCING = (Coercing<Long, Long>) LongScalar.INSTANCE.getCoercing();
    private static final GraphQLContext CONTEXT = GraphQLContext.getDefault();

    /** A schema that echoes a Long argument, to run literals and variables through graphql-java itself. */
    private static final GraphQL ECHO = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
            new SchemaParser().parse("scalar Long type Query { echo(value: Long): Long }"),
            RuntimeWiring.newRuntimeWiring().scalar(LongScalar.INSTANCE)
                    .type("Query", t -> t.dataFetcher("echo", env -> env.getArgument("value")))
                    .build()))
            .build();

    @Test
    void writesValuesPastTwoToTheThirtyOneAsNumbersWithoutLoss() {
        assertEquals(Long.MAX_VALUE, COERCING.serialize(Long.MAX_VALUE, CONTEXT, Locale.ROOT));
        assertEquals(5_000_000_000L, COERCING.serialize(5_000_000_000L, CONTEXT, Locale.ROOT));
        assertEquals(7L, COERCING.serialize(7, CONTEXT, Locale.ROOT));
    }

    @Test
    void readsIntegerLiteralsAndStringsOfDigitsExactly() {
        assertEquals(Long.MAX_VALUE, echo("{ echo(value: 9223372036854775807) }"));
        assertEquals(Long.MIN_VALUE, echo("{ echo(value: -9223372036854775808) }"));
        assertEquals(9_007_199_254_740_993L, echo("{ echo(value: \"9007199254740993\") }"));
        assertEquals(42L, echo("{ echo(value: 42) }"));
    }

    @Test
    void readsVariablesGivenAsIntegersBigIntegersOrStringsOfDigits() {
        assertEquals(5_000_000_000L, echoVariable(5_000_000_000L));
        assertEquals(12L, echoVariable(12));
        assertEquals(Long.MAX_VALUE, echoVariable(BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(9_007_199_254_740_993L, echoVariable("9007199254740993"));
        assertEquals(-3L, echoVariable("-3"));
        assertEquals(1000L, echoVariable(new BigDecimal("1.000E+3")));
        assertEquals(3L, echoVariable(3.0));
    }

    @Test
    void rejectsAnOutOfRangeLiteralSayingTheRange() {
        String message = onlyError("{ echo(value: 9223372036854775808) }");

        assertTrue(message.contains("Invalid Long 9223372036854775808: out of range; a Long is a signed 64-bit "
                + "integer, from -9223372036854775808 to 9223372036854775807"), message);
    }

    @Test
    void rejectsAFloatLiteral() {
        String message = onlyError("{ echo(value: 1.5) }");

        assertTrue(message.contains("Invalid Long 1.5: expected a Long"), message);
    }

    @Test
    void rejectsFloatsAndOutOfRangeValuesInVariablesWithAClearMessage() {
        assertTrue(variableError(1.5).contains("Invalid Long 1.5: not an integer"));
        assertTrue(variableError(new BigDecimal("2.50")).contains("Invalid Long '2.50': not an integer"));
        assertTrue(variableError("1e3").contains("Invalid Long '1e3': expected a Long"));
        assertTrue(variableError("9223372036854775808").contains("out of range"));
        assertTrue(variableError(new BigInteger("-9223372036854775809")).contains("out of range"));
        assertTrue(variableError(1e17).contains("may have lost precision"));
        assertTrue(variableError(true).contains("Invalid Long true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12 ", "0x10", "1_000", "--1"})
    void rejectsStringsThatAreNotPlainIntegers(String input) {
        assertThrows(CoercingParseValueException.class, () -> COERCING.parseValue(input, CONTEXT, Locale.ROOT));
    }

    @Test
    void refusesToWriteAFraction() {
        assertThrows(CoercingSerializeException.class, () -> COERCING.serialize(0.5, CONTEXT, Locale.ROOT));
    }

    @Test
    void turnsALongIntoAnIntLiteral() {
        IntValue literal = (IntValue) COERCING.valueToLiteral(Long.MAX_VALUE, CONTEXT, Locale.ROOT);

        assertEquals(BigInteger.valueOf(Long.MAX_VALUE), literal.getValue());
    }

    private static Object echo(String query) {
        ExecutionResult result = ECHO.execute(query);
        assertEquals(List.of(), result.getErrors());
        return result.<Map<String, Object>>getData().get("echo");
    }

    private static Object echoVariable(Object value) {
        ExecutionResult result = ECHO.execute(ExecutionInput.newExecutionInput()
                .query("query($v: Long) { echo(value: $v) }").variables(Map.of("v", value)));
        assertEquals(List.of(), result.getErrors());
        return result.<Map<String, Object>>getData().get("echo");
    }

    private static String onlyError(String query) {
        ExecutionResult result = ECHO.execute(query);
        assertEquals(1, result.getErrors().size(), result.getErrors().toString());
        return result.getErrors().get(0).getMessage();
    }

    private static String variableError(Object value) {
        ExecutionResult result = ECHO.execute(ExecutionInput.newExecutionInput()
                .query("query($v: Long) { echo(value: $v) }").variables(Map.of("v", value)));
        assertEquals(1, result.getErrors().size(), result.getErrors().toString());
        return result.getErrors().get(0).getMessage();
    }
}
