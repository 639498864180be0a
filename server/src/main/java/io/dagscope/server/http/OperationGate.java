package io.dagscope.server.http;

import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;

/**
 * Lets only queries run (subscriptions are served by re-running their selection as a query, and the schema has no
 * mutations), and records which operation ran, for metrics. It runs first, before the depth and complexity limits.
 */
final class OperationGate extends SimplePerformantInstrumentation {

    /** GraphQL context key: the name of the operation that ran ({@code anonymous} for an unnamed one). */
    static final String OPERATION = "dagscope.operation";
    /** GraphQL context key, set to true when an operation was refused for not being a query. */
    static final String REFUSED = "dagscope.refused";

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        OperationDefinition operation = parameters.getExecutionContext().getOperationDefinition();
        GraphQLContext context = parameters.getExecutionContext().getGraphQLContext();
        context.put(OPERATION, operation.getName() == null ? "anonymous" : operation.getName());
        if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
            context.put(REFUSED, true);
            throw new AbortExecutionException("Only queries run over HTTP; this is a "
                    + operation.getOperation().name().toLowerCase(java.util.Locale.ROOT) + ". Subscriptions are "
                    + "served over WebSocket on /graphql with the graphql-transport-ws protocol.");
        }
        return super.beginExecuteOperation(parameters, state);
    }

    /**
     * @param operation an operation
     * @return whether it selects only introspection fields ({@code __schema}, {@code __type}, {@code __typename}),
     *     which the schema bounds: explorers' introspection queries are deep but cheap
     */
    static boolean introspectionOnly(OperationDefinition operation) {
        return !operation.getSelectionSet().getSelections().isEmpty()
                && operation.getSelectionSet().getSelections().stream()
                        .allMatch(s -> s instanceof graphql.language.Field f && f.getName().startsWith("__"));
    }
}
