package io.dagscope.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The benchmark's command-line flags: {@code --name VALUE} and {@code --toggle}; a bad one is a {@link UsageError}. */
final class Flags {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Flags() {
    }

    static Flags parse(List<String> args, Set<String> valued, Set<String> toggles) {
        Flags f = new Flags();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                f.positionals.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (toggles.contains(name) && value == null) {
                f.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageError("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                f.values.put(name, value);
            } else {
                throw new UsageError("unknown flag --" + name + "; see --help");
            }
        }
        return f;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<String> positionals() {
        return positionals;
    }

    long wholeNumber(String name, long fallback, long min, long max) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get().replace("_", "").replace(",", ""));
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " must be a whole number from " + min + " to " + max + "; got '"
                    + v.get() + "'");
        }
    }

    /**
     * Whole numbers separated by commas ({@code 1000000,10000000}).
     *
     * @param name the flag
     * @param fallback the list when the flag is absent, written as on the command line
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the numbers, in order
     */
    List<Long> wholeNumbers(String name, String fallback, long min, long max) {
        List<Long> out = new ArrayList<>();
        for (String s : value(name).orElse(fallback).split(",")) {
            try {
                long n = Long.parseLong(s.trim().replace("_", ""));
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                out.add(n);
            } catch (NumberFormatException e) {
                throw new UsageError("--" + name + " must be whole numbers from " + min + " to " + max
                        + " separated by commas; got '" + s + "'");
            }
        }
        return out;
    }

    /** @return {@code --seed}: the generator's seed, {@link Workload#DEFAULT_SEED} by default */
    long seed() {
        return wholeNumber("seed", Workload.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** @return {@code --start}: the generator's first instant, {@link Workload#DEFAULT_START} by default */
    Instant start() {
        Optional<String> v = value("start");
        if (v.isEmpty()) {
            return Workload.DEFAULT_START;
        }
        try {
            return Instant.parse(v.get());
        } catch (DateTimeParseException e) {
            throw new UsageError("--start must be an ISO-8601 instant such as 2026-01-05T00:00:00Z; got '" + v.get()
                    + "'");
        }
    }

    /**
     * @param mode the benchmark's mode, or empty for the side-by-side run
     * @return {@code --out}: where summaries and generated logs go; by default a new folder
     *     {@code /tmp/dagscope-bench[-MODE]-TIME}
     */
    Path outDir(String mode) {
        return Path.of(value("out").orElse("/tmp/dagscope-bench" + (mode.isEmpty() ? "" : "-" + mode) + "-"
                + Instant.now().toString().replace(":", "").replace(".", "-")));
    }

    /** One of the allowed values, else a usage error naming the flag and them. */
    String choice(String name, String fallback, List<String> allowed) {
        String v = value(name).orElse(fallback);
        if (!allowed.contains(v)) {
            throw new UsageError("--" + name + " must be one of: " + String.join(", ", allowed) + "; got '" + v
                    + "'");
        }
        return v;
    }

    double number(String name, double fallback, double min, double max) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            double n = Double.parseDouble(v.get());
            if (!(n >= min && n <= max)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError("--" + name + " must be a number from " + min + " to " + max + "; got '" + v.get()
                    + "'");
        }
    }

    /**
     * A duration: whole numbers each with a unit, {@code h}, {@code m} or {@code s}, largest first ({@code 90s},
     * {@code 30m}, {@code 1h30m}), or {@code 0}.
     *
     * @param name the flag
     * @param fallback the duration when the flag is absent
     * @param min the shortest allowed
     * @param max the longest allowed
     * @return the duration
     */
    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = parseDuration(v.get());
        if (d.isEmpty() || d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            throw new UsageError("--" + name + " must be a duration such as 90s, 30m or 1h30m, from " + text(min)
                    + " to " + text(max) + "; got '" + v.get() + "'");
        }
        return d.get();
    }

    static Optional<Duration> parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.ZERO;
            long[] unitSeconds = {3600, 60, 1};
            for (int i = 0; i < 3; i++) {
                if (m.group(i + 1) != null) {
                    d = d.plusSeconds(Math.multiplyExact(Long.parseLong(m.group(i + 1)), unitSeconds[i]));
                }
            }
            return Optional.of(d);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A duration as the flags take it: {@code 1h30m}, {@code 45s}, {@code 0}. */
    static String text(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    /**
     * A size: a number with an optional unit, decimal ({@code KB}, {@code MB}, {@code GB}: powers of 1000) or binary
     * ({@code KiB}, {@code MiB}, {@code GiB}).
     */
    static long size(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1000"},
            {"MB", "1000000"}, {"GB", "1000000000"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            double n = Double.parseDouble(t);
            if (!(n > 0)) {
                throw new NumberFormatException();
            }
            return Math.round(n * unit);
        } catch (NumberFormatException e) {
            throw new UsageError("--size must be a size such as 1GB, 500MB or 2GiB; got '" + text + "'");
        }
    }

    /** A command line the benchmark cannot run; exit status 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }
}
