/** The {@code dagscope} subcommands and their argument parsing. */
package io.dagscope.server.cli;
