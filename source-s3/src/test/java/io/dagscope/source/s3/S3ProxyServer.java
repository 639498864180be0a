package io.dagscope.source.s3;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-protocol server for tests: S3Proxy on a random loopback port, in this JVM, over jclouds' in-memory
 * ("transient") or filesystem blob store. It can be stopped and started again on the same port with the same
 * objects, as a store that goes down and comes back.
 *
 * <p>{@link #main(String[])} runs one in a JVM of its own, for modules whose classpath must not hold S3Proxy's
 * Jetty: it prints {@code s3proxy-port=PORT} on stdout once it serves, and stops when its stdin closes.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The access key id S3Proxy accepts. */
    public static final String ACCESS_KEY = "dagscope-test-access";
    /** The secret key S3Proxy accepts. */
    public static final String SECRET_KEY = "dagscope-test-secret-7f3a";
    /** What the main method prints before the port. */
    public static final String PORT_LINE_PREFIX = "s3proxy-port=";

    private final BlobStoreContext context;
    private final BlobStore blobStore;
    private S3Proxy proxy;
    private int port;

    private S3ProxyServer(BlobStoreContext context) {
        this.context = context;
        this.blobStore = context.getBlobStore();
    }

    /**
     * Starts a server that keeps its objects in memory.
     *
     * @return the running server
     * @throws Exception if it cannot start
     */
    public static S3ProxyServer startInMemory() throws Exception {
        S3ProxyServer s = new S3ProxyServer(ContextBuilder.newBuilder("transient").credentials("identity",
                "credential").build(BlobStoreContext.class));
        s.start(0);
        return s;
    }

    /**
     * Starts a server that keeps its objects in a directory.
     *
     * @param dir the directory
     * @return the running server
     * @throws Exception if it cannot start
     */
    public static S3ProxyServer startOnFilesystem(Path dir) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toString());
        S3ProxyServer s = new S3ProxyServer(ContextBuilder.newBuilder("filesystem").credentials("identity",
                "credential").overrides(p).build(BlobStoreContext.class));
        s.start(0);
        return s;
    }

    private void start(int wantedPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        port = proxy.getPort();
    }

    /** @return the endpoint, {@code http://127.0.0.1:PORT} */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /**
     * Stops serving; the objects stay.
     *
     * @throws Exception if Jetty cannot stop
     */
    public void stop() throws Exception {
        proxy.stop();
    }

    /**
     * Serves again on the same port, with the same objects.
     *
     * @throws Exception if it cannot start
     */
    public void restart() throws Exception {
        start(port);
    }

    /** Stops serving and drops the objects. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            context.close();
        }
    }

    /**
     * Runs a server in this JVM until stdin closes.
     *
     * @param args none, or a directory to keep the objects in
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        try (S3ProxyServer server = args.length > 0 ? startOnFilesystem(Path.of(args[0])) : startInMemory()) {
            System.out.println(PORT_LINE_PREFIX + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // runs until the parent closes our stdin or dies
            }
        }
        System.exit(0);
    }
}
