/**
 * The plugin SPI for event sources. A plugin ships an {@link io.dagscope.spi.EventSourceFactory} registered in
 * {@code META-INF/services/io.dagscope.spi.EventSourceFactory}; the host finds it with
 * {@link java.util.ServiceLoader}, picks it by the scheme of a location ({@code scheme://target?key=value}), and
 * asks it for an {@link io.dagscope.core.port.out.EventSource}. This module depends on the core alone.
 */
package io.dagscope.spi;
