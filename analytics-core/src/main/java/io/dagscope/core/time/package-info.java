/**
 * Instants as epoch microseconds: a fast parser for the orchestrator's ISO-8601 timestamps, ISO output, and the
 * whole-minute windows every windowed figure is defined over.
 */
package io.dagscope.core.time;
