/**
 * Outbound ports: what the core needs from the world. Event sources deliver events; schedule definitions and a cron
 * evaluator describe when schedules should have run. Plugins implement them; the core never names an
 * implementation.
 */
package io.dagscope.core.port.out;
