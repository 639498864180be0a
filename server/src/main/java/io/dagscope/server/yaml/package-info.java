/**
 * What every YAML file the server reads shares: a parser's error told for a user, by line, quoting nothing of the
 * file ({@link io.dagscope.server.yaml.YamlErrors}). Used by the config file ({@code server.config}) and the token
 * file ({@code server.http}), so that neither of those packages depends on the other for it.
 */
package io.dagscope.server.yaml;
