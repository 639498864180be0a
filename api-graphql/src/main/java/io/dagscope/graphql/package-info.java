/**
 * The GraphQL adapter: one SDL schema ({@code schema.graphqls}, the single source of the API's shape) wired with
 * graphql-java to the core's inbound ports ({@link io.dagscope.core.port.in}).
 *
 * <p>{@code Subscription} mirrors {@code Query}; executed in-process, a subscription yields the current answer once,
 * and a server re-runs it when the data changes.
 *
 * <p>{@link io.dagscope.graphql.GraphQlApi} is the only public type: it builds the executable schema, runs requests
 * with a caller's {@link io.dagscope.core.port.in.TenantScope}, and hands the {@link graphql.GraphQL} to a server that
 * adds caching, instrumentation and limits. Everything else (the {@code DateTime} and {@code Long} scalars, the
 * wiring of each type to the core's read models, argument checks, error mapping) is package-private.
 *
 * <p>Errors are GraphQL errors that say what is wrong: a bad argument names the argument
 * ({@code extensions.argument}); a field the caller's scope does not allow ({@code sources} for a caller limited to
 * some tenants) is {@code FORBIDDEN} and says an admin token is needed; an internal failure says only that it happened and gives an incident id under
 * which the server's log has the details.
 */
package io.dagscope.graphql;
