/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch idea: logarithmic buckets), written
 * here so the core keeps depending on the JDK alone.
 *
 * <p>{@link io.dagscope.core.sketch.QuantileSketch} is the whole public surface. Behind it: the mapping from values
 * to bucket keys (a cubic approximation of the logarithm, read off the bits of the double), a sparse form for
 * sketches of few buckets (packed longs in one sorted array), and a dense form for the others (arrays of counts).
 */
package io.dagscope.core.sketch;
