/**
 * Source plugins: {@link io.dagscope.server.plugins.PluginLoader} loads each jar or sub-folder of a plugin folder
 * with its own class loader (parent-first only for the JDK, the SPI and the core) and registers the
 * {@link io.dagscope.spi.EventSourceFactory} implementations it finds into the host's
 * {@link io.dagscope.spi.SourceFactories}. How to write one: {@code docs/plugins.md}.
 */
package io.dagscope.server.plugins;
