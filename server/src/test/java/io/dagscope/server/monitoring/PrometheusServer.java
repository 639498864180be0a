package io.dagscope.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's binary) for a test: its own storage in a temporary folder, a free loopback port, a
 * one-second scrape and evaluation interval, one scrape job named {@code dagscope} and the shipped rules.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * Starts Prometheus and waits (a minute at most) until it is ready.
     *
     * @param dir a folder of its own, for its configuration, storage and output
     * @param target the {@code host:port} to scrape as job {@code dagscope}
     * @return the running server
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static PrometheusServer start(Path dir, String target) throws IOException, InterruptedException {
        Path binary = PrometheusTools.require(PrometheusTools.PROMETHEUS);
        Files.createDirectories(dir);
        Path rules = Files.copy(PrometheusTools.DEPLOY.resolve("prometheus").resolve("alerts.yml"),
                dir.resolve("alerts.yml"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}",
                "rule_files: ['" + rules.toAbsolutePath() + "']",
                "scrape_configs:",
                "  - job_name: dagscope",
                "    static_configs: [{targets: ['" + target + "']}]", ""), StandardCharsets.UTF_8);
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("Prometheus did not get ready: " + server.log());
            }
            Thread.sleep(200);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean ready() throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return what Prometheus printed so far */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * A GET of Prometheus's HTTP API.
     *
     * @param pathAndQuery e.g. {@code /api/v1/alerts}
     * @return the answer's JSON, whatever its status
     * @throws IOException if the request fails
     * @throws InterruptedException if interrupted
     */
    public JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * An instant query, now.
     *
     * @param promql the expression
     * @return the answer's JSON ({@code status}, {@code data.result} or {@code error})
     * @throws IOException if the request fails
     * @throws InterruptedException if interrupted
     */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** Stops Prometheus and waits for it to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
