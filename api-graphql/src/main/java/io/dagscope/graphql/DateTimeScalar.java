package io.dagscope.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import io.dagscope.core.time.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code DateTime} scalar: an {@link Instant}, written as ISO-8601 UTC with {@code Z} ({@link Instant#toString()})
 * and read from ISO-8601 with any offset or {@code Z}; a date-time without an offset is read as UTC, as the engine
 * reads the orchestrator's own timestamps (the same parser, {@link Timestamps}, so a timestamp copied from a log line
 * means what it meant there). Input is kept to the microsecond, the engine's resolution.
 */
final class DateTimeScalar {

    /** What an input must look like, for error messages. */
    static final String EXPECTED = "an ISO-8601 date-time with a UTC offset or Z, such as 2025-10-21T18:00:00Z or "
            + "2025-10-21T18:00:00+02:00 (without an offset it is read as UTC)";

    static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
            .name("DateTime")
            .description("ISO-8601 instant; output always UTC with Z; input accepts any offset.")
            .coercing(new DateTimeCoercing())
            .build();

    private DateTimeScalar() {
    }

    /**
     * Parses a DateTime input.
     *
     * @param text the text the client sent
     * @return the instant, or empty if the text is not a date-time the engine can represent
     */
    static Optional<Instant> parse(String text) {
        long micros;
        try {
            micros = Timestamps.parseMicros(text);
        } catch (RuntimeException e) {
            // a date-time far outside the engine's microsecond range overflows: that is a bad input too
            micros = Timestamps.INVALID;
        }
        return micros == Timestamps.INVALID ? Optional.empty() : Optional.of(Timestamps.toInstant(micros));
    }

    static String invalid(Object value) {
        return "Invalid DateTime " + Messages.quote(value) + ": expected " + EXPECTED;
    }

    private static final class DateTimeCoercing implements Coercing<Instant, String> {

        @Override
        public String serialize(Object output, GraphQLContext context, Locale locale) {
            if (output instanceof Instant instant) {
                return instant.toString();
            }
            if (output instanceof OffsetDateTime odt) {
                return odt.toInstant().toString();
            }
            if (output instanceof ZonedDateTime zdt) {
                return zdt.toInstant().toString();
            }
            throw new CoercingSerializeException("DateTime cannot be written from a "
                    + (output == null ? "null" : output.getClass().getSimpleName()));
        }

        @Override
        public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
            if (input instanceof Instant instant) {
                return instant;
            }
            if (input instanceof String text) {
                return parse(text).orElseThrow(() -> new CoercingParseValueException(invalid(text)));
            }
            throw new CoercingParseValueException(invalid(input));
        }

        @Override
        public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                Locale locale) {
            if (input instanceof StringValue string) {
                String text = string.getValue();
                return parse(text).orElseThrow(() -> new CoercingParseLiteralException(invalid(text)));
            }
            throw new CoercingParseLiteralException(invalid(Messages.literal(input)));
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.of(serialize(input, context, locale));
        }
    }
}
