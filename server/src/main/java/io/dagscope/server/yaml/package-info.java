/**
 * What the YAML readers share: {@link io.dagscope.server.yaml.YamlErrors} turns a parser's error into a line and a
 * message a user can act on. Both the config file's reader and the token file's use it, so it belongs to neither.
 */
package io.dagscope.server.yaml;
