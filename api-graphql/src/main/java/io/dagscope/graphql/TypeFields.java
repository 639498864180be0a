package io.dagscope.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import graphql.schema.idl.TypeRuntimeWiring;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wires the fields of one object type to getters of the Java value behind it, as method references: a renamed
 * record component is a compile error here rather than a null at run time, and no field is left to reflection.
 *
 * @param <S> the Java type behind the GraphQL type
 */
final class TypeFields<S> {

    private final Class<S> sourceType;
    private final TypeRuntimeWiring.Builder wiring;

    private TypeFields(String typeName, Class<S> sourceType) {
        this.sourceType = sourceType;
        this.wiring = TypeRuntimeWiring.newTypeWiring(typeName);
    }

    /**
     * Starts wiring a type.
     *
     * @param typeName the GraphQL type
     * @param sourceType the Java type its values are
     * @param <S> the Java type
     * @return the wiring, to add fields to
     */
    static <S> TypeFields<S> of(String typeName, Class<S> sourceType) {
        return new TypeFields<>(typeName, sourceType);
    }

    /**
     * Wires a field to a getter; an empty {@code Optional} (or primitive optional) it returns becomes null. A number
     * that is not finite (which the engine never answers) fails that field alone: it is null with an internal error
     * at its path, logged, and the rest of the answer stays whole.
     *
     * @param field the GraphQL field
     * @param getter reads the value from the source object
     * @return this
     */
    TypeFields<S> field(String field, Function<? super S, ?> getter) {
        wiring.dataFetcher(field, new Getter<>(sourceType, getter));
        return this;
    }

    /** @return the type's wiring */
    TypeRuntimeWiring build() {
        return wiring.build();
    }

    /**
     * Unwraps an optional value to its value or null.
     *
     * @param value any value
     * @return the optional's content or null; any other value as it is
     */
    static Object unbox(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.orElse(null);
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? optional.getAsInt() : null;
        }
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? optional.getAsLong() : null;
        }
        if (value instanceof OptionalDouble optional) {
            return optional.isPresent() ? optional.getAsDouble() : null;
        }
        return value;
    }

    /** A getter as a data fetcher that needs no {@link DataFetchingEnvironment}, so none is built for it. */
    private record Getter<S>(Class<S> sourceType, Function<? super S, ?> getter) implements LightDataFetcher<Object> {

        @Override
        public Object get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> env) {
            Object value = unbox(getter.apply(sourceType.cast(source)));
            if (value instanceof Double d && !Double.isFinite(d)) {
                throw new IllegalStateException(field.getName() + " is " + d + ", not a finite number");
            }
            return value;
        }

        @Override
        public Object get(DataFetchingEnvironment env) {
            return get(env.getFieldDefinition(), env.getSource(), () -> env);
        }
    }
}
