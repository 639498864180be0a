package io.dagscope.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The abuser's other half: a steady stream of connections that do not behave, in turns: WebSocket handshakes that
 * never send {@code connection_init} (held open until the server closes them), handshakes dropped at once without a
 * close frame, handshakes from a foreign {@code Origin}, {@code connection_init} with a wrong token, and
 * {@code POST /graphql} with a wrong token. Each kind's outcomes are counted by what the server did (a status, a
 * close code), with the time it took.
 */
final class Handshakes implements Runnable {

    /** The kinds, in the order they take turns. */
    static final List<String> KINDS = List.of("ws never init", "ws dropped at once", "ws foreign Origin",
            "ws wrong token", "http wrong token");
    /** Sockets held open at most (never-init ones waiting for the server to close them), to bound the client. */
    static final int MAX_HELD = 2000;
    /** How long after the soak the never-init sockets still open are given to be closed by the server. */
    static final Duration HELD_GRACE = Duration.ofSeconds(15);
    private static final String FOREIGN_ORIGIN = "https://evil.example";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI ws;
    private final GraphQlHttp wrongToken;
    private final long intervalNanos;
    private final long soakStart;
    private final long stopAt;
    private final Map<String, CallerStats> byKind = new ConcurrentHashMap<>();
    private final Set<WebSocket> held = ConcurrentHashMap.newKeySet();

    /**
     * @param base the server's base URL
     * @param perSecond attempts a second, over every kind
     * @param soakStart {@link System#nanoTime} when the soak started
     * @param stopAt {@link System#nanoTime} when it stops
     */
    Handshakes(String base, double perSecond, long soakStart, long stopAt) {
        this.ws = URI.create(base.replaceFirst("^http", "ws") + "/graphql");
        this.wrongToken = new GraphQlHttp(base, "not-a-token-the-server-knows");
        this.intervalNanos = (long) (1e9 / perSecond);
        this.soakStart = soakStart;
        this.stopAt = stopAt;
        for (String k : KINDS) {
            byKind.put(k, new CallerStats(k));
        }
    }

    /** @return each kind's figures, in {@link #KINDS}' order; latency is to the server's refusal or handshake */
    List<CallerStats.Summary> results() {
        return KINDS.stream().map(k -> byKind.get(k).summary()).toList();
    }

    @Override
    public void run() {
        long due = System.nanoTime();
        try {
            for (int i = 0; ; i++) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (due >= stopAt || System.nanoTime() >= stopAt) {
                    break;
                }
                attempt(KINDS.get(i % KINDS.size()), due);
                due += intervalNanos;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            awaitServerCloses();
        }
    }

    /**
     * Gives the server its init timeout (10 s) and a little more to close the never-init sockets opened last; what is
     * still open then is counted, and aborted.
     */
    private void awaitServerCloses() {
        long deadline = System.nanoTime() + HELD_GRACE.toNanos();
        try {
            while (!held.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!held.isEmpty()) {
            byKind.get(KINDS.get(0)).error(held.size() + " sockets (never-init or wrong-token) still open " + HELD_GRACE.toSeconds()
                    + " s after the soak ended");
        }
        held.forEach(WebSocket::abort);
        held.clear();
    }

    private void attempt(String kind, long due) throws InterruptedException {
        CallerStats stats = byKind.get(kind);
        if (kind.equals("http wrong token")) {
            try {
                GraphQlHttp.Response r = wrongToken.post("{ tenants }", Map.of());
                stats.record(due - soakStart, System.nanoTime() - due, Integer.toString(r.status()));
                if (r.status() != 401) {
                    stats.error("HTTP " + r.status() + " to a wrong token");
                }
            } catch (IOException e) {
                String why = GraphQlHttp.failureKind(e);
                stats.record(due - soakStart, System.nanoTime() - due, why);
                stats.error(why);
            }
            return;
        }
        if (kind.equals("ws never init") && held.size() >= MAX_HELD) {
            stats.error("not tried: " + MAX_HELD + " held open already");
            return;
        }
        WebSocket.Builder b = client.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(10));
        if (kind.equals("ws foreign Origin")) {
            b.header("Origin", FOREIGN_ORIGIN);
        }
        Outcome listener = new Outcome(kind, stats, due);
        b.buildAsync(ws, listener).whenComplete((socket, failure) -> {
            if (failure != null) {
                String why = why(failure);
                stats.record(due - soakStart, System.nanoTime() - due, why);
                if (!why.startsWith("refused 403") || !kind.equals("ws foreign Origin")) {
                    stats.error(why);
                }
                return;
            }
            switch (kind) {
                case "ws dropped at once" -> {
                    stats.record(due - soakStart, System.nanoTime() - due, "upgraded, dropped");
                    socket.abort();
                }
                case "ws foreign Origin" -> {
                    stats.record(due - soakStart, System.nanoTime() - due, "upgraded");
                    stats.error("a foreign Origin was let in");
                    socket.abort();
                }
                case "ws wrong token" -> {
                    held.add(socket);
                    socket.sendText("{\"type\":\"connection_init\",\"payload\":"
                            + "{\"Authorization\":\"Bearer not-a-token-the-server-knows\"}}", true);
                }
                default -> held.add(socket);
            }
        });
    }

    /** How a failed connection is counted: {@code refused 403}, {@code timeout}, {@code connection refused}, ... */
    static String why(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof WebSocketHandshakeException h) {
            return "refused " + h.getResponse().statusCode();
        }
        if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof IOException && t.getCause() != null && t.getCause() != t) {
            return t.getClass().getSimpleName() + " (" + t.getCause().getClass().getSimpleName() + ")";
        }
        return t.getClass().getSimpleName();
    }

    /** Waits for the server's close of one socket and counts it. */
    private final class Outcome implements WebSocket.Listener {
        private final boolean waits;
        private final CallerStats stats;
        private final long due;

        /** Only the never-init and wrong-token sockets wait for the server; the others are aborted at once. */
        Outcome(String kind, CallerStats stats, long due) {
            this.waits = kind.equals("ws never init") || kind.equals("ws wrong token");
            this.stats = stats;
            this.due = due;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            String text = data.toString();
            int k = text.indexOf("\"type\"");
            stats.error("got a message" + (k < 0 ? "" : ": " + text.substring(k, Math.min(text.length(), k + 30))));
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            held.remove(socket);
            if (waits) {
                stats.record(due - soakStart, System.nanoTime() - due, "upgraded, closed " + statusCode);
            }
            socket.abort();
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (waits && (held.remove(socket) || System.nanoTime() < stopAt)) {
                stats.record(due - soakStart, System.nanoTime() - due, "upgraded, failed");
                stats.error("socket failed: " + why(error));
            }
        }
    }
}
