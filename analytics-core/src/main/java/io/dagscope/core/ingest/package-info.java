/**
 * Drives event sources into the engine: reads each once, or follows them, and reports their status.
 */
package io.dagscope.core.ingest;
