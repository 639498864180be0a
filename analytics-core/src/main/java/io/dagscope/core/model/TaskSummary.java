package io.dagscope.core.model;

import java.time.Instant;

/**
 * Task KPIs for all time and for a window.
 *
 * @param windowStart the window's inclusive start
 * @param windowEnd the window's exclusive end
 * @param allTime every task event read
 * @param window the task events whose own timestamp is in the window
 */
public record TaskSummary(Instant windowStart, Instant windowEnd, TaskStats allTime, TaskStats window) {
}
