package io.dagscope.server.http;

import graphql.ExecutionResult;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;

/**
 * Refuses queries that select more fields than {@code --max-query-complexity} (each selected field counts one,
 * fragments counted where they are spread, aliases each on their own), with a message that says how to change it.
 */
final class ComplexityLimit extends MaxQueryComplexityInstrumentation {

    /**
     * @param maxComplexity the most fields allowed
     */
    ComplexityLimit(int maxComplexity) {
        super(maxComplexity);
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
    protected AbortExecutionException mkAbortException(int totalComplexity, int maxComplexity) {
        return new AbortExecutionException("The query selects " + totalComplexity + " fields; this server allows at "
                + "most " + maxComplexity + " (dagscope serve --max-query-complexity)");
    }
}
