package io.dagscope.server.http;

import graphql.execution.DataFetcherResult;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops an execution whose answer is growing past {@code --max-response-bytes}: as fields are fetched it adds up a
 * lower bound of their JSON size (each key, and each scalar value as written), and once that passes the limit it sets
 * {@link #EXCEEDED} in the GraphQL context and cancels the execution, which stops before its next field. The service
 * then answers with an error, and checks the serialized answer's exact size as well.
 */
final class ResponseLimit extends SimplePerformantInstrumentation {

    /** GraphQL context key, set to true when an execution was stopped for its answer's size. */
    static final String EXCEEDED = "dagscope.responseTooLarge";

    private final long maxBytes;

    /** One execution's running total. */
    private static final class Size implements InstrumentationState {
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicBoolean stopped = new AtomicBoolean();
    }

    /**
     * @param maxBytes the largest answer sent
     */
    ResponseLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new Size();
    }

    @Override
    public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        if (!(state instanceof Size size)) {
            return FieldFetchingInstrumentationContext.NOOP;
        }
        String key = parameters.getEnvironment().getField().getResultKey();
        add(size, parameters, key.length() + 4L); // "key": and a comma
        return new FieldFetchingInstrumentationContext() {
            @Override
            public void onDispatched() {
                // nothing to do until the value is there
            }

            @Override
            public void onCompleted(Object value, Throwable t) {
                add(size, parameters, jsonBytesAtLeast(value));
            }
        };
    }

    private void add(Size size, InstrumentationFieldFetchParameters parameters, long bytes) {
        if (size.bytes.addAndGet(bytes) > maxBytes && size.stopped.compareAndSet(false, true)) {
            parameters.getExecutionContext().getGraphQLContext().put(EXCEEDED, true);
            parameters.getExecutionContext().getExecutionInput().cancel();
        }
    }

    /** A lower bound of a fetched value's JSON size, counting only what is sure to be written. */
    static long jsonBytesAtLeast(Object value) {
        if (value instanceof DataFetcherResult<?> result) {
            return jsonBytesAtLeast(result.getData());
        }
        if (value == null) {
            return 4;
        }
        if (value instanceof CharSequence text) {
            return text.length() + 2L;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString().length();
        }
        if (value instanceof Enum<?> e) {
            return e.name().length() + 2L;
        }
        if (value instanceof TemporalAccessor) {
            return 22; // "2025-10-22T14:00:00Z"
        }
        if (value instanceof Collection<?> items) {
            long bytes = 2 + Math.max(0, items.size() - 1);
            for (Object item : items) {
                if (item instanceof CharSequence || item instanceof Number || item instanceof Enum<?>) {
                    bytes += jsonBytesAtLeast(item);
                }
            }
            return bytes;
        }
        return 2;
    }
}
