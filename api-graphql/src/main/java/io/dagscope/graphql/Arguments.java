package io.dagscope.graphql;

import io.dagscope.core.model.RunStatus;
import io.dagscope.core.port.in.DagRunQuery;
import io.dagscope.core.port.in.WindowRequest;
import io.dagscope.core.time.TimeWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Turns field arguments, as graphql-java has coerced them (input objects as maps, {@code DateTime} as {@link Instant},
 * {@code RunStatus} as {@link RunStatus}, {@code Float} as {@link Double}), into the core's requests, checking what
 * the schema's types cannot express. A wrong value is an {@link InvalidArgumentException} naming the argument.
 */
final class Arguments {

    /** The page size when {@code first} is given as null (the schema's default covers it being left out). */
    static final int DEFAULT_PAGE_SIZE = 20;

    private final Map<String, Object> arguments;

    /**
     * @param arguments a field's coerced arguments
     */
    Arguments(Map<String, Object> arguments) {
        this.arguments = arguments;
    }

    /**
     * The {@code window} argument.
     *
     * @return the requested window; the default window when the argument is absent
     * @throws InvalidArgumentException if {@code hours} is not positive or is longer than {@link TimeWindow#MAX_HOURS}
     */
    WindowRequest window() {
        Map<String, Object> window = inputObject("window");
        if (window == null) {
            return WindowRequest.DEFAULT;
        }
        OptionalDouble hours = OptionalDouble.empty();
        if (window.get("hours") instanceof Number number) {
            double h = number.doubleValue();
            if (!(h > 0) || h > TimeWindow.MAX_HOURS) {
                throw new InvalidArgumentException("window.hours", "window.hours must be a positive number of hours, "
                        + "at most " + Messages.number(TimeWindow.MAX_HOURS) + " (100 years); got "
                        + Messages.number(h));
            }
            hours = OptionalDouble.of(h);
        }
        return new WindowRequest(hours, instant(window, "end"));
    }

    /**
     * The {@code first} argument of a page.
     *
     * @return how many runs to list
     * @throws InvalidArgumentException unless it is 0 to {@link DagRunQuery#MAX_PAGE_SIZE}
     */
    int first() {
        Object value = arguments.get("first");
        if (value == null) {
            return DEFAULT_PAGE_SIZE;
        }
        int first = ((Number) value).intValue();
        if (first < 0 || first > DagRunQuery.MAX_PAGE_SIZE) {
            throw new InvalidArgumentException("first",
                    "first must be between 0 and " + DagRunQuery.MAX_PAGE_SIZE + ", got " + first);
        }
        return first;
    }

    /**
     * The {@code bucketMinutes} argument of {@code taskSeries}.
     *
     * @return the bucket length, if given
     * @throws InvalidArgumentException if it is below 1
     */
    java.util.OptionalInt bucketMinutes() {
        Object value = arguments.get("bucketMinutes");
        if (value == null) {
            return java.util.OptionalInt.empty();
        }
        int minutes = ((Number) value).intValue();
        if (minutes < 1) {
            throw new InvalidArgumentException("bucketMinutes", "bucketMinutes must be at least 1, got " + minutes);
        }
        return java.util.OptionalInt.of(minutes);
    }

    /**
     * The {@code first} argument of {@code failures}.
     *
     * @return how many groups, 20 when null
     * @throws InvalidArgumentException if it is outside 1 to 1000
     */
    int groups() {
        Object value = arguments.get("first");
        if (value == null) {
            return DEFAULT_PAGE_SIZE;
        }
        int first = ((Number) value).intValue();
        if (first < 1 || first > 1000) {
            throw new InvalidArgumentException("first", "first must be between 1 and 1000, got " + first);
        }
        return first;
    }

    /**
     * The {@code staleAfterHours} argument of {@code runCounts}.
     *
     * @return the stale time, 6 hours when null
     * @throws InvalidArgumentException if it is not a positive number of hours
     */
    java.time.Duration staleAfter() {
        Object value = arguments.get("staleAfterHours");
        if (value == null) {
            return io.dagscope.core.port.in.RunCountsQuery.DEFAULT_STALE_AFTER;
        }
        double hours = ((Number) value).doubleValue();
        if (!(hours > 0) || hours > TimeWindow.MAX_HOURS) {
            throw new InvalidArgumentException("staleAfterHours", "staleAfterHours must be a positive number of "
                    + "hours, at most " + Messages.number(TimeWindow.MAX_HOURS) + "; got " + Messages.number(hours));
        }
        return java.time.Duration.ofMillis(Math.round(hours * 3_600_000));
    }

    /**
     * The {@code filter} argument of {@code dagRuns}.
     *
     * @return the filter; every run when the argument is absent
     */
    DagRunQuery.Filter filter() {
        Map<String, Object> filter = inputObject("filter");
        if (filter == null) {
            return DagRunQuery.Filter.ALL;
        }
        List<RunStatus> statuses = list(filter, "statuses");
        return new DagRunQuery.Filter(string(filter, "tenant"), string(filter, "dagName"),
                statuses == null ? Set.of() : Set.copyOf(statuses), instant(filter, "startedAfter"),
                instant(filter, "startedBefore"));
    }

    /**
     * An optional string argument.
     *
     * @param name the argument
     * @return its value, empty when absent or null
     */
    Optional<String> string(String name) {
        return string(arguments, name);
    }

    /**
     * A required string (or ID) argument.
     *
     * @param name the argument
     * @return its value
     */
    String requiredString(String name) {
        return string(name).orElseThrow(() -> new InvalidArgumentException(name, name + " is required"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> inputObject(String name) {
        return (Map<String, Object>) arguments.get(name);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> object, String name) {
        return (List<T>) object.get(name);
    }

    private static Optional<String> string(Map<String, Object> object, String name) {
        Object value = object.get(name);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    private static Optional<Instant> instant(Map<String, Object> object, String name) {
        return Optional.ofNullable((Instant) object.get(name));
    }
}
