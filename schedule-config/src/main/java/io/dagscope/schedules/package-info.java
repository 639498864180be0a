/**
 * Schedule definitions and cron, behind the core's outbound ports.
 *
 * <ul>
 * <li>{@link io.dagscope.schedules.CronParsers}: the {@link io.dagscope.core.port.out.CronParser} implementation,
 * 5-field Unix cron in UTC with Vixie semantics, and a {@link io.dagscope.schedules.WeekdayNumbering} option to read
 * the day-of-week field the way the orchestrator's scheduler does.</li>
 * <li>{@link io.dagscope.schedules.ScheduleDefinitionsReader}: reads the orchestrator's schedule YAML files into
 * {@link io.dagscope.core.port.out.ScheduleDefinition}s, collecting problems instead of stopping at the first.</li>
 * <li>{@link io.dagscope.schedules.CronDescriptions}: a cron expression in a few English words, for the
 * dashboard.</li>
 * </ul>
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are {@link java.util.Optional}. All
 * public types are immutable or stateless, and safe to share between threads.
 */
package io.dagscope.schedules;
