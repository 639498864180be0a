/**
 * The HTTP server of {@code dagscope serve} (Javalin on Jetty): the dashboard ({@code /}, its assets from the
 * {@code web-ui} module, ECharts' bundle among them, under {@code /assets/<version>/}), GraphQL over HTTP
 * ({@code POST} and {@code GET /graphql}) and over WebSocket ({@code graphql-transport-ws} on the same path), the
 * GraphiQL explorer from local WebJars ({@code /graphiql}), {@code /health}, {@code /health/ready} and Prometheus
 * {@code /metrics}.
 *
 * <p>{@link io.dagscope.server.http.HttpServer} is built from a {@link io.dagscope.server.http.Backend} (the API and
 * the engine's figures), {@link io.dagscope.server.http.ServerOptions} (address and limits), an
 * {@link io.dagscope.server.http.Authenticator} (bearer tokens stored as SHA-256 hashes, each mapped to a
 * {@link io.dagscope.core.port.in.TenantScope}) and a {@link io.dagscope.server.http.Redactor}; it logs through SLF4J
 * (bound by {@code io.dagscope.server.logging}). Everything else is package-private: the routes, the execution service
 * (document and result caches, depth, complexity and parser limits, timeouts with cancellation), the subscription hub
 * and metrics.
 */
package io.dagscope.server.http;
