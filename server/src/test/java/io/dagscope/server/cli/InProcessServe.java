package io.dagscope.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagscope.server.config.Args;
import io.dagscope.server.snapshots.Served;
import io.dagscope.spi.SourceFactories;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code dagscope serve} running in this JVM, stopped as SIGTERM stops it (its stop latch), on a free port. */
final class InProcessServe implements AutoCloseable {
    final CountDownLatch stop = new CountDownLatch(1);
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Future<Integer> status;
    final int port;

    InProcessServe(String... argv) throws Exception {
        ServeCommand serve = new ServeCommand(stop);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
                SourceFactories.discover(getClass().getClassLoader()));
        Args args = Args.parse("serve", argv, serve.flags());
        status = thread.submit(() -> serve.run(args, io));
        Matcher m = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)").matcher("");
        Served.await(Duration.ofSeconds(120), () -> m.reset(log()).find() || status.isDone(),
                () -> "the server to listen: " + log());
        assertTrue(!status.isDone(), () -> "serve ended early: " + log());
        port = Integer.parseInt(m.group(1));
    }

    String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void stopCleanly() throws Exception {
        stop.countDown();
        assertEquals(0, status.get(120, TimeUnit.SECONDS), log());
    }

    @Override
    public void close() {
        stop.countDown();
        thread.shutdownNow();
    }
}
