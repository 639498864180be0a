/** The runnable: {@link io.dagscope.server.Main} dispatches the {@code dagscope} command line. */
package io.dagscope.server;
