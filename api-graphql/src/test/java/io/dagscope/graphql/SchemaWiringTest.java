package io.dagscope.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.execution.DefaultValueUnboxer;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import io.dagscope.core.model.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The executable schema: every field bound to Java on purpose, the enum and scalars ours. */
class SchemaWiringTest {

    private final GraphQLSchema schema = GraphQlApi.of(new FakeEngine()).schema();

    @Test
    void everyFieldOfEveryTypeHasAnExplicitDataFetcherSoNoneFallsBackToReflection() {
        List<String> unwired = new ArrayList<>();
        int fields = 0;
        for (GraphQLObjectType type : schema.getAllTypesAsList().stream()
                .filter(GraphQLObjectType.class::isInstance).map(GraphQLObjectType.class::cast)
                .filter(t -> !t.getName().startsWith("__")).toList()) {
            for (GraphQLFieldDefinition field : type.getFieldDefinitions()) {
                fields++;
                if (!schema.getCodeRegistry().hasDataFetcher(FieldCoordinates.coordinates(type, field))) {
                    unwired.add(type.getName() + "." + field.getName());
                }
            }
        }

        assertEquals(List.of(), unwired);
        assertTrue(fields > 90, "looked at only " + fields + " fields");
    }

    @Test
    void subscriptionMirrorsEveryQueryFieldWithTheSameArgumentsTypesAndDefaults() {
        GraphQLObjectType query = schema.getQueryType();
        GraphQLObjectType subscription = schema.getSubscriptionType();

        assertEquals(names(query), names(subscription));
        for (GraphQLFieldDefinition field : query.getFieldDefinitions()) {
            GraphQLFieldDefinition mirror = subscription.getFieldDefinition(field.getName());
            assertEquals(GraphQLTypeUtil.simplePrint(field.getType()), GraphQLTypeUtil.simplePrint(mirror.getType()),
                    field.getName());
            assertEquals(field.getArguments().stream().map(a -> a.getName() + ": "
                    + GraphQLTypeUtil.simplePrint(a.getType()) + " = " + a.getArgumentDefaultValue().getValue())
                    .toList(), mirror.getArguments().stream().map(a -> a.getName() + ": "
                    + GraphQLTypeUtil.simplePrint(a.getType()) + " = " + a.getArgumentDefaultValue().getValue())
                    .toList(), field.getName());
            assertTrue(mirror.getDescription().startsWith("Re-sent whenever the data it covers changes, at most about "
                    + "once a second."), mirror.getName());
        }
    }

    private static List<String> names(GraphQLObjectType type) {
        return type.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).sorted().toList();
    }

    @Test
    void theRunStatusEnumHasExactlyTheCoresValuesAndCarriesTheJavaEnum() {
        GraphQLEnumType type = (GraphQLEnumType) schema.getType("RunStatus");

        assertEquals(Arrays.stream(RunStatus.values()).map(Enum::name).toList(),
                type.getValues().stream().map(GraphQLEnumValueDefinition::getName).toList());
        assertEquals(List.of(RunStatus.values()),
                type.getValues().stream().map(GraphQLEnumValueDefinition::getValue).toList());
    }

    @Test
    void theDateTimeAndLongScalarsAreOurs() {
        assertSame(DateTimeScalar.INSTANCE.getCoercing(), schema.getType("DateTime") instanceof
                graphql.schema.GraphQLScalarType s ? s.getCoercing() : null);
        assertSame(LongScalar.INSTANCE.getCoercing(), schema.getType("Long") instanceof
                graphql.schema.GraphQLScalarType s ? s.getCoercing() : null);
    }

    @Test
    void optionalsBecomeTheirValueOrNullInOurGettersAsInGraphqlJavasOwnUnboxer() {
        List<Object> optionals = List.of(Optional.of("x"), Optional.empty(), OptionalInt.of(3), OptionalInt.empty(),
                OptionalLong.of(5_000_000_000L), OptionalLong.empty(), OptionalDouble.of(1.5), OptionalDouble.empty());
        List<Object> expected = Arrays.asList("x", null, 3, null, 5_000_000_000L, null, 1.5, null);

        assertEquals(expected, optionals.stream().map(TypeFields::unbox).toList());
        assertEquals(expected, optionals.stream().map(DefaultValueUnboxer::unboxValue).toList());
    }

    @Test
    void theSchemaTextIsTheResourceTheSchemaIsBuiltFrom() {
        String sdl = GraphQlApi.schemaSdl();

        assertTrue(sdl.contains("windowOf(window: WindowInput): Window!"));
        assertTrue(sdl.contains("skippedByReason: [SkipCount!]!"));
    }
}
