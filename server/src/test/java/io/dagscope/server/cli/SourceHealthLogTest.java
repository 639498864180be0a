package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that fails while {@code dagscope serve} follows it (its file replaced by a directory) says so in the log
 * once, with the reason, however many polls find it failing; and once more when it reads again.
 */
class SourceHealthLogTest {

    private static final Path SAMPLES = Path.of("..", "fixtures", "samples", "head");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpClient client;
    private String base;

    private String log() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 60 s for " + what);
            Thread.sleep(50);
        }
    }

    private long stateEventsRead() throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("dagscope_source_events_read_total\\{source=\"state\"} (\\d+)").matcher(metrics);
        assertTrue(m.find(), metrics);
        return Long.parseLong(m.group(1));
    }

    /** Appends a line to the other source and waits until it is read: proof that the sources were polled again. */
    private void pollsHappen(Path state, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            long before = stateEventsRead();
            String line = Files.readAllLines(SAMPLES.resolve("orchestrator_state.jsonl")).get(0)
                    .replaceFirst("\"job_id\": \"[^\"]+\"", "\"job_id\": \"" + java.util.UUID.randomUUID() + "\"");
            Files.writeString(state, line + "\n", StandardOpenOption.APPEND);
            await("the state log's new line read", () -> {
                try {
                    return stateEventsRead() > before;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aFileReplacedByADirectoryIsLoggedOnceWhileItFailsAndOnceWhenItReadsAgain() throws Exception {
        Path events = Files.copy(SAMPLES.resolve("orchestrator_events.jsonl"), dir.resolve("events.jsonl"));
        Path state = Files.copy(SAMPLES.resolve("orchestrator_state.jsonl"), dir.resolve("state.jsonl"));
        CountDownLatch stop = new CountDownLatch(1);
        ServeCommand serve = new ServeCommand(stop);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), errStream, Map.of(), SourceFactories.discover(getClass().getClassLoader()));
        Args args = Args.parse("serve", new String[] {"--events", events.toString(), "--state", state.toString(),
            "--port", "0"}, serve.flags());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = thread.submit(() -> serve.run(args, io));
            Matcher port = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
            await("the server to listen", () -> {
                assertTrue(!status.isDone(), "serve ended early: " + log());
                return port.reset(log()).find();
            });
            base = "http://127.0.0.1:" + port.group(1);
            client = HttpClient.newHttpClient();
            assertEquals(0, count(log(), "source events is"), log());

            Files.delete(events);
            Files.createDirectory(events);

            await("the failure logged", () -> log().contains("source events is unhealthy: "));
            pollsHappen(state, 3);
            String failing = log();
            assertEquals(1, count(failing, "source events is unhealthy: "), failing);
            String line = failing.lines().filter(l -> l.contains("source events is unhealthy: ")).findFirst()
                    .orElseThrow();
            assertTrue(line.contains(events.toString()) && line.contains("directory"), "the reason: " + line);

            Files.delete(events);
            Files.copy(SAMPLES.resolve("orchestrator_events.jsonl"), events);

            await("the recovery logged", () -> log().contains("source events is healthy again"));
            pollsHappen(state, 3);
            String recovered = log();
            assertEquals(1, count(recovered, "source events is unhealthy: "), recovered);
            assertEquals(1, count(recovered, "source events is healthy again"), recovered);
            assertEquals(0, count(recovered, "source state is"), "the healthy source says nothing: " + recovered);
            assertTrue(List.of(recovered.split("\n")).stream().noneMatch(l -> l.contains("reading the sources failed")),
                    recovered);

            stop.countDown();
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
        } finally {
            stop.countDown();
            thread.shutdownNow();
        }
    }
}
