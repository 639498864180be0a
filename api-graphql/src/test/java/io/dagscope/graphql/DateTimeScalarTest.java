package io.dagscope.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimeScalarTest {

    @SuppressWarnings("unchecked")
    private static final Coercing<Instant, String> COERCING =
            (Coercing<Instant, String>) DateTimeScalar.INSTANCE.getCoercing();
    private static final GraphQLContext CONTEXT = GraphQLContext.getDefault();

    @Test
    void writesInstantsAsUtcWithZ() {
        assertEquals("2025-10-21T18:00:00Z", serialize(Instant.parse("2025-10-21T18:00:00Z")));
        assertEquals("2025-10-21T18:00:00.123456Z", serialize(Instant.parse("2025-10-21T18:00:00.123456Z")));
        assertEquals("2025-10-21T16:00:00Z", serialize(OffsetDateTime.parse("2025-10-21T18:00:00+02:00")));
    }

    @Test
    void refusesToWriteSomethingThatIsNotAnInstant() {
        assertThrows(CoercingSerializeException.class, () -> serialize("2025-10-21T18:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "2025-10-21T18:00:00Z,          2025-10-21T18:00:00Z",
        "2025-10-21T18:00:00+02:00,     2025-10-21T16:00:00Z",
        "2025-10-21T18:00:00-05:30,     2025-10-21T23:30:00Z",
        "2025-10-21T18:00:00.5+01:00,   2025-10-21T17:00:00.500Z",
        "2025-10-21T18:00:00.123456Z,   2025-10-21T18:00:00.123456Z",
        "2025-10-21T18:00:00,           2025-10-21T18:00:00Z",
        "2025-10-21T18:00,              2025-10-21T18:00:00Z",
    })
    void readsIsoDateTimesWithAnyOffsetAndNaiveOnesAsUtc(String input, String expected) {
        Instant want = Instant.parse(expected);
        assertEquals(want, COERCING.parseValue(input, CONTEXT, Locale.ROOT));
        assertEquals(want, COERCING.parseLiteral(StringValue.of(input), CoercedVariables.emptyVariables(), CONTEXT,
                Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2025-13-01T00:00:00Z", "2025-10-21", "2025-10-21T25:00:00Z",
        "+999999999-12-31T23:59:59Z"})
    void rejectsMalformedInputWithAMessageThatShowsTheValueAndTheExpectedFormat(String input) {
        CoercingParseValueException e = assertThrows(CoercingParseValueException.class,
                () -> COERCING.parseValue(input, CONTEXT, Locale.ROOT));

        assertTrue(e.getMessage().startsWith("Invalid DateTime '" + input + "': expected an ISO-8601 date-time"),
                e.getMessage());
        assertTrue(e.getMessage().contains("2025-10-21T18:00:00+02:00"), e.getMessage());
    }

    @Test
    void rejectsANonStringLiteralSayingWhatItGot() {
        CoercingParseLiteralException e = assertThrows(CoercingParseLiteralException.class,
                () -> COERCING.parseLiteral(new IntValue(BigInteger.valueOf(1729533600)),
                        CoercedVariables.emptyVariables(), CONTEXT, Locale.ROOT));

        assertTrue(e.getMessage().startsWith("Invalid DateTime 1729533600: expected an ISO-8601"), e.getMessage());
    }

    @Test
    void cutsAVeryLongMalformedValueShortInItsMessage() {
        String input = "x".repeat(10_000);

        CoercingParseValueException e = assertThrows(CoercingParseValueException.class,
                () -> COERCING.parseValue(input, CONTEXT, Locale.ROOT));

        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void turnsAnInstantIntoAStringLiteral() {
        assertEquals("2025-10-21T18:00:00Z", ((StringValue) COERCING.valueToLiteral(
                Instant.parse("2025-10-21T18:00:00Z"), CONTEXT, Locale.ROOT)).getValue());
    }

    private static String serialize(Object value) {
        return COERCING.serialize(value, CONTEXT, Locale.ROOT);
    }
}
