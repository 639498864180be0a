package io.dagscope.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client speaking graphql-transport-ws to the server under test. */
final class Ws implements AutoCloseable {

    private final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    Ws(int port, String origin) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("graphql-transport-ws").connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), new Listener()).join();
    }

    Ws(int port) {
        this(port, null);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(Http.JSON.readValue(partial.toString(), new TypeReference<>() {
                    }));
                } catch (IOException e) {
                    messages.add(Map.of("type", "unparseable", "text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(Map<String, Object> message) {
        try {
            socket.sendText(Http.JSON.writeValueAsString(message), true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not send " + message, e);
        }
    }

    void init(Map<String, Object> payload) {
        send(payload == null ? Map.of("type", "connection_init") : Map.of("type", "connection_init", "payload",
                payload));
    }

    void subscribe(String id, String query) {
        send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", query)));
    }

    /** The next message, within the timeout; fails if none comes. */
    Map<String, Object> next(Duration timeout) {
        try {
            Map<String, Object> m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout);
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message if one comes within the timeout, else null. */
    Map<String, Object> poll(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int awaitClose(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
