package io.dagscope.generator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What to generate: the format, the seed, how many tenants and DAGs, the density in lines per minute, and the size,
 * as a number of days or of lines. Immutable; build one with {@link #builder()}. Every value is checked when it is
 * set, and an {@link IllegalArgumentException} names the option and what is allowed.
 *
 * <p>How the size, the density and the time range combine ({@link LogGenerator#create} applies this):
 * <ul>
 * <li>Give {@link Builder#days(double) days} or {@link Builder#events(long) events}, not both; neither means
 * {@value #DEFAULT_DAYS} days.</li>
 * <li>The density is {@link Builder#ratePerMinute(double) ratePerMinute} when given. Otherwise it is
 * {@value #DEFAULT_RATE_PER_MINUTE} lines a minute, raised for {@code events} so that they fit into
 * {@value #DEFAULT_DAYS} days (10 million lines: about 3,500 a minute; a few lines: the default).</li>
 * <li>With {@code days}, the logs cover {@code [start, start + days)}; without a start they end now. With
 * {@code events}, they start at {@code start} and stop after exactly that many lines; without a start, the start is
 * placed so that the lines end about now (estimated from the density).</li>
 * </ul>
 */
public final class GeneratorOptions {

    /** Tenants when none are asked for. */
    public static final int DEFAULT_TENANTS = 5;
    /** DAGs when none are asked for. */
    public static final int DEFAULT_DAGS = 8;
    /** The seed when none is given. */
    public static final long DEFAULT_SEED = 42;
    /** Days of history when neither days nor events are given. */
    public static final double DEFAULT_DAYS = 2;
    /** Lines a minute, over both logs, when no rate is given: three a second, which keeps a live demo moving. */
    public static final double DEFAULT_RATE_PER_MINUTE = 180;

    /** The most tenants. */
    public static final int MAX_TENANTS = 1000;
    /** The most DAGs. */
    public static final int MAX_DAGS = 500;
    /** The highest density, lines a minute. */
    public static final double MAX_RATE_PER_MINUTE = 100_000;
    /** The most days. */
    public static final double MAX_DAYS = 3660;

    private final LogFormat format;
    private final long seed;
    private final int tenants;
    private final int dags;
    private final OptionalDouble ratePerMinute;
    private final OptionalDouble days;
    private final OptionalLong events;
    private final Optional<Instant> start;
    private final boolean schedulerHiccups;

    private GeneratorOptions(Builder b) {
        this.format = b.format;
        this.seed = b.seed;
        this.tenants = b.tenants;
        this.dags = b.dags;
        this.ratePerMinute = b.ratePerMinute;
        this.days = b.days;
        this.events = b.events;
        this.start = b.start;
        this.schedulerHiccups = b.schedulerHiccups;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults: the new format, seed {@value #DEFAULT_SEED}, 2 days ending now */
    public static GeneratorOptions defaults() {
        return builder().build();
    }

    /** @return the format */
    public LogFormat format() {
        return format;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the number of tenants */
    public int tenants() {
        return tenants;
    }

    /** @return the number of DAG definitions */
    public int dags() {
        return dags;
    }

    /** @return the density asked for, in lines a minute over both logs, if one was */
    public OptionalDouble ratePerMinute() {
        return ratePerMinute;
    }

    /** @return the days asked for, if any */
    public OptionalDouble days() {
        return days;
    }

    /** @return the number of lines asked for, if any */
    public OptionalLong events() {
        return events;
    }

    /** @return the first instant asked for, if any */
    public Optional<Instant> start() {
        return start;
    }

    /**
     * @return whether the scheduler misses a slot now and then and stalls for minutes on most days (the default);
     *     without them no slot is ever missed, unless {@link LiveLogWriter#stopSchedule} asks for it
     */
    public boolean schedulerHiccups() {
        return schedulerHiccups;
    }

    /**
     * The density the generator aims at: the rate asked for, else the default raised so that {@code events} fit
     * into {@value #DEFAULT_DAYS} days.
     *
     * @return lines a minute over both logs
     */
    public double effectiveRatePerMinute() {
        if (ratePerMinute.isPresent()) {
            return ratePerMinute.getAsDouble();
        }
        if (events.isPresent()) {
            return Math.min(MAX_RATE_PER_MINUTE,
                    Math.max(DEFAULT_RATE_PER_MINUTE, events.getAsLong() / (DEFAULT_DAYS * 1440)));
        }
        return DEFAULT_RATE_PER_MINUTE;
    }

    @Override
    public String toString() {
        return "GeneratorOptions[format=" + format.label() + ", seed=" + seed + ", tenants=" + tenants + ", dags=" + dags
                + ", rate=" + (ratePerMinute.isPresent() ? ratePerMinute.getAsDouble() : "default")
                + ", days=" + (days.isPresent() ? days.getAsDouble() : "-")
                + ", events=" + (events.isPresent() ? events.getAsLong() : "-")
                + ", start=" + start.map(Instant::toString).orElse("-")
                + (schedulerHiccups ? "" : ", scheduler hiccups off") + "]";
    }

    /** Collects options; each setter checks its value. */
    public static final class Builder {
        private LogFormat format = LogFormat.NEW;
        private long seed = DEFAULT_SEED;
        private int tenants = DEFAULT_TENANTS;
        private int dags = DEFAULT_DAGS;
        private OptionalDouble ratePerMinute = OptionalDouble.empty();
        private OptionalDouble days = OptionalDouble.empty();
        private OptionalLong events = OptionalLong.empty();
        private Optional<Instant> start = Optional.empty();
        private boolean schedulerHiccups = true;

        private Builder() {
        }

        /**
         * @param on whether the scheduler misses slots now and then (0.2 %) and stalls for a few minutes on most
         *     days, as the real one does (default true); off, every due slot is enqueued: for tests and demos of
         *     missed-schedule alerting, where only a schedule stopped on purpose should miss
         * @return this builder
         */
        public Builder schedulerHiccups(boolean on) {
            this.schedulerHiccups = on;
            return this;
        }

        /**
         * @param format the format (default {@link LogFormat#NEW})
         * @return this builder
         */
        public Builder format(LogFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * @param seed any number; one seed and one start give byte-identical files
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param tenants 1 to {@value #MAX_TENANTS} (default {@value #DEFAULT_TENANTS})
         * @return this builder
         */
        public Builder tenants(int tenants) {
            if (tenants < 1 || tenants > MAX_TENANTS) {
                throw new IllegalArgumentException("tenants must be from 1 to " + MAX_TENANTS + "; got " + tenants);
            }
            this.tenants = tenants;
            return this;
        }

        /**
         * @param dags DAG definitions, 1 to {@value #MAX_DAGS} (default {@value #DEFAULT_DAGS}); in the new format
         *     the fourth is the checkpoint DAG
         * @return this builder
         */
        public Builder dags(int dags) {
            if (dags < 1 || dags > MAX_DAGS) {
                throw new IllegalArgumentException("dags must be from 1 to " + MAX_DAGS + "; got " + dags);
            }
            this.dags = dags;
            return this;
        }

        /**
         * @param linesPerMinute the density over both logs, above 0 and at most {@value #MAX_RATE_PER_MINUTE}
         * @return this builder
         */
        public Builder ratePerMinute(double linesPerMinute) {
            if (!(linesPerMinute > 0) || linesPerMinute > MAX_RATE_PER_MINUTE) {
                throw new IllegalArgumentException("rate must be above 0 and at most " + (long) MAX_RATE_PER_MINUTE
                        + " lines a minute; got " + linesPerMinute);
            }
            this.ratePerMinute = OptionalDouble.of(linesPerMinute);
            return this;
        }

        /**
         * @param days how long the logs span, above 0 and at most {@value #MAX_DAYS}; excludes {@link #events}
         * @return this builder
         */
        public Builder days(double days) {
            if (!(days > 0) || days > MAX_DAYS) {
                throw new IllegalArgumentException("days must be above 0 and at most " + (long) MAX_DAYS + "; got "
                        + days);
            }
            if (events.isPresent()) {
                throw new IllegalArgumentException("give days or events, not both");
            }
            this.days = OptionalDouble.of(days);
            return this;
        }

        /**
         * @param events how many lines to write over both logs, at least 1; excludes {@link #days}
         * @return this builder
         */
        public Builder events(long events) {
            if (events < 1) {
                throw new IllegalArgumentException("events must be at least 1; got " + events);
            }
            if (days.isPresent()) {
                throw new IllegalArgumentException("give days or events, not both");
            }
            this.events = OptionalLong.of(events);
            return this;
        }

        /**
         * @param start the first instant of the logs (truncated to the microsecond), from 1971 to 9000
         * @return this builder
         */
        public Builder start(Instant start) {
            Objects.requireNonNull(start, "start");
            if (start.isBefore(Instant.parse("1971-01-01T00:00:00Z"))
                    || start.isAfter(Instant.parse("9000-01-01T00:00:00Z"))) {
                throw new IllegalArgumentException("start must be from 1971 to 9000; got " + start);
            }
            this.start = Optional.of(start.truncatedTo(ChronoUnit.MICROS));
            return this;
        }

        /** @return the options */
        public GeneratorOptions build() {
            return new GeneratorOptions(this);
        }
    }
}
