/** Settings from flags, the orchestrator's environment variables and the config file. */
package io.dagscope.server.config;
