/**
 * Read models: the immutable answers the use cases return, shaped after METRICS.md. Absent values are
 * {@link java.util.Optional} (or its primitive variants), never null.
 */
package io.dagscope.core.model;
