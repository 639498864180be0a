package io.dagscope.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.validation.ValidationError;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsErrorContext;
import io.javalin.websocket.WsMessageContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL over WebSocket on {@code /graphql}, with the {@code graphql-transport-ws} protocol: {@code connection_init}
 * (with the token in its payload when auth is on: {@code {"Authorization": "Bearer ..."}} or {@code {"token": ...}})
 * and {@code connection_ack}, {@code ping}/{@code pong}, {@code subscribe}, {@code next}, {@code error} and
 * {@code complete}. A subscription's selection is run as the equivalent query (the {@code Subscription} type mirrors
 * {@code Query}), by {@link SubscriptionHub}; a query sent with {@code subscribe} is answered once, then completed.
 *
 * <p>Close codes: 4400 a message this protocol does not allow, 4401 no valid token or a subscribe before the
 * acknowledgement, 4408 no {@code connection_init} within ten seconds, 4409 a subscription id already in use, 4429 a
 * second {@code connection_init}.
 */
final class SubscriptionSocket {

    /** The only subprotocol spoken. */
    static final String PROTOCOL = "graphql-transport-ws";
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
    /** Open WebSockets at most; an upgrade beyond gets 503. */
    static final int MAX_CONNECTIONS = 512;
    /** The longest subscription id. */
    static final int MAX_ID_CHARS = 64;
    /** What one connection's subscriptions may hold: their ids, documents and variables, in characters. */
    static final int MAX_KEPT_CHARS_PER_CONNECTION = 128 * 1024;
    /**
     * Messages waiting to be written, over every connection: past this, the connection with the most waiting (a
     * client that reads slowly or not at all) is disconnected.
     */
    static final long MAX_WAITING_CHARS = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSocket.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final GraphQlService service;
    private final SubscriptionHub hub;
    private final Authenticator authenticator;
    private final Access access;
    private final ServerMetrics metrics;
    private final boolean accessLog;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong waiting = new AtomicLong();

    /** One socket's state. */
    private final class Connection {
        private final WsContext ctx;
        private final Map<String, SubscriptionHub.Subscription> subscriptions = new ConcurrentHashMap<>();
        private final Map<String, Integer> kept = new ConcurrentHashMap<>();
        private final AtomicLong waitingHere = new AtomicLong();
        private volatile boolean initialised;
        private volatile Caller caller;
        private volatile String budgetKey;
        private volatile ScheduledFuture<?> initTimeout;

        Connection(WsContext ctx) {
            this.ctx = ctx;
        }

        /** Sends a message, counted as waiting until it is written (or fails to be). */
        synchronized void send(String text) {
            if (!ctx.session.isOpen()) {
                return;
            }
            long chars = text.length();
            waitingHere.addAndGet(chars);
            boolean over = waiting.addAndGet(chars) > MAX_WAITING_CHARS;
            ctx.session.sendText(text, Callback.from(() -> written(chars), failure -> written(chars)));
            if (over) {
                disconnectSlowest();
            }
        }

        private void written(long chars) {
            waitingHere.addAndGet(-chars);
            waiting.addAndGet(-chars);
        }

        void close(int code, String reason) {
            ctx.closeSession(code, reason);
        }

        int keptChars() {
            return kept.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * @param access whose budgets a socket's executions are charged to
     * @param accessLog whether connections and subscriptions are logged ({@code --access-log}): without it a caller
     *     writes no line to the log, whatever it does over a socket
     */
    SubscriptionSocket(GraphQlService service, SubscriptionHub hub, Authenticator authenticator, Access access,
            ServerMetrics metrics, boolean accessLog) {
        this.service = service;
        this.hub = hub;
        this.authenticator = authenticator;
        this.access = access;
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    private void access(String line) {
        if (accessLog) {
            LOG.info(line);
        }
    }

    /** @return how many WebSockets are open */
    int connectionCount() {
        return connections.size();
    }

    /** @return the characters of messages waiting to be written, over every connection */
    long waitingChars() {
        return waiting.get();
    }

    private void disconnectSlowest() {
        connections.values().stream().max(Comparator.comparingLong(c -> c.waitingHere.get()))
                .filter(c -> c.waitingHere.get() > 0 && c.ctx.session.isOpen()).ifPresent(c -> {
                    access("websocket: disconnected a client that does not read its messages ("
                            + c.waitingHere.get() + " characters waiting)");
                    c.ctx.session.disconnect();
                });
    }

    void onConnect(WsConnectContext ctx) {
        if (connections.size() >= MAX_CONNECTIONS) { // the upgrade was checked; this catches a race between two
            ctx.closeSession(1013, "Too many connections; try again later");
            return;
        }
        Connection connection = new Connection(ctx);
        connections.put(ctx.sessionId(), connection);
        metrics.connectionsChanged(1);
        ctx.enableAutomaticPings(20, TimeUnit.SECONDS);
        connection.initTimeout = hub.schedule(() -> {
            if (!connection.initialised) {
                connection.close(4408, "Connection initialisation timeout");
            }
        }, INIT_TIMEOUT);
    }

    void onMessage(WsMessageContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(ctx.message());
        } catch (JacksonException e) {
            connection.close(4400, "Invalid message received: not JSON");
            return;
        }
        String type = message != null && message.path("type").isTextual() ? message.get("type").asText() : "";
        switch (type) {
            case "connection_init" -> init(connection, message.get("payload"));
            case "ping" -> connection.send(message(null, "pong").toString());
            case "pong" -> {
                // a reply to a ping: nothing to do
            }
            case "subscribe" -> subscribe(connection, message);
            case "complete" -> complete(connection, message.path("id").asText(""));
            default -> connection.close(4400, "Invalid message received: unknown type");
        }
    }

    void onClose(WsCloseContext ctx) {
        end(ctx.sessionId());
    }

    void onError(WsErrorContext ctx) {
        end(ctx.sessionId());
    }

    private void end(String sessionId) {
        Connection connection = connections.remove(sessionId);
        if (connection == null) {
            return;
        }
        metrics.connectionsChanged(-1);
        if (connection.caller != null) {
            access("websocket: closed caller=" + connection.caller.name());
        }
        ScheduledFuture<?> timeout = connection.initTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        connection.subscriptions.values().forEach(hub::remove);
        connection.subscriptions.clear();
        connection.kept.clear();
    }

    private void init(Connection connection, JsonNode payload) {
        if (connection.initialised) {
            connection.close(4429, "Too many initialisation requests");
            return;
        }
        Optional<Caller> caller = authenticator.authenticate(token(payload));
        if (caller.isEmpty()) {
            access("websocket: refused a connection without a valid token");
            connection.close(4401, "Unauthorized");
            return;
        }
        connection.caller = caller.get();
        connection.budgetKey = access.budgetKey(caller.get(), remoteAddress(connection.ctx),
                connection.ctx.header("X-Forwarded-For"));
        connection.initialised = true;
        access("websocket: connected caller=" + caller.get().name());
        connection.send(message(null, "connection_ack").toString());
    }

    private static String remoteAddress(WsContext ctx) {
        return ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress address
                ? address.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
    }

    private static String token(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return null;
        }
        for (String key : List.of("Authorization", "authorization")) {
            if (payload.path(key).isTextual()) {
                return Authenticator.bearerToken(payload.get(key).asText());
            }
        }
        return payload.path("token").isTextual() ? payload.get("token").asText() : null;
    }

    private void subscribe(Connection connection, JsonNode message) {
        if (!connection.initialised) {
            connection.close(4401, "Unauthorized");
            return;
        }
        String id = message.path("id").isTextual() ? message.get("id").asText() : "";
        JsonNode payload = message.get("payload");
        if (id.isEmpty() || payload == null || !payload.isObject() || !payload.path("query").isTextual()) {
            connection.close(4400, "Invalid message received: subscribe needs an id and a payload with a query");
            return;
        }
        if (id.length() > MAX_ID_CHARS) {
            connection.close(4400, "Invalid message received: an id is at most " + MAX_ID_CHARS + " characters");
            return;
        }
        if (connection.subscriptions.containsKey(id)) {
            String reason = "Subscriber for " + id + " already exists";
            connection.close(4409, reason.getBytes(StandardCharsets.UTF_8).length <= 123 ? reason
                    : "Subscriber for that id already exists"); // a close reason holds 123 bytes
            return;
        }
        if (connection.subscriptions.size() >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            sendError(connection, id, List.of(Map.of("message", "At most " + MAX_SUBSCRIPTIONS_PER_CONNECTION
                    + " subscriptions per connection")));
            return;
        }
        Map<String, Object> variables;
        JsonNode vars = payload.get("variables");
        if (vars == null || vars.isNull()) {
            variables = Map.of();
        } else if (vars.isObject()) {
            variables = JSON.convertValue(vars, OBJECT);
        } else {
            sendError(connection, id, List.of(Map.of("message", "\"variables\" must be a JSON object")));
            return;
        }
        String operationName = payload.path("operationName").isTextual() ? payload.get("operationName").asText()
                : null;
        String query = payload.get("query").asText();

        Document document;
        try {
            document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment().document(query)
                    .parserOptions(service.parserOptions()).build());
        } catch (InvalidSyntaxException e) {
            sendError(connection, id, List.of(e.toInvalidSyntaxError().toSpecification()));
            return;
        }
        List<ValidationError> invalid = ParseAndValidate.validate(service.schema(), document);
        if (!invalid.isEmpty()) {
            sendError(connection, id, invalid.stream().map(GraphQLError::toSpecification).toList());
            return;
        }
        OperationDefinition operation;
        try {
            operation = NodeUtil.getOperation(document, operationName).operationDefinition;
        } catch (RuntimeException e) {
            sendError(connection, id, List.of(Map.of("message", String.valueOf(e.getMessage()))));
            return;
        }
        Caller caller = connection.caller;
        if (operation.getOperation() != OperationDefinition.Operation.SUBSCRIPTION) {
            Answer answer = service.execute(new GraphQlRequest(query, variables, operationName), caller,
                    connection.budgetKey, "websocket");
            if (answer.outcome().refused()) {
                sendError(connection, id, errors(answer));
                return;
            }
            sendNext(connection, id, answer);
            connection.send(message(id, "complete").toString());
            return;
        }
        String kept = asQuery(document, operation);
        int chars = id.length() + kept.length() + (vars == null ? 0 : vars.toString().length());
        if (connection.keptChars() + chars > MAX_KEPT_CHARS_PER_CONNECTION) {
            sendError(connection, id, List.of(Map.of("message", "The subscriptions of one connection may hold at most "
                    + MAX_KEPT_CHARS_PER_CONNECTION + " characters of ids, documents and variables; complete some "
                    + "first, or send the query over HTTP")));
            return;
        }
        GraphQlRequest asQuery = new GraphQlRequest(kept, variables, operationName);
        SubscriptionHub.Subscription subscription = new SubscriptionHub.Subscription(asQuery, caller,
                connection.budgetKey, new SubscriptionHub.Sink() {
                    @Override
                    public void next(Answer answer) {
                        sendNext(connection, id, answer);
                    }

                    @Override
                    public void fail(Answer answer) {
                        connection.subscriptions.remove(id);
                        connection.kept.remove(id);
                        sendError(connection, id, errors(answer));
                    }
                });
        connection.subscriptions.put(id, subscription);
        connection.kept.put(id, chars);
        hub.add(subscription);
        access("websocket: subscription started operation=" + metrics.operationLabel(operation.getName())
                + " caller=" + caller.name());
    }

    /**
     * The same document with the chosen subscription turned into a query: {@code Subscription} mirrors {@code Query}
     * field for field, so the selection means the same there.
     */
    @SuppressWarnings("rawtypes") // graphql-java's Document.Builder takes a List of raw Definition
    static String asQuery(Document document, OperationDefinition subscription) {
        List<graphql.language.Definition> definitions = new ArrayList<>();
        for (graphql.language.Definition<?> d : document.getDefinitions()) {
            definitions.add(d == subscription
                    ? subscription.transform(b -> b.operation(OperationDefinition.Operation.QUERY)) : d);
        }
        return AstPrinter.printAstCompact(document.transform(b -> b.definitions(definitions)));
    }

    private void complete(Connection connection, String id) {
        SubscriptionHub.Subscription subscription = connection.subscriptions.remove(id);
        connection.kept.remove(id);
        if (subscription != null) {
            hub.remove(subscription);
        }
    }

    /**
     * @param id the operation's id, or null for a message about the connection
     * @param type the message's type
     * @return the message, to which a payload may be added
     */
    private static ObjectNode message(String id, String type) {
        ObjectNode message = JSON.createObjectNode();
        if (id != null) {
            message.put("id", id);
        }
        message.put("type", type);
        return message;
    }

    private static void sendNext(Connection connection, String id, Answer answer) {
        // the answer is JSON already, written once for every subscriber and the cache: put in as it is
        ObjectNode message = message(id, "next");
        message.putRawValue("payload", new RawValue(new String(answer.json(), StandardCharsets.UTF_8)));
        connection.send(message.toString());
    }

    private static void sendError(Connection connection, String id, List<?> errors) {
        ObjectNode message = message(id, "error");
        message.set("payload", JSON.valueToTree(errors));
        connection.send(message.toString());
    }

    private static List<?> errors(Answer answer) {
        try {
            JsonNode errors = JSON.readTree(answer.json()).path("errors");
            return JSON.convertValue(errors, List.class);
        } catch (java.io.IOException e) {
            return List.of(Map.of("message", "The subscription failed"));
        }
    }
}
