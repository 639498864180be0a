package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagscope.server.config.Args;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode query(HttpClient client, String base, String query) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("data");
    }

    @Test
    void theDemoGeneratesServesAndKeepsAppendingEventsLive() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        DemoCommand demo = new DemoCommand(stop);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
                SourceFactories.discover(getClass().getClassLoader()));
        Path logs = dir.resolve("demo");
        Args args = Args.parse("demo", new String[] {"--port", "0", "--dir", logs.toString(), "--days", "0.1",
            "--rate", "3000"}, demo.flags());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = thread.submit(() -> demo.run(args, io));
            Matcher port = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!port.reset(err.toString(StandardCharsets.UTF_8)).find() && System.nanoTime() < deadline) {
                assertTrue(!status.isDone(), "demo ended early: " + err);
                Thread.sleep(100);
            }
            String base = "http://127.0.0.1:" + port.group(1);
            HttpClient client = HttpClient.newHttpClient();
            JsonNode first = query(client, base, "{ schedules { id } dagRuns(first: 0) { totalCount } "
                    + "sources { eventsRead healthy } }");
            assertTrue(first.get("schedules").size() > 0, "the generated schedules are defined");
            assertTrue(first.at("/sources/0/healthy").asBoolean() && first.at("/sources/1/healthy").asBoolean());
            long events = first.at("/sources/0/eventsRead").asLong() + first.at("/sources/1/eventsRead").asLong();
            assertTrue(Files.size(logs.resolve("orchestrator_events.jsonl")) > 0);
            long later = events;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (later <= events && System.nanoTime() < until) {
                Thread.sleep(500);
                JsonNode now = query(client, base, "{ sources { eventsRead } }");
                later = now.at("/sources/0/eventsRead").asLong() + now.at("/sources/1/eventsRead").asLong();
            }
            assertTrue(later > events, "new events arrive while the demo runs: " + events + " then " + later);
            stop.countDown();
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
        } finally {
            stop.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void aFolderThatIsNotEmptyIsRefused() throws Exception {
        Files.writeString(dir.resolve("something"), "x");
        Io io = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err, Map.of(),
                SourceFactories.discover(getClass().getClassLoader()));
        DemoCommand demo = new DemoCommand(new CountDownLatch(0));
        try {
            demo.run(Args.parse("demo", new String[] {"--dir", dir.toString()}, demo.flags()), io);
            throw new AssertionError("expected a usage error");
        } catch (io.dagscope.server.config.UsageException e) {
            assertTrue(e.getMessage().contains("--dir") && e.getMessage().contains("not empty"), e.getMessage());
        }
    }
}
