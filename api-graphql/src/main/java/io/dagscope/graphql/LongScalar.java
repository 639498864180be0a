package io.dagscope.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code Long} scalar: a signed 64-bit integer. graphql-java 26 has no such scalar of its own, and its {@code Int}
 * is 32-bit, which counts outgrow.
 *
 * <p>Output is a JSON number. Input is an integer literal, or in variables an integer number or a string of digits
 * (so a JavaScript client can send values past 2^53 exactly); a number with a fraction, a float that could not carry
 * the value exactly, or a value outside the 64-bit range is an error that says so.
 */
final class LongScalar {

    static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
            .name("Long")
            .description("Signed 64-bit integer (counts can pass 2^31).")
            .coercing(new LongCoercing())
            .build();

    private static final Pattern DIGITS = Pattern.compile("[+-]?[0-9]+");

    /** Integers up to this magnitude are exact in a double; past it, a float may already have rounded the value. */
    private static final double MAX_EXACT_DOUBLE = 9_007_199_254_740_992.0; // 2^53

    private static final String RANGE = "a Long is a signed 64-bit integer, from " + Long.MIN_VALUE + " to "
            + Long.MAX_VALUE;

    private static final String EXPECTED = "expected a Long: a signed 64-bit integer, as an integer number or a "
            + "string of digits";

    private LongScalar() {
    }

    /**
     * Converts a value to a long, or says why it cannot be one.
     *
     * @param value a number or a string
     * @param error makes the exception to throw from a message
     * @return the value
     */
    static long toLong(Object value, Function<String, RuntimeException> error) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicLong || value instanceof AtomicInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return fromBigInteger(big, error);
        }
        if (value instanceof BigDecimal decimal) {
            return fromBigDecimal(decimal, error);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                throw error.apply("Invalid Long " + Messages.quote(value) + ": not an integer; " + EXPECTED);
            }
            if (Math.abs(d) > MAX_EXACT_DOUBLE) {
                throw error.apply("Invalid Long " + Messages.quote(value) + ": a float this large may have lost "
                        + "precision; send it as an integer number or a string of digits");
            }
            return (long) d;
        }
        if (value instanceof String text) {
            if (!DIGITS.matcher(text).matches()) {
                throw error.apply("Invalid Long " + Messages.quote(text) + ": " + EXPECTED);
            }
            return fromBigInteger(new BigInteger(text), error);
        }
        throw error.apply("Invalid Long " + Messages.quote(value) + ": " + EXPECTED);
    }

    private static long fromBigInteger(BigInteger big, Function<String, RuntimeException> error) {
        if (big.bitLength() > 63) {
            throw error.apply("Invalid Long " + Messages.quote(big) + ": out of range; " + RANGE);
        }
        return big.longValue();
    }

    private static long fromBigDecimal(BigDecimal decimal, Function<String, RuntimeException> error) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw error.apply("Invalid Long " + Messages.quote(decimal.toPlainString()) + ": not an integer; "
                    + EXPECTED);
        }
        return fromBigInteger(stripped.toBigIntegerExact(), error);
    }

    private static final class LongCoercing implements Coercing<Long, Long> {

        @Override
        public Long serialize(Object output, GraphQLContext context, Locale locale) {
            return toLong(output, CoercingSerializeException::new);
        }

        @Override
        public Long parseValue(Object input, GraphQLContext context, Locale locale) {
            return toLong(input, CoercingParseValueException::new);
        }

        @Override
        public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                Locale locale) {
            if (input instanceof IntValue integer) {
                return fromBigInteger(integer.getValue(), CoercingParseLiteralException::new);
            }
            if (input instanceof StringValue string) {
                return toLong(string.getValue(), CoercingParseLiteralException::new);
            }
            throw new CoercingParseLiteralException(
                    "Invalid Long " + Messages.quote(Messages.literal(input)) + ": " + EXPECTED);
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return new IntValue(BigInteger.valueOf(toLong(input, CoercingSerializeException::new)));
        }
    }
}
