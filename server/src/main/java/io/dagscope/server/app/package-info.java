/**
 * The composition root: {@link io.dagscope.server.app.Dagscope} builds the engine, the sources, the schedule
 * definitions and the GraphQL API from settings, and owns their lifecycle. Commands and the HTTP server use it.
 */
package io.dagscope.server.app;
