package io.dagscope.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.ResultPath;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception thrown while resolving a field into a GraphQL error: a bad argument says what is wrong and which
 * argument; a field the caller's scope does not allow says what the caller would need; anything else is an internal error whose message says nothing of the internals, only an incident id that
 * the server's log records together with the exception (never the query or its variables).
 */
final class ApiErrorHandler implements DataFetcherExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GraphQlApi.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
            DataFetcherExceptionHandlerParameters parameters) {
        Throwable exception = unwrap(parameters.getException());
        GraphQLError error;
        if (exception instanceof InvalidArgumentException invalid) {
            error = badArgument(invalid, parameters);
        } else if (exception instanceof ForbiddenException forbidden) {
            error = forbidden(forbidden, parameters);
        } else {
            error = internal(exception, parameters);
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
    }

    private static GraphQLError badArgument(InvalidArgumentException invalid,
            DataFetcherExceptionHandlerParameters parameters) {
        return GraphqlErrorBuilder.newError()
                .message("%s", invalid.getMessage())
                .path(parameters.getPath())
                .location(parameters.getSourceLocation())
                .errorType(ErrorCode.BAD_USER_INPUT)
                .extensions(Map.of("argument", invalid.argument()))
                .build();
    }

    private static GraphQLError forbidden(ForbiddenException forbidden,
            DataFetcherExceptionHandlerParameters parameters) {
        return GraphqlErrorBuilder.newError()
                .message("%s", forbidden.getMessage())
                .path(parameters.getPath())
                .location(parameters.getSourceLocation())
                .errorType(ErrorCode.FORBIDDEN)
                .build();
    }

    private static GraphQLError internal(Throwable exception, DataFetcherExceptionHandlerParameters parameters) {
        ResultPath path = parameters.getPath();
        String incident = UUID.randomUUID().toString();
        LOG.error("Resolving {} failed (incident {})", path, incident, exception);
        return GraphqlErrorBuilder.newError()
                .message("%s", internalMessage(path.toString(), incident))
                .path(path)
                .location(parameters.getSourceLocation())
                .errorType(ErrorCode.INTERNAL_ERROR)
                .extensions(Map.of("incident", incident))
                .build();
    }

    /**
     * The message of an internal error.
     *
     * @param where what was being done, e.g. a field's path
     * @param incident the id under which the log records the details
     * @return a message that reveals no internals
     */
    static String internalMessage(String where, String incident) {
        return "Internal error while resolving " + where + "; the server's log has the details under incident "
                + incident;
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable e = exception;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
