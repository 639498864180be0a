package io.dagscope.server.http;

import graphql.ExecutionResult;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;

/** Refuses queries nested deeper than {@code --max-query-depth}, with a message that says how to change it. */
final class DepthLimit extends MaxQueryDepthInstrumentation {

    /**
     * @param maxDepth the deepest nesting allowed
     */
    DepthLimit(int maxDepth) {
        super(maxDepth);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        if (OperationGate.introspectionOnly(parameters.getExecutionContext().getOperationDefinition())) {
            return SimpleInstrumentationContext.noOp();
        }
        return super.beginExecuteOperation(parameters, state);
    }

    @Override
    protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
        return new AbortExecutionException("The query is " + depth + " levels deep; this server allows at most "
                + maxDepth + " (dagscope serve --max-query-depth)");
    }
}
