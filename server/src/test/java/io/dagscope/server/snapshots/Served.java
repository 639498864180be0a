package io.dagscope.server.snapshots;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Talks to a running {@code dagscope serve} over HTTP, and waits for conditions with a deadline. */
public final class Served {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Served() {
    }

    /** POSTs a document and returns its {@code data}, failing on errors. */
    public static JsonNode graphql(int port, String document) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", document))))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || body.has("errors")) {
            throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        }
        return body.get("data");
    }

    /** @return every source's events read, summed */
    public static long eventsRead(int port) throws IOException, InterruptedException {
        long n = 0;
        for (JsonNode s : graphql(port, "{ sources { eventsRead } }").get("sources")) {
            n += s.get("eventsRead").asLong();
        }
        return n;
    }

    /** @return a counter or gauge of {@code /metrics}, or -1 when it is not there */
    public static double metric(int port, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    /** Waits until a condition holds, failing with a description after the deadline. */
    public static void await(Duration deadline, BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, () -> "waited " + deadline.toSeconds() + " s for: " + what.get());
            Thread.sleep(20);
        }
    }
}
