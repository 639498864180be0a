package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.snapshot.SnapshotFolder;
import io.dagscope.core.snapshot.SnapshotKeeper;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.ServerSettings;
import io.dagscope.server.config.SnapshotSettings;
import io.dagscope.server.config.Settings;
import io.dagscope.server.config.SourceSpec;
import io.dagscope.server.http.Authenticator;
import io.dagscope.server.http.Backend;
import io.dagscope.server.http.FairShare;
import io.dagscope.server.http.HttpServer;
import io.dagscope.server.http.MetricsLimits;
import io.dagscope.server.http.Redactor;
import io.dagscope.server.http.ServerOptions;
import io.dagscope.server.logging.LogLevel;
import io.dagscope.server.logging.LogOutput;
import io.dagscope.server.plugins.PluginLoader;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dagscope serve}: reads the logs, keeps following them, and serves the GraphQL API, the explorer, health and
 * metrics over HTTP until the process is stopped.
 */
public final class ServeCommand implements Command {

    /** How long a stop by signal waits for the server to close and the command to clean up. */
    static final Duration CLEANUP_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private final CountDownLatch stop;
    private final CountDownLatch done = new CountDownLatch(1);
    private final boolean hookIntoShutdown;

    /** The command as {@code dagscope serve} runs it: it stops when the process is asked to (Ctrl-C, SIGTERM). */
    public ServeCommand() {
        this(new CountDownLatch(1), true);
    }

    /**
     * A command that stops when {@code stop} counts down (for tests, which must not touch the JVM's shutdown).
     *
     * @param stop counted down to stop the server
     */
    ServeCommand(CountDownLatch stop) {
        this(stop, false);
    }

    private ServeCommand(CountDownLatch stop, boolean hookIntoShutdown) {
        this.stop = stop;
        this.hookIntoShutdown = hookIntoShutdown;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "Read and follow the logs; serve the GraphQL API, its explorer, health and metrics over HTTP.";
    }

    @Override
    public String details() {
        return "Endpoints: the dashboard on /, POST and GET /graphql, WebSocket /graphql (graphql-transport-ws\n"
                + "subscriptions),\n"
                + "/graphiql (explorer), /health, /health/ready, /metrics. Logs go to stderr. Docs: docs/server.md\n"
                + "Example: dagscope serve --events logs/orchestrator_events.jsonl --state logs/orchestrator_state.jsonl";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(CommonOptions.FLAGS);
        flags.add(Flag.value("port", "PORT", "the port to listen on, 0 to 65535 (default " + ServerOptions.DEFAULT_PORT
                + "; 0 picks a free one)"));
        flags.add(Flag.value("bind", "ADDRESS", "the address to listen on (default " + ServerOptions.DEFAULT_BIND
                + ", this machine only; 0.0.0.0 or :: for every interface)"));
        flags.add(Flag.value("auth", "FILE", "require bearer tokens, listed as SHA-256 hashes in this YAML file "
                + "(see dagscope hash-token and docs/security.md)"));
        flags.add(Flag.repeatable("cors-origin", "ORIGIN", "let browser pages from this origin call the API, e.g. "
                + "https://dash.example.com (repeatable; default: CORS off)"));
        flags.add(Flag.repeatable("allowed-host", "NAME", "also answer requests for this host name (the Host "
                + "header), e.g. dagscope.example.com behind a proxy, or .example.com for it and every name under it "
                + "(repeatable; localhost, *.localhost and IP addresses are always answered; others get 421)"));
        flags.add(Flag.value("max-body-bytes", "BYTES", "the largest request body or WebSocket message accepted "
                + "(default " + ServerOptions.DEFAULT_MAX_BODY_BYTES + ")"));
        flags.add(Flag.value("max-query-depth", "DEPTH", "the deepest nesting of fields a query may have (default "
                + ServerOptions.DEFAULT_MAX_QUERY_DEPTH + ")"));
        flags.add(Flag.value("max-query-complexity", "FIELDS", "the most fields a query may select (default "
                + ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY + ")"));
        flags.add(Flag.toggle("access-log", "log every request to stderr (method, path, status, time, operation, "
                + "caller); server errors are always logged"));
        flags.add(Flag.value("log-level", "LEVEL", "the most detailed lines to log: " + LogLevel.choices()
                + " (default " + LogLevel.DEFAULT + "); libraries log warnings and errors only"));
        flags.add(Flag.value("query-timeout-ms", "MILLIS", "cancel a query that runs longer (default "
                + ServerOptions.DEFAULT_QUERY_TIMEOUT.toMillis() + ")"));
        flags.add(Flag.value("max-query-cost", "COST", "refuse a query whose estimated cost (its fields times the "
                + "list sizes it asks for) is higher (default " + FairShare.DEFAULT_MAX_QUERY_COST + ")"));
        flags.add(Flag.value("max-response-bytes", "BYTES", "replace a larger answer by an error (default "
                + FairShare.DEFAULT_MAX_RESPONSE_BYTES + ")"));
        flags.add(Flag.value("query-threads", "N", "executions that run at once, over every caller (default 2 per "
                + "core, at least 4)"));
        flags.add(Flag.value("caller-concurrency", "N", "executions one caller (a token, or an address without "
                + "--auth) may have running or waiting; more get 429 (default " + FairShare.DEFAULT_CALLER_CONCURRENCY
                + ")"));
        flags.add(Flag.value("caller-cost-per-second", "COST", "the query cost one caller may spend a second; more "
                + "gets 429 (default " + FairShare.DEFAULT_CALLER_COST_PER_SECOND + ")"));
        flags.add(Flag.value("caller-burst-cost", "COST", "the query cost one caller may spend at once (default "
                + FairShare.DEFAULT_CALLER_BURST_COST + ")"));
        flags.add(Flag.toggle("trust-proxy", "take the client's address from the last X-Forwarded-For entry (only "
                + "behind a reverse proxy that sets it)"));
        flags.add(Flag.value("metrics-max-series", "COUNT", "the most (tenant, DAG) series, and the most schedule "
                + "series, on /metrics; the rest are summed into one labelled 'other' (1 to "
                + MetricsLimits.MOST_SERIES + ", default " + MetricsLimits.DEFAULT_MAX_SERIES + ")"));
        flags.add(Flag.value("snapshot-dir", "DIR", "keep snapshots here: start from the newest usable one, write "
                + "one periodically and on a clean stop, so a restart reads only what is new (docs/snapshots.md)"));
        flags.add(Flag.value("snapshot-every", "TIME", "write a snapshot of changed data at least this often, e.g. "
                + "90s, 5m, 1h (default 5m)"));
        flags.add(Flag.value("snapshot-every-events", "COUNT", "and sooner, once this many more events were "
                + "folded (default " + SnapshotSettings.DEFAULT_EVERY_EVENTS + ")"));
        flags.add(Flag.value("snapshot-keep", "COUNT", "keep this many of the newest snapshots (default "
                + SnapshotSettings.DEFAULT_KEEP + ")"));
        return flags;
    }

    @Override
    public int run(Args args, Io io) throws InterruptedException {
        return serve(args, io, () -> { });
    }

    /**
     * Serves until stopped, then runs {@code cleanup}; a stop by signal (Ctrl-C, SIGTERM) waits, up to
     * {@link #CLEANUP_WAIT}, for the server to close and the cleanup to finish before the process exits.
     *
     * @param args the parsed flags
     * @param io streams, environment and factories
     * @param cleanup run once the server has stopped (or failed to start)
     * @return the exit status
     * @throws InterruptedException if interrupted while serving
     */
    int serve(Args args, Io io, Runnable cleanup) throws InterruptedException {
        try {
            return serveUntilStopped(args, io);
        } finally {
            try {
                cleanup.run();
            } finally {
                done.countDown();
            }
        }
    }

    private int serveUntilStopped(Args args, Io io) throws InterruptedException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("serve takes no arguments, got '" + args.positionals().get(0)
                    + "'; see dagscope serve --help");
        }
        Optional<LogLevel> levelFlag = logLevel(args);
        Settings settings = CommonOptions.resolve(args, io.env(), note -> io.err().println("dagscope: " + note));
        LogLevel level = levelFlag.or(() -> settings.server().logLevel()).orElse(LogLevel.DEFAULT);
        ServerOptions options = options(args, settings.server());
        Authenticator authenticator = args.value("auth").or(() -> settings.server().auth().map(Path::toString))
                .map(ServeCommand::authenticator).orElse(Authenticator.off());
        checkPortIsFree(options, args.value("port").isPresent(), settings);
        settings.plugins().ifPresent(dir -> PluginLoader.loadInto(dir, io.factories(), io.err()));
        SnapshotSettings snapshots = snapshots(args, settings.snapshots());
        Redactor redactor = Redactor.of(secrets(settings, io));
        // from here on, every line of every logger goes to stderr at this level, the sources' secrets masked
        LogOutput.Restore logging = LogOutput.route(io.err(), level, redactor::redact);
        try (Dagscope app = Dagscope.create(settings, io.factories(), true, io.err())) {
            LOG.debug("log level {}; listening on {}:{}; {}", level, options.bind(), options.port(), options.fairShare());
            Optional<SnapshotFolder> folder = snapshots.dir().map(ServeCommand::folder);
            folder.ifPresent(f -> {
                int unfinished = f.removeUnfinished();
                if (unfinished > 0) {
                    LOG.info("removed " + unfinished + " unfinished snapshot file(s) from " + f.dir()
                            + " (a process stopped while writing)");
                }
            });
            boolean restored = app.startFromSnapshot(folder, LOG::info).used().isPresent();
            Optional<SnapshotKeeper> keeper = folder.map(f -> new SnapshotKeeper(app.ingestor(), f,
                    new SnapshotKeeper.Schedule(snapshots.every(), snapshots.everyEvents(), snapshots.keep()),
                    "dagscope " + Dagscope.version(), Clock.systemUTC(), LOG::info,
                    (message, e) -> LOG.error(message, e)));
            if (restored) {
                // what the snapshot holds is saved; what the first poll reads is not
                keeper.ifPresent(SnapshotKeeper::alreadySaved);
            }
            long events = app.ingestor().pollOnce();
            LOG.info("read " + events + " events from " + app.ingestor().sources().size() + " source(s); following");
            app.ingestor().sources().stream().filter(s -> !s.healthy()).forEach(s -> LOG.info(health(s)));
            // each change of a source's health once, through the log, which masks secrets in the reason
            app.ingestor().startFollowing(Duration.ofMillis(200), e -> LOG.error("reading the sources failed", e),
                    s -> LOG.info(health(s)));
            keeper.ifPresent(SnapshotKeeper::start);
            Backend backend = new Backend(app.api(), app.analytics()::version, app.analytics(), app.ingestor(),
                    app.ingestor()::eventsDelivered, app.analytics()::stats, app.analytics(),
                    () -> keeper.map(SnapshotKeeper::stats));
            try (HttpServer server = new HttpServer(options, backend, authenticator, redactor)) {
                Thread hook = hookIntoShutdown ? new Thread(this::stopAndWait, "dagscope-shutdown") : null;
                if (hook != null) {
                    Runtime.getRuntime().addShutdownHook(hook);
                    // a thread that dies of an error takes /health down (the process, not a test, owns this)
                    Thread.setDefaultUncaughtExceptionHandler(server.uncaughtExceptions());
                }
                server.start();
                LOG.info(authenticator.enabled() ? "authentication on: " + authenticator.tokenCount() + " token(s)"
                        : "authentication off: every caller sees every tenant (dagscope serve --auth FILE)");
                if (!isLoopback(options.bind()) && !authenticator.enabled()) {
                    LOG.warn("listening on " + options.bind() + " without --auth: anyone who can reach port "
                            + server.port() + " can read every tenant's data");
                }
                stop.await();
                LOG.info("stopping");
            } finally {
                // a clean stop: the last snapshot holds everything read, so the next start reads only what is new
                keeper.ifPresent(SnapshotKeeper::close);
            }
        } finally {
            logging.close();
        }
        return 0;
    }

    /** The shutdown hook: asks the serving thread to stop, and keeps the JVM alive while it closes and cleans up. */
    private void stopAndWait() {
        stop.countDown();
        try {
            done.await(CLEANUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Finds a busy port before any log is read (which may take minutes), and says which setting to change.
     *
     * @param options the server's options
     * @param fromFlag whether {@code --port} gave the port
     * @param settings where the config file's setting came from, if it did
     * @throws UsageException when the port cannot be listened on
     */
    static void checkPortIsFree(ServerOptions options, boolean fromFlag, Settings settings) {
        if (options.port() == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(options.bind()), options.port()));
        } catch (IOException e) {
            String origin = fromFlag ? "--port " + options.port()
                    : options.port() != ServerOptions.DEFAULT_PORT && settings.configFile().isPresent()
                    ? "port " + options.port() + " (server.port in " + settings.configFile().get() + ")"
                    : "port " + options.port() + " (the default)";
            throw new UsageException(origin + ": cannot listen on " + options.bind() + ":" + options.port() + " ("
                    + e.getMessage() + "); is another server using it? Give another --port, or --port 0 for a "
                    + "free one");
        }
    }

    private static SnapshotFolder folder(Path dir) {
        try {
            return new SnapshotFolder(dir);
        } catch (UncheckedIOException e) {
            throw new UsageException("--snapshot-dir " + dir + ": " + e.getCause().getMessage()
                    + " (give a folder this user can create and write)");
        }
    }

    /** The snapshot settings: the flags, else the config file's {@code snapshots} section, else the defaults. */
    static SnapshotSettings snapshots(Args args, SnapshotSettings file) {
        Optional<Path> dir = args.value("snapshot-dir").map(Path::of).or(file::dir);
        Duration every = args.value("snapshot-every").map(v -> SnapshotSettings.interval(v, "--snapshot-every"))
                .orElse(file.every());
        long events = number(args, "snapshot-every-events", 1, Long.MAX_VALUE, file.everyEvents());
        int keep = (int) number(args, "snapshot-keep", 1, 1000, file.keep());
        boolean scheduleGiven = args.has("snapshot-every") || args.has("snapshot-every-events")
                || args.has("snapshot-keep");
        if (dir.isEmpty() && scheduleGiven) {
            throw new UsageException("--snapshot-every, --snapshot-every-events and --snapshot-keep need a folder to "
                    + "keep snapshots in: --snapshot-dir DIR (or snapshots.dir in the config file)");
        }
        return new SnapshotSettings(file.file(), dir, every, events, keep);
    }

    /**
     * The {@code --log-level} flag, if given.
     *
     * @param args the parsed flags
     * @return the level
     * @throws UsageException naming the flag and the levels there are, for a level that is none of them
     */
    static Optional<LogLevel> logLevel(Args args) {
        try {
            return args.value("log-level").map(LogLevel::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--log-level " + e.getMessage());
        }
    }

    private static String health(SourceStatus s) {
        return s.healthy() ? "source " + s.name() + " is healthy again"
                : "source " + s.name() + " is unhealthy: " + s.error().orElse("(no reason given)");
    }

    static ServerOptions options(Args args) {
        return options(args, ServerSettings.DEFAULTS);
    }

    /**
     * The server's options: its flags, else the config file's {@code server} section, else the defaults.
     *
     * @param args the parsed flags
     * @param file the config file's {@code server} section (its defaults when there is no file)
     * @return the options
     */
    static ServerOptions options(Args args, ServerSettings file) {
        int port = (int) number(args, "port", 0, 65535, file.port());
        String bind = args.value("bind").map(String::trim).orElse(file.bind());
        if (bind.isEmpty()) {
            throw new UsageException("--bind must be an address such as 127.0.0.1, 0.0.0.0 or ::; got ''");
        }
        try {
            InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new UsageException("--bind must be an address of this machine such as 127.0.0.1, 0.0.0.0 or ::; "
                    + "got '" + bind + "'");
        }
        List<String> origins = new ArrayList<>();
        for (String origin : args.values("cors-origin").isEmpty() ? file.corsOrigins() : args.values("cors-origin")) {
            origins.add(origin(origin));
        }
        List<String> hosts = new ArrayList<>();
        for (String host : args.values("allowed-host").isEmpty() ? file.allowedHosts() : args.values("allowed-host")) {
            try {
                hosts.add(ServerOptions.allowedHost(host));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allowed-host " + e.getMessage());
            }
        }
        long body = number(args, "max-body-bytes", 1, 1L << 30, ServerOptions.DEFAULT_MAX_BODY_BYTES);
        int depth = (int) number(args, "max-query-depth", 1, 1000, ServerOptions.DEFAULT_MAX_QUERY_DEPTH);
        int complexity = (int) number(args, "max-query-complexity", 1, 1_000_000,
                ServerOptions.DEFAULT_MAX_QUERY_COMPLEXITY);
        long timeout = number(args, "query-timeout-ms", 1, 3_600_000, ServerOptions.DEFAULT_QUERY_TIMEOUT.toMillis());
        FairShare share = new FairShare(limit(args, file, "max_query_cost", FairShare.DEFAULT_MAX_QUERY_COST),
                limit(args, file, "max_response_bytes", FairShare.DEFAULT_MAX_RESPONSE_BYTES),
                (int) limit(args, file, "query_threads", FairShare.defaultThreads()),
                (int) limit(args, file, "caller_concurrency", FairShare.DEFAULT_CALLER_CONCURRENCY),
                limit(args, file, "caller_cost_per_second", FairShare.DEFAULT_CALLER_COST_PER_SECOND),
                limit(args, file, "caller_burst_cost", FairShare.DEFAULT_CALLER_BURST_COST),
                args.has("trust-proxy") || file.trustProxy().orElse(false));
        int maxSeries = (int) number(args, "metrics-max-series", 1, MetricsLimits.MOST_SERIES,
                file.metricsMaxSeries());
        return new ServerOptions(bind, port, origins, body, depth, complexity, Duration.ofMillis(timeout),
                args.has("access-log"), hosts, share, new MetricsLimits(maxSeries,
                        MetricsLimits.defaults().staleAfter()));
    }

    /** A limit of {@link ServerSettings#LIMIT_KEYS}: its flag, else the config file's key, else the default. */
    private static long limit(Args args, ServerSettings file, String key, long fallback) {
        long[] range = ServerSettings.LIMIT_KEYS.get(key);
        return number(args, key.replace('_', '-'), range[0], range[1], file.limits().getOrDefault(key, fallback));
    }

    private static long number(Args args, String flag, long min, long max, long fallback) {
        if (args.value(flag).isEmpty()) {
            return fallback;
        }
        String text = args.value(flag).get().trim();
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + flag + " must be a whole number from " + min + " to " + max + "; got '"
                + args.value(flag).get() + "'");
    }

    static String origin(String text) {
        String o = text.trim();
        if (o.equals("*")) {
            return o;
        }
        String problem = null;
        try {
            URI uri = new URI(o);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "it needs http:// or https://";
            } else if (uri.getHost() == null) {
                problem = "it has no host";
            } else if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problem = "an origin is a scheme, host and port only, without a path";
            }
        } catch (URISyntaxException e) {
            problem = "it is not a URL";
        }
        if (problem != null) {
            throw new UsageException("--cors-origin must be an origin such as https://dash.example.com or "
                    + "http://localhost:3000 (" + problem + "); got '" + text + "'");
        }
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static Authenticator authenticator(String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new UsageException("--auth must name a readable YAML token file; cannot read '" + file + "'");
        }
        try {
            return Authenticator.fromFile(path);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--auth " + file + ": " + e.getMessage());
        }
    }

    /** The values of every source option its factory marks secret, wherever they were given. */
    private static List<String> secrets(Settings settings, Io io) {
        List<String> secrets = new ArrayList<>();
        for (SourceSpec spec : settings.sources()) {
            try {
                SourceLocation location = SourceLocation.parse(spec.location());
                EventSourceFactory factory = io.factories().forScheme(location.scheme());
                for (Map<String, String> options : List.of(location.options(), spec.options())) {
                    options.forEach((key, value) -> {
                        if (factory.secretOptionNames().contains(key)) {
                            secrets.add(value);
                        }
                    });
                }
            } catch (SourceConfigurationException | IllegalArgumentException e) {
                // the source was created, so its location parses; nothing more to hide if it does not
            }
        }
        return secrets;
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
