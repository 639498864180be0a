/**
 * The process's one log: the SLF4J binding of the composition root. dagscope's own code, the libraries (Javalin,
 * Jetty, the AWS SDK), plugins, {@code java.util.logging} and the JDK's {@code System.Logger} (both bridged into
 * SLF4J) all write through {@link io.dagscope.server.logging.LogOutput}: one line format, one level
 * ({@link io.dagscope.server.logging.LogLevel}, {@code serve --log-level}), and every secret masked in every line,
 * stack traces included. {@link io.dagscope.server.logging.DagscopeLogProvider} is the provider SLF4J finds with
 * {@code ServiceLoader}; nothing else in the server names this package's classes but the command line.
 */
package io.dagscope.server.logging;
