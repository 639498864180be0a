/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch idea: logarithmic buckets), written
 * here so the core keeps depending on the JDK alone.
 */
package io.dagscope.core.sketch;
