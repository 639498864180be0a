/**
 * Inbound ports: the questions the core answers. Adapters (the GraphQL API, the CLI, embedding tools) call these;
 * the engine implements them. Requests are records that validate in their constructor.
 */
package io.dagscope.core.port.in;
