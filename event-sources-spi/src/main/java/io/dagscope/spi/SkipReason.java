package io.dagscope.spi;

/** Why a line is not an event (EVENTS.md, "Lines that are not events"). */
public enum SkipReason {
    /** Not JSON. */
    NOT_JSON("not_json"),
    /** JSON, but not an object. */
    NOT_OBJECT("not_object"),
    /** Not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** Longer than the line limit. */
    TOO_LONG("too_long"),
    /** No {@code timestamp}. */
    MISSING_TIMESTAMP("missing_timestamp"),
    /** A {@code timestamp} that does not parse. */
    BAD_TIMESTAMP("bad_timestamp"),
    /** A {@code timestamp} (or a {@code schedule_enqueued}'s {@code minute}) before 2000: see {@link TimestampLimits}. */
    EARLY_TIMESTAMP("early_timestamp"),
    /**
     * A {@code timestamp} (or a {@code schedule_enqueued}'s {@code minute}) further ahead of now than the clock skew
     * allows: see {@link TimestampLimits}.
     */
    FUTURE_TIMESTAMP("future_timestamp"),
    /** No {@code event}. */
    MISSING_EVENT("missing_event"),
    /** A known event without the field that places it ({@code dag_name}, {@code task_id}, {@code schedule_id}). */
    MISSING_FIELD("missing_field"),
    /**
     * A known event with a number outside the range its field allows ({@link io.dagscope.core.event.EventBounds}):
     * a count or attempt, or a duration.
     */
    OUT_OF_RANGE("out_of_range");

    private final String key;

    SkipReason(String key) {
        this.key = key;
    }

    /** @return the reason's name in statuses and metrics */
    public String key() {
        return key;
    }
}
