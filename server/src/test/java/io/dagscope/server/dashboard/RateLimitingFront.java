package io.dagscope.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server in front of a {@link DashboardServer}, answering as a dagscope whose rate budget for this caller
 * is spent (fair sharing, docs/security.md): while the test says so, {@code POST /graphql} is refused as that server
 * refuses it, with 429 Too Many Requests, a {@code Retry-After} and a {@code RATE_LIMITED} error; everything else goes
 * on to the real server. With its WebSocket on, the messages of {@code /graphql} are relayed both ways, and the first
 * subscriptions whose ids start with a given prefix are refused with a {@code RATE_LIMITED} error message, as the
 * server refuses a subscription's first answer. Without it, upgrades fail, as behind a proxy that does not forward
 * them, and the dashboard polls. The test may also close the browser's sockets, as a proxy or a server going away does,
 * or hold their {@code connection_init}, as a proxy that lets a socket open and passes nothing on.
 *
 * <p>It notes when each GraphQL request, each {@code connection_init} and each {@code subscribe} arrived, so that a test
 * sees what the browser sent.
 */
final class RateLimitingFront implements AutoCloseable {

    /** How a refusal says how long to wait. */
    enum Refusal {
        /** 429, {@code Retry-After: <seconds>} and the error's {@code retryAfterSeconds}, as dagscope answers. */
        SECONDS,
        /** 429, {@code Retry-After: <HTTP date>}, as a proxy in front of it may answer. */
        HTTP_DATE,
        /** 429 without {@code Retry-After}: only the error's {@code extensions.retryAfterSeconds} says it. */
        BODY_ONLY,
        /** 503 Service Unavailable with {@code Retry-After: <seconds>}, as an overloaded server or proxy answers. */
        BUSY
    }

    /** A GraphQL request or subscription as it arrived. */
    record Arrival(long nanos, String what, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_PASSED_ON = Set.of("content-length", "transfer-encoding", "connection",
            "date", "server", "keep-alive");

    private final DashboardServer upstream;
    private final Refusal refusal;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Javalin app;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile long spentUntilNanos = System.nanoTime();
    private volatile String refusedSubscriptions = "";
    private final AtomicInteger subscriptionRefusals = new AtomicInteger();
    private volatile int subscriptionRetryAfter;
    private volatile boolean holdConnectionInit;

    /**
     * Starts on a free port.
     *
     * @param upstream the real server
     * @param refusal how a refusal over HTTP says how long to wait
     * @param webSocket whether {@code /graphql} upgrades are relayed (else they fail and the dashboard polls)
     */
    RateLimitingFront(DashboardServer upstream, Refusal refusal, boolean webSocket) {
        this.upstream = upstream;
        this.refusal = refusal;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/", this::passOn);
            config.routes.get("/assets/<path>", this::passOn);
            config.routes.post("/graphql", this::graphql);
            if (webSocket) {
                config.routes.ws("/graphql", ws -> {
                    ws.onConnect(this::connect);
                    ws.onMessage(this::message);
                    ws.onClose(this::closed);
                });
            }
        }).start("127.0.0.1", 0);
    }

    /** @return the dashboard's URL, through this front */
    String url() {
        return "http://127.0.0.1:" + app.port() + "/";
    }

    /**
     * The caller's budget is spent from now on for this long: GraphQL requests over HTTP are refused until then.
     *
     * @param time how long
     * @return when it holds again, in {@link System#nanoTime()}
     */
    long spendFor(Duration time) {
        spentUntilNanos = System.nanoTime() + time.toNanos();
        return spentUntilNanos;
    }

    /**
     * Refuses the next subscriptions whose ids start with this prefix, asking to wait so long.
     *
     * @param idPrefix e.g. {@code summary:}
     * @param times how many to refuse
     * @param retryAfterSeconds what the refusal asks
     */
    void refuseSubscriptions(String idPrefix, int times, int retryAfterSeconds) {
        subscriptionRetryAfter = retryAfterSeconds;
        subscriptionRefusals.set(times);
        refusedSubscriptions = idPrefix;
    }

    /**
     * Closes every browser WebSocket open now (and its relay to the real server).
     *
     * @param code the close code the browser gets, e.g. 1001 (going away) or 1011 (server error)
     * @param reason its reason
     */
    void closeWebSockets(int code, String reason) {
        for (Session session : sessions.values()) {
            session.browser.closeSession(code, reason);
        }
    }

    /**
     * While on, {@code connection_init} is not passed on: a socket opens and is never acknowledged (its arrival is
     * noted with status 0).
     *
     * @param hold whether to hold it
     */
    void holdConnectionInit(boolean hold) {
        holdConnectionInit = hold;
    }

    /** @return the GraphQL requests and subscriptions that arrived so far, oldest first */
    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    private void arrived(String what, int status) {
        synchronized (arrivals) {
            arrivals.add(new Arrival(System.nanoTime(), what, status));
        }
    }

    private void graphql(Context ctx) throws IOException, InterruptedException {
        long left = spentUntilNanos - System.nanoTime();
        if (left <= 0) {
            arrived("query", 200);
            passOn(ctx);
            return;
        }
        long seconds = Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
        int status = refusal == Refusal.BUSY ? 503 : 429;
        arrived("query", status);
        switch (refusal) {
            case SECONDS, BUSY -> ctx.header("Retry-After", Long.toString(seconds));
            case HTTP_DATE -> ctx.header("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                    .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(seconds)));
            case BODY_ONLY -> {
                // the error's extensions say it
            }
            default -> throw new IllegalStateException(refusal.name());
        }
        Object error = refusal == Refusal.BUSY
                ? Map.of("message", "The server is busy: every execution thread is taken and the queue is full; try "
                        + "again shortly", "extensions", Map.of("classification", "BUSY"))
                : rateLimited(seconds);
        ctx.status(status).contentType("application/json; charset=utf-8").header("Cache-Control", "no-store")
                .result(JSON.writeValueAsString(Map.of("errors", List.of(error))));
    }

    /** A RATE_LIMITED error as dagscope words it. */
    private static Map<String, Object> rateLimited(long seconds) {
        return Map.of("message", "Rate budget spent: this query's estimated cost is 600 and address 127.0.0.1 has 0 of "
                + "its 1,000 left; it refills at 100 per second (dagscope serve --caller-cost-per-second, "
                + "--caller-burst-cost). Retry after " + seconds + " s, or ask for less.",
                "extensions", Map.of("budget", "rate", "cost", 600, "classification", "RATE_LIMITED",
                        "retryAfterSeconds", seconds));
    }

    /** Passes a request on to the real server and its answer back. */
    private void passOn(Context ctx) throws IOException, InterruptedException {
        String query = ctx.queryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port()
                + ctx.path() + (query == null ? "" : "?" + query)));
        for (String name : List.of("Content-Type", "Accept", "Authorization")) {
            String value = ctx.header(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        request.method(ctx.method().name(), "POST".equals(ctx.method().name())
                ? HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()) : HttpRequest.BodyPublishers.noBody());
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!NOT_PASSED_ON.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> ctx.res().addHeader(name, value));
            }
        });
        ctx.status(response.statusCode()).result(response.body());
    }

    private void connect(WsConnectContext ctx) {
        Session session = new Session(ctx);
        session.relay = http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .buildAsync(URI.create("ws://127.0.0.1:" + upstream.port() + "/graphql"), session).join();
        sessions.put(ctx.sessionId(), session);
    }

    private void message(WsMessageContext ctx) throws IOException {
        Session session = sessions.get(ctx.sessionId());
        JsonNode message = JSON.readTree(ctx.message());
        String id = message.path("id").asText("");
        if ("connection_init".equals(message.path("type").asText())) {
            boolean held = holdConnectionInit;
            arrived("connection_init", held ? 0 : 200);
            if (held) {
                return;
            }
        }
        if ("subscribe".equals(message.path("type").asText())) {
            String prefix = refusedSubscriptions;
            if (!prefix.isEmpty() && id.startsWith(prefix) && subscriptionRefusals.getAndDecrement() > 0) {
                arrived("subscribe " + id, 429);
                session.send(JSON.writeValueAsString(Map.of("id", id, "type", "error", "payload",
                        List.of(rateLimited(subscriptionRetryAfter)))));
                return;
            }
            arrived("subscribe " + id, 200);
        }
        session.relay.sendText(ctx.message(), true).join();
    }

    private void closed(WsCloseContext ctx) {
        Session session = sessions.remove(ctx.sessionId());
        if (session != null) {
            session.relay.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }

    /** A browser's WebSocket and its relay to the real server, whose messages it passes on to the browser. */
    private static final class Session implements WebSocket.Listener {
        private final WsContext browser;
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket relay;

        Session(WsContext browser) {
            this.browser = browser;
        }

        synchronized void send(String text) {
            if (browser.session.isOpen()) {
                browser.send(text);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                send(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            browser.closeSession(statusCode, reason);
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(s -> s.relay.abort());
        app.stop();
    }
}
