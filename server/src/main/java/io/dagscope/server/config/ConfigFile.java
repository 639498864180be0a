package io.dagscope.server.config;

import io.dagscope.core.time.Timestamps;
import io.dagscope.server.config.UsageException;
import io.dagscope.server.config.YamlTree.Entry;
import io.dagscope.server.config.YamlTree.Mapping;
import io.dagscope.server.config.YamlTree.Node;
import io.dagscope.server.config.YamlTree.Scalar;
import io.dagscope.server.config.YamlTree.ScalarType;
import io.dagscope.server.config.YamlTree.Sequence;
import io.dagscope.server.http.ServerOptions;
import io.dagscope.server.logging.LogLevel;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed config file: every setting it gives, checked and typed, relative paths resolved against its folder.
 * What it leaves out is empty, for the flags, the environment or the defaults to fill in.
 *
 * <p>Every error names the file, the line, the key path ({@code sources[1].role}) and what is allowed, and never
 * shows a source option's value (which may be a secret).
 *
 * @param file the file as given
 * @param sources the {@code sources} list, when the file has one
 * @param schedules {@code schedules}
 * @param windowHours {@code window_hours}
 * @param windowEnd {@code window_end}
 * @param weekdays {@code cron_weekdays}
 * @param maxLineBytes {@code max_line_bytes}
 * @param retainDays {@code retain.days}
 * @param retainRuns {@code retain.runs}
 * @param plugins {@code plugins}
 * @param server the {@code server} section, defaults filled in
 * @param history the {@code history} section ({@code store}, {@code dir}), defaults filled in
 * @param clockSkewHours {@code clock_skew_hours}
 * @param snapshots the {@code snapshots} section ({@code dir}, {@code every}, {@code every_events}, {@code keep}),
 *     defaults filled in
 */
record ConfigFile(Path file, Optional<List<SourceSpec>> sources, Optional<Path> schedules,
        Optional<Double> windowHours, Optional<Instant> windowEnd, Optional<WeekdayMode> weekdays,
        Optional<Integer> maxLineBytes, Optional<Long> retainDays, Optional<Integer> retainRuns,
        Optional<Path> plugins, ServerSettings server, HistorySettings history, Optional<Long> clockSkewHours,
        SnapshotSettings snapshots) {

    /** The top-level keys. */
    static final Set<String> KEYS = Set.of("sources", "schedules", "window_hours", "window_end", "cron_weekdays",
            "max_line_bytes", "retain", "plugins", "server", "history", "clock_skew_hours", "snapshots");
    static final Set<String> SNAPSHOT_KEYS = Set.of("dir", "every", "every_events", "keep");
    static final Set<String> SOURCE_KEYS = Set.of("name", "role", "location", "options");
    static final Set<String> RETAIN_KEYS = Set.of("days", "runs");
    static final Set<String> HISTORY_KEYS = Set.of("store", "dir");
    static final Set<String> SERVER_KEYS = Set.of("port", "bind", "auth", "cors_origins", "allowed_hosts",
            "max_query_cost", "max_response_bytes", "query_threads", "caller_concurrency", "caller_cost_per_second",
            "caller_burst_cost", "trust_proxy", "metrics_max_series", "log_level");
    static final List<String> ROLES = List.of("events", "state");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

    /**
     * Reads and checks a config file.
     *
     * @param file the file
     * @return its settings
     * @throws UsageException if it cannot be read, is not YAML, or has an unknown key, a wrong type or a bad value
     */
    static ConfigFile read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new UsageException("--config " + file + ": is a directory, not a YAML file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--config " + file + ": cannot be read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException("--config " + file + ": not valid UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Optional<Node> root;
        try {
            root = YamlTree.parse(text);
        } catch (YamlTree.SyntaxException e) {
            throw new UsageException(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        }
        return new Binder(file).bind(root);
    }

    /** Turns the tree into settings, checking as it goes. */
    private static final class Binder {
        private final Path file;
        private final Path base;

        Binder(Path file) {
            this.file = file;
            Path parent = file.getParent();
            this.base = parent == null ? Path.of("") : parent;
        }

        ConfigFile bind(Optional<Node> rootNode) {
            if (rootNode.isEmpty()) {
                return new ConfigFile(file, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        ServerSettings.DEFAULTS, HistorySettings.DEFAULTS, Optional.empty(), SnapshotSettings.NONE);
            }
            Node rootValue = rootNode.get();
            if (rootValue instanceof Scalar s && s.type() == ScalarType.NULL) {
                return bind(Optional.empty());
            }
            if (!(rootValue instanceof Mapping root)) {
                throw new UsageException(file + ":" + rootValue.line() + ": the file must be a mapping of settings ("
                        + allowed(KEYS) + "), not " + rootValue.kind());
            }
            checkKeys(root, "", KEYS);
            Map<String, Entry> e = root.entries();
            Optional<List<SourceSpec>> sources = given(e.get("sources")).map(this::sources);
            Optional<Path> schedules = given(e.get("schedules")).map(x -> existingPath(x, "schedules", false));
            Optional<Double> hours = given(e.get("window_hours")).map(x -> positiveHours(x));
            Optional<Instant> end = given(e.get("window_end")).map(this::instant);
            Optional<WeekdayMode> weekdays = given(e.get("cron_weekdays")).map(this::weekdays);
            Optional<Integer> maxLine = given(e.get("max_line_bytes"))
                    .map(x -> (int) wholeNumber(x, "max_line_bytes", 1, Integer.MAX_VALUE, "bytes"));
            Optional<Long> retainDays = Optional.empty();
            Optional<Integer> retainRuns = Optional.empty();
            Optional<Entry> retain = given(e.get("retain"));
            if (retain.isPresent()) {
                Mapping m = mapping(retain.get(), "retain");
                checkKeys(m, "retain.", RETAIN_KEYS);
                retainDays = given(m.entries().get("days")).map(x -> wholeNumber(x, "retain.days", 0, 100_000,
                        "days"));
                retainRuns = given(m.entries().get("runs")).map(x -> (int) wholeNumber(x, "retain.runs", 0,
                        Integer.MAX_VALUE, "runs"));
            }
            Optional<Path> plugins = given(e.get("plugins")).map(x -> existingPath(x, "plugins", true));
            ServerSettings server = given(e.get("server")).map(this::server).orElse(ServerSettings.DEFAULTS);
            HistorySettings history = given(e.get("history")).map(this::history).orElse(HistorySettings.DEFAULTS);
            Optional<Long> skewHours = given(e.get("clock_skew_hours")).map(x -> wholeNumber(x, "clock_skew_hours", 0,
                    CommonOptions.MAX_CLOCK_SKEW_HOURS, "hours"));
            SnapshotSettings snapshots = given(e.get("snapshots")).map(this::snapshots).orElse(SnapshotSettings.NONE);
            return new ConfigFile(file, sources, schedules, hours, end, weekdays, maxLine, retainDays, retainRuns,
                    plugins, server, history, skewHours, snapshots);
        }

        private SnapshotSettings snapshots(Entry entry) {
            Mapping m = mapping(entry, "snapshots");
            checkKeys(m, "snapshots.", SNAPSHOT_KEYS);
            Map<String, Entry> e = m.entries();
            Optional<Path> dir = given(e.get("dir")).map(x -> path(x, "snapshots.dir"));
            Duration every = SnapshotSettings.DEFAULT_EVERY;
            Optional<Entry> everyEntry = given(e.get("every"));
            if (everyEntry.isPresent()) {
                String text = text(everyEntry.get(), "snapshots.every");
                try {
                    every = SnapshotSettings.interval(text, "snapshots.every");
                } catch (UsageException invalid) {
                    throw error(everyEntry.get().value().line(), "snapshots.every", "must be a time such as 90s, 5m "
                            + "or 1h30m, from 1s to 168h; got " + quoted(everyEntry.get().value(), text));
                }
            }
            long events = given(e.get("every_events")).map(x -> wholeNumber(x, "snapshots.every_events", 1,
                    Long.MAX_VALUE, "events")).orElse(SnapshotSettings.DEFAULT_EVERY_EVENTS);
            int keep = given(e.get("keep")).map(x -> (int) wholeNumber(x, "snapshots.keep", 1,
                    SnapshotSettings.MAX_KEEP, "snapshots")).orElse(SnapshotSettings.DEFAULT_KEEP);
            return new SnapshotSettings(Optional.empty(), dir, every, events, keep);
        }

        private HistorySettings history(Entry entry) {
            Mapping m = mapping(entry, "history");
            checkKeys(m, "history.", HISTORY_KEYS);
            HistorySettings.Kind kind = HistorySettings.Kind.FILES;
            Optional<Entry> store = given(m.entries().get("store"));
            if (store.isPresent()) {
                String text = text(store.get(), "history.store").strip();
                try {
                    kind = HistorySettings.Kind.valueOf(text.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error(store.get().value().line(), "history.store", "must be one of: files, heap; got "
                            + quoted(store.get().value(), text));
                }
            }
            Optional<Entry> dirEntry = given(m.entries().get("dir"));
            Optional<Path> dir = dirEntry.map(x -> path(x, "history.dir"));
            if (dir.isPresent() && kind == HistorySettings.Kind.HEAP) {
                throw error(dirEntry.get().value().line(), "history.dir", "names where history files go, but "
                        + "history.store is heap: give one or the other");
            }
            return new HistorySettings(kind, dir);
        }

        private List<SourceSpec> sources(Entry entry) {
            if (!(entry.value() instanceof Sequence list)) {
                throw error(entry.value().line(), "sources", "must be a list of sources, each a mapping with "
                        + allowed(SOURCE_KEYS) + "; not " + entry.value().kind());
            }
            List<SourceSpec> specs = new ArrayList<>();
            Map<String, Integer> countByRole = new HashMap<>();
            Map<String, String> originByName = new LinkedHashMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                String path = "sources[" + i + "]";
                if (!(item instanceof Mapping m)) {
                    throw error(item.line(), path, "must be a mapping with " + allowed(SOURCE_KEYS) + "; not "
                            + item.kind());
                }
                checkKeys(m, path + ".", SOURCE_KEYS);
                Map<String, Entry> e = m.entries();
                Entry roleEntry = given(e.get("role")).orElseThrow(() -> error(m.line(), path + ".role",
                        "is missing; allowed: " + String.join(", ", ROLES)));
                String role = text(roleEntry, path + ".role").strip().toLowerCase(Locale.ROOT);
                if (!ROLES.contains(role)) {
                    throw error(roleEntry.value().line(), path + ".role", "must be one of: " + String.join(", ", ROLES)
                            + "; got " + quoted(roleEntry.value(), text(roleEntry, path + ".role")));
                }
                Entry locationEntry = given(e.get("location")).orElseThrow(() -> error(m.line(), path + ".location",
                        "is missing: a path or glob of log files, or scheme://target (e.g. s3://bucket/prefix/)"));
                String location = text(locationEntry, path + ".location").strip();
                if (location.isEmpty()) {
                    throw error(locationEntry.value().line(), path + ".location", "cannot be empty");
                }
                int index = countByRole.merge(role, 1, Integer::sum);
                String name = index == 1 ? role : role + "-" + index;
                Optional<Entry> nameEntry = given(e.get("name"));
                if (nameEntry.isPresent()) {
                    name = text(nameEntry.get(), path + ".name").strip();
                    if (!NAME.matcher(name).matches()) {
                        throw error(nameEntry.get().value().line(), path + ".name", "must be letters, digits, '.', "
                                + "'_' and '-', starting with a letter or digit; got "
                                + quoted(nameEntry.get().value(), name));
                    }
                }
                String origin = file + ":" + item.line() + ": " + path;
                String earlier = originByName.putIfAbsent(name, origin);
                if (earlier != null) {
                    throw error(nameEntry.map(n -> n.value().line()).orElse(item.line()), path + ".name",
                            "two sources are named '" + name + "' (the other is " + earlier + ")"
                                    + (nameEntry.isEmpty() ? "; give this one a name" : ""));
                }
                Map<String, String> options = given(e.get("options")).map(o -> options(o, path + ".options"))
                        .orElse(Map.of());
                specs.add(new SourceSpec(name, role, resolveLocation(location), options, false, origin));
            }
            return specs;
        }

        /** Option values are shown nowhere, since any of them may be a secret. */
        private Map<String, String> options(Entry entry, String path) {
            Mapping m = mapping(entry, path);
            Map<String, String> options = new LinkedHashMap<>();
            for (Entry option : m.entries().values()) {
                String key = option.key();
                if (key.isBlank()) {
                    throw error(option.line(), path, "an option needs a name");
                }
                if (!(option.value() instanceof Scalar s) || s.type() == ScalarType.NULL) {
                    throw error(option.value().line(), path + "." + key, "must be a single value (text or a number), "
                            + "not " + option.value().kind());
                }
                options.put(key, s.text());
            }
            return options;
        }

        /** A bare path, or a relative jsonl:// or file:// location, is resolved against the file's folder. */
        private String resolveLocation(String location) {
            SourceLocation parsed;
            try {
                parsed = SourceLocation.parse(location);
            } catch (SourceConfigurationException e) {
                return location; // reported with its origin when the source is created
            }
            boolean bare = !location.contains("://") || parsed.target().equals(location);
            if (bare) {
                return resolvePath(location);
            }
            if (!parsed.scheme().equals("jsonl") && !parsed.scheme().equals("file")) {
                return location;
            }
            int start = location.indexOf("://") + 3;
            int q = location.indexOf('?', start);
            String target = q < 0 ? location.substring(start) : location.substring(start, q);
            String rest = q < 0 ? "" : location.substring(q);
            return location.substring(0, start) + resolvePath(target) + rest;
        }

        private String resolvePath(String path) {
            if (path.isEmpty() || base.toString().isEmpty()) {
                return path;
            }
            try {
                Path p = Path.of(path);
                return p.isAbsolute() ? path : base.resolve(p).toString();
            } catch (InvalidPathException e) {
                // a glob character this platform does not allow in paths: join the text
                return path.startsWith("/") ? path : base + base.getFileSystem().getSeparator() + path;
            }
        }

        private ServerSettings server(Entry entry) {
            Mapping m = mapping(entry, "server");
            checkKeys(m, "server.", SERVER_KEYS);
            Map<String, Entry> e = m.entries();
            int port = given(e.get("port")).map(x -> (int) wholeNumber(x, "server.port", 0, 65_535, "port"))
                    .orElse(ServerSettings.DEFAULT_PORT);
            String bind = ServerSettings.DEFAULT_BIND;
            Optional<Entry> bindEntry = given(e.get("bind"));
            if (bindEntry.isPresent()) {
                bind = text(bindEntry.get(), "server.bind").strip();
                if (bind.isEmpty() || bind.contains(" ") || bind.contains("/")) {
                    throw error(bindEntry.get().value().line(), "server.bind", "must be a host name or an IP "
                            + "address, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface); got "
                            + quoted(bindEntry.get().value(), bind));
                }
            }
            Optional<Path> auth = given(e.get("auth")).map(x -> path(x, "server.auth"));
            List<String> origins = new ArrayList<>();
            Optional<Entry> originsEntry = given(e.get("cors_origins"));
            if (originsEntry.isPresent()) {
                if (!(originsEntry.get().value() instanceof Sequence list)) {
                    throw error(originsEntry.get().value().line(), "server.cors_origins", "must be a list of origins, "
                            + "e.g. [\"https://dash.example.com\"]; not " + originsEntry.get().value().kind());
                }
                for (int i = 0; i < list.items().size(); i++) {
                    Node item = list.items().get(i);
                    String path = "server.cors_origins[" + i + "]";
                    if (!(item instanceof Scalar s) || s.type() != ScalarType.TEXT) {
                        throw error(item.line(), path, "must be an origin as text, not " + item.kind());
                    }
                    String origin = s.text().strip();
                    if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                        throw error(item.line(), path, "must be \"*\" or an origin: http:// or https://, a host and "
                                + "an optional port, no path (e.g. https://dash.example.com or http://localhost:5173);"
                                + " got " + quoted(item, origin));
                    }
                    origins.add(origin);
                }
            }
            List<String> hosts = new ArrayList<>();
            Optional<Entry> hostsEntry = given(e.get("allowed_hosts"));
            if (hostsEntry.isPresent()) {
                if (!(hostsEntry.get().value() instanceof Sequence list)) {
                    throw error(hostsEntry.get().value().line(), "server.allowed_hosts", "must be a list of host "
                            + "names, e.g. [\"dagscope.example.com\"]; not " + hostsEntry.get().value().kind());
                }
                for (int i = 0; i < list.items().size(); i++) {
                    Node item = list.items().get(i);
                    String path = "server.allowed_hosts[" + i + "]";
                    if (!(item instanceof Scalar s) || s.type() != ScalarType.TEXT) {
                        throw error(item.line(), path, "must be a host name as text, not " + item.kind());
                    }
                    try {
                        hosts.add(ServerOptions.allowedHost(s.text()));
                    } catch (IllegalArgumentException invalid) {
                        throw error(item.line(), path, invalid.getMessage());
                    }
                }
            }
            Map<String, Long> limits = new HashMap<>();
            for (Map.Entry<String, long[]> limit : ServerSettings.LIMIT_KEYS.entrySet()) {
                given(e.get(limit.getKey())).ifPresent(x -> limits.put(limit.getKey(), wholeNumber(x,
                        "server." + limit.getKey(), limit.getValue()[0], limit.getValue()[1], unit(limit.getKey()))));
            }
            Optional<Boolean> trustProxy = given(e.get("trust_proxy")).map(x -> {
                if (x.value() instanceof Scalar b && b.type() == ScalarType.BOOLEAN) {
                    return Boolean.parseBoolean(b.text().strip().toLowerCase(Locale.ROOT));
                }
                throw error(x.value().line(), "server.trust_proxy", "must be true or false; got " + shown(x.value()));
            });
            int maxSeries = given(e.get("metrics_max_series")).map(x -> (int) wholeNumber(x,
                    "server.metrics_max_series", 1, ServerSettings.MOST_METRICS_SERIES, "series"))
                    .orElse(ServerSettings.DEFAULT_METRICS_MAX_SERIES);
            Optional<LogLevel> logLevel = given(e.get("log_level")).map(x -> {
                if (x.value() instanceof Scalar level && level.type() == ScalarType.TEXT) {
                    try {
                        return LogLevel.parse(level.text());
                    } catch (IllegalArgumentException invalid) {
                        // reported below, in the file's words
                    }
                }
                throw error(x.value().line(), "server.log_level", "must be one of " + LogLevel.choices() + "; got "
                        + shown(x.value()));
            });
            return new ServerSettings(port, bind, auth, origins, hosts, limits, trustProxy, maxSeries, logLevel);
        }

        private static String unit(String limit) {
            return limit.endsWith("bytes") ? "bytes" : limit.endsWith("threads") ? "threads"
                    : limit.endsWith("concurrency") ? "executions" : "cost units";
        }

        private Path existingPath(Entry entry, String key, boolean directory) {
            Path p = path(entry, key);
            if (!Files.exists(p)) {
                boolean relative = !text(entry, key).strip().startsWith("/") && !Path.of(text(entry, key).strip())
                        .isAbsolute();
                throw error(entry.value().line(), key, "no such " + (directory ? "directory" : "file or directory")
                        + ": " + p + (relative ? " (relative paths are read from the config file's folder)" : ""));
            }
            if (directory && !Files.isDirectory(p)) {
                throw error(entry.value().line(), key, "must be a directory: " + p);
            }
            return p;
        }

        private Path path(Entry entry, String key) {
            String text = text(entry, key).strip();
            if (text.isEmpty()) {
                throw error(entry.value().line(), key, "cannot be empty");
            }
            try {
                return Path.of(resolvePath(text));
            } catch (InvalidPathException e) {
                throw error(entry.value().line(), key, "is not a valid path: " + e.getReason());
            }
        }

        private double positiveHours(Entry entry) {
            Node n = entry.value();
            String rule = "must be a positive number of hours, e.g. 24 or 0.5";
            if (n instanceof Scalar s && (s.type() == ScalarType.INTEGER || s.type() == ScalarType.DECIMAL)) {
                double v = s.number().doubleValue();
                if (v > 0 && !Double.isInfinite(v)) {
                    return v;
                }
                throw error(n.line(), "window_hours", rule + "; got " + s.text());
            }
            throw error(n.line(), "window_hours", rule + "; got " + shown(n));
        }

        private long wholeNumber(Entry entry, String key, long min, long max, String unit) {
            Node n = entry.value();
            String rule = "must be a whole number of " + unit + " from " + min + " to " + max;
            if (n instanceof Scalar s && (s.type() == ScalarType.INTEGER || s.type() == ScalarType.DECIMAL)) {
                if (!Double.isFinite(s.number().doubleValue())) {
                    throw error(n.line(), key, rule + "; got " + s.text()); // .inf and .nan have no BigDecimal
                }
                BigDecimal v = new BigDecimal(s.number().toString());
                if (v.stripTrailingZeros().scale() <= 0 && v.compareTo(BigDecimal.valueOf(min)) >= 0
                        && v.compareTo(BigDecimal.valueOf(max)) <= 0) {
                    return v.longValueExact();
                }
                throw error(n.line(), key, rule + "; got " + s.text());
            }
            throw error(n.line(), key, rule + "; got " + shown(n));
        }

        private Instant instant(Entry entry) {
            String text = text(entry, "window_end").strip();
            long micros = Timestamps.parseMicros(text);
            if (micros == Timestamps.INVALID) {
                throw error(entry.value().line(), "window_end", "must be an ISO-8601 instant such as "
                        + "2025-10-21T18:00:00Z or 2025-10-21T20:00:00+02:00; got " + quoted(entry.value(), text));
            }
            return Timestamps.toInstant(micros);
        }

        private WeekdayMode weekdays(Entry entry) {
            String text = text(entry, "cron_weekdays").strip();
            try {
                return WeekdayMode.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(entry.value().line(), "cron_weekdays", "must be one of: unix, scheduler; got "
                        + quoted(entry.value(), text));
            }
        }

        private String text(Entry entry, String key) {
            Node n = entry.value();
            if (n instanceof Scalar s && s.type() != ScalarType.NULL) {
                return s.text();
            }
            throw error(n.line(), key, "must be a single value, not " + n.kind());
        }

        private Mapping mapping(Entry entry, String key) {
            if (entry.value() instanceof Mapping m) {
                return m;
            }
            throw error(entry.value().line(), key, "must be a mapping (key: value lines indented under it), not "
                    + entry.value().kind());
        }

        private void checkKeys(Mapping m, String prefix, Set<String> allowed) {
            for (Entry entry : m.entries().values()) {
                if (!allowed.contains(entry.key())) {
                    throw error(entry.line(), prefix + entry.key(), "unknown key; allowed"
                            + (prefix.isEmpty() ? "" : " in " + prefix.substring(0, prefix.length() - 1)) + ": "
                            + allowed(allowed));
                }
            }
        }

        private UsageException error(int line, String path, String message) {
            return new UsageException(file + ":" + line + ": " + path + ": " + message);
        }
    }

    /** An entry whose value is empty ({@code key:} alone) counts as not given. */
    private static Optional<Entry> given(Entry entry) {
        if (entry == null || (entry.value() instanceof Scalar s && s.type() == ScalarType.NULL)) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /**
     * A text as an error shows it: quoted; but one that runs over several lines only by where it is, since a quote
     * left open swallows the lines after it, and they may hold a secret.
     */
    private static String quoted(Node n, String text) {
        if (n instanceof Scalar s && s.spansLines()) {
            return "a text that runs from line " + s.line() + " to line " + s.lastLine()
                    + ", not shown (is a quote left open?)";
        }
        return "'" + text + "'";
    }

    private static String shown(Node n) {
        if (n instanceof Scalar s && s.spansLines()) {
            return quoted(n, s.text());
        }
        if (n instanceof Scalar s) {
            if (s.type() != ScalarType.TEXT) {
                return s.kind() + " (" + s.text() + ")";
            }
            boolean numeric = s.text().strip().matches("[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?");
            return "the text '" + s.text() + "'" + (numeric ? " (write a number without quotes)" : "");
        }
        return n.kind();
    }

    private static String allowed(Set<String> keys) {
        return String.join(", ", new TreeSet<>(keys));
    }
}
