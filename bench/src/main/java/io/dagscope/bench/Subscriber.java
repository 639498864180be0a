package io.dagscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One dashboard live over a WebSocket ({@code graphql-transport-ws}, as {@code graphql.js} speaks it): it sends
 * {@code connection_init} with its token, then subscribes to each of the dashboard's operations for the default view
 * and keeps the connection open, counting the {@code next} messages (updates) it gets. If the server closes it, it
 * counts the close code and connects again a second later, until the soak ends.
 */
final class Subscriber implements Runnable {

    private final String name;
    private final HttpClient client;
    private final URI uri;
    private final String token;
    private final Map<String, String> operations;
    private final boolean admin;
    private final DashboardDocuments.View view;
    private final long stopAt;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong subscriptionsSent = new AtomicLong();
    private final Map<String, Long> updatesByOperation = new TreeMap<>();
    private final Map<String, Long> problems = new TreeMap<>();

    /**
     * @param name how the report names it
     * @param base the server's base URL
     * @param token its bearer token
     * @param operations the dashboard's operations
     * @param admin whether the token is an admin's ({@code Sources}; else {@code NewestRun})
     * @param defaultEnd the server's default window end
     * @param defaultHours the server's default window length
     * @param stopAt {@link System#nanoTime} when it stops
     */
    Subscriber(String name, String base, String token, Map<String, String> operations, boolean admin,
            Instant defaultEnd, double defaultHours, long stopAt) {
        this.name = name;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        this.uri = URI.create(base.replaceFirst("^http", "ws") + "/graphql");
        this.token = token;
        this.operations = Map.copyOf(operations);
        this.admin = admin;
        this.view = new DashboardDocuments.View(null, null, null, null, defaultEnd, defaultHours);
        this.stopAt = stopAt;
    }

    /**
     * What it saw.
     *
     * @param name the connection
     * @param subscriptions how many subscriptions it sent (over every connection it made)
     * @param updates {@code next} messages
     * @param updatesByOperation them by operation
     * @param connects how many times it connected (1 when never dropped)
     * @param problems close codes, {@code error} messages and failed connections, by kind
     */
    record Result(String name, long subscriptions, long updates, Map<String, Long> updatesByOperation, long connects,
            Map<String, Long> problems) {
    }

    synchronized Result result() {
        if (updates.get() == 0) {
            problems.put("no update in the whole run", 1L);
        }
        return new Result(name, subscriptionsSent.get(), updates.get(), new TreeMap<>(updatesByOperation), connects.get(),
                new TreeMap<>(problems));
    }

    private List<String> subscribed() {
        List<String> ops = new ArrayList<>();
        for (String op : operations.keySet()) {
            if (!op.equals("Run") && !(op.equals("Sources") && !admin) && !(op.equals("NewestRun") && admin)) {
                ops.add(op);
            }
        }
        ops.sort(null);
        return ops;
    }

    private synchronized void problem(String kind) {
        problems.merge(kind, 1L, Long::sum);
    }

    @Override
    public void run() {
        try {
            while (System.nanoTime() < stopAt) {
                Connection c = new Connection();
                connects.incrementAndGet();
                WebSocket ws;
                try {
                    ws = client.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                            .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, c).get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    problem("connect failed: " + Handshakes.why(e));
                    TimeUnit.SECONDS.sleep(1);
                    continue;
                }
                Map<String, Object> init = new LinkedHashMap<>();
                init.put("type", "connection_init");
                init.put("payload", Map.of("Authorization", "Bearer " + token));
                c.send(ws, init, false);
                while (System.nanoTime() < stopAt && !c.closed) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                if (!c.closed) {
                    c.close(ws).get(5, TimeUnit.SECONDS);
                    return;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            problem("close failed: " + Handshakes.why(e));
        }
    }

    /** The listener of one connection. */
    private final class Connection implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final Map<String, String> operationById = new LinkedHashMap<>();
        private volatile boolean closed;
        private CompletableFuture<Object> lastSend = CompletableFuture.completedFuture(null);

        /**
         * Sends a message after the previous one has gone: a WebSocket takes one send at a time (a second one while
         * the first is outstanding fails), which a loaded machine makes likely when the subscriptions follow the
         * acknowledgement at once.
         */
        synchronized void send(WebSocket ws, Map<String, Object> message, boolean subscribe) {
            String text;
            try {
                text = Workers.JSON.writeValueAsString(message);
            } catch (IOException e) {
                problem("message not written: " + e.getClass().getSimpleName());
                return;
            }
            lastSend = lastSend.thenCompose(x -> ws.sendText(text, true)).handle((x, failure) -> {
                if (failure != null) {
                    problem("send failed: " + Handshakes.why(failure));
                } else if (subscribe) {
                    subscriptionsSent.incrementAndGet();
                }
                return null;
            });
        }

        /** Closes the connection once what was sent before has gone. */
        synchronized CompletableFuture<Object> close(WebSocket ws) {
            lastSend = lastSend.thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "soak over"))
                    .thenApply(x -> null);
            return lastSend;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onMessage(ws, partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void onMessage(WebSocket ws, String text) {
            JsonNode m;
            try {
                m = Workers.JSON.readTree(text);
            } catch (IOException e) {
                problem("message not JSON");
                return;
            }
            switch (m.path("type").asText()) {
                case "connection_ack" -> {
                    int id = 0;
                    for (String op : subscribed()) {
                        String sid = Integer.toString(++id);
                        operationById.put(sid, op);
                        Map<String, Object> payload = new LinkedHashMap<>();
                        payload.put("query", "subscription " + operations.get(op));
                        payload.put("variables", DashboardDocuments.variables(op, view));
                        Map<String, Object> subscribe = new LinkedHashMap<>();
                        subscribe.put("id", sid);
                        subscribe.put("type", "subscribe");
                        subscribe.put("payload", payload);
                        send(ws, subscribe, true);
                    }
                }
                case "next" -> {
                    updates.incrementAndGet();
                    String op = operationById.getOrDefault(m.path("id").asText(), "?");
                    synchronized (Subscriber.this) {
                        updatesByOperation.merge(op, 1L, Long::sum);
                    }
                    for (String kind : GraphQlHttp.errorKinds(200, m.path("payload"))) {
                        problem(kind + " in next");
                    }
                }
                case "error" -> problem("error message");
                case "complete" -> problem("completed by the server");
                case "ping" -> send(ws, Map.of("type", "pong"), false);
                case "pong" -> {
                    // an answer to a ping: nothing to do
                }
                default -> problem("unexpected message " + m.path("type").asText());
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (System.nanoTime() < stopAt) {
                problem("closed by the server " + statusCode);
            }
            closed = true;
            ws.abort();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (System.nanoTime() < stopAt) {
                problem("failed: " + error.getClass().getSimpleName());
            }
            closed = true;
        }
    }
}
