package io.dagscope.core.event;

/** An event written by the cron scheduler's state store. */
public sealed interface StateEvent extends Event permits ScheduleEnqueued, RunStarted, RunFinished, CheckpointExpired {
}
