/**
 * Settings: the flags every log-reading command shares ({@link io.dagscope.server.config.CommonOptions}), the
 * orchestrator's environment variables and the YAML config file, resolved into one
 * {@link io.dagscope.server.config.Settings} (flags, then environment, then file, then defaults); and the
 * command-line parser they share ({@link io.dagscope.server.config.Args}, {@link io.dagscope.server.config.Flag},
 * {@link io.dagscope.server.config.UsageException}). The file's format is documented in
 * {@code docs/configuration.md}; its reader is package-private and reports every error with the file, line and key
 * path.
 */
package io.dagscope.server.config;
