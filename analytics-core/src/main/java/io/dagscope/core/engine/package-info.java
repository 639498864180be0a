/**
 * The engine: runs, run inference, partial aggregates and the queries over them. {@link
 * io.dagscope.core.engine.AnalyticsEngine} is the entry point; everything else here is package-private.
 */
package io.dagscope.core.engine;
