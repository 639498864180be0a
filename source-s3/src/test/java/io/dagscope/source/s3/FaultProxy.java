package io.dagscope.source.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy on loopback in front of a store, which injects the faults a real S3 endpoint shows: every Nth
 * request answered with {@code 503 SlowDown} (or another status) instead of being forwarded, and GET bodies cut
 * short after some bytes, the first time each object is fetched. Requests are forwarded byte for byte (the
 * {@code Host} header included, so SigV4 signatures still match), one per connection.
 */
final class FaultProxy implements AutoCloseable {

    private final int upstreamPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final Set<String> cutOnce = new HashSet<>();
    private volatile int failEvery;
    private volatile int failStatus = 503;
    private volatile String failCode = "SlowDown";
    private volatile long cutGetBodiesAfter = -1;
    private volatile boolean closed;

    /**
     * @param upstream the store's endpoint ({@code http://127.0.0.1:PORT})
     * @throws IOException if no port can be had
     */
    FaultProxy(URI upstream) throws IOException {
        this.upstreamPort = upstream.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the proxy's endpoint */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * Answers every {@code n}th request with an error instead of forwarding it.
     *
     * @param n the period, or 0 for none
     * @param status the HTTP status, e.g. 503
     * @param code the S3 error code, e.g. {@code SlowDown} or {@code InternalError}
     * @return this proxy
     */
    FaultProxy failEvery(int n, int status, String code) {
        this.failStatus = status;
        this.failCode = code;
        this.failEvery = n;
        return this;
    }

    /**
     * Cuts the body of the first GET of each object after some bytes (the connection is closed there).
     *
     * @param bytes how many body bytes get through, or -1 for none cut
     * @return this proxy
     */
    FaultProxy cutFirstGetOfEachObjectAfter(long bytes) {
        this.cutGetBodiesAfter = bytes;
        return this;
    }

    /** @return requests received */
    int requests() {
        return requests.get();
    }

    /** @return requests answered with an injected error */
    int injectedErrors() {
        return injected.get();
    }

    /** @return bodies cut short */
    int cutBodies() {
        return cut.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            List<String> lines = new ArrayList<>(List.of(headText.split("\r\n")));
            String requestLine = lines.get(0);
            long contentLength = 0;
            List<String> forwarded = new ArrayList<>();
            forwarded.add(requestLine);
            for (String h : lines.subList(1, lines.size())) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("connection:")) {
                    continue;
                }
                if (lower.startsWith("content-length:")) {
                    contentLength = Long.parseLong(h.substring(h.indexOf(':') + 1).strip());
                }
                forwarded.add(h);
            }
            forwarded.add("Connection: close");
            byte[] body = in.readNBytes((int) contentLength);
            int n = requests.incrementAndGet();
            OutputStream out = client.getOutputStream();
            int every = failEvery;
            if (every > 0 && n % every == 0) {
                injected.incrementAndGet();
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + failCode
                        + "</Code><Message>injected by the test</Message><RequestId>fault-" + n
                        + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + failStatus + " Injected\r\nContent-Type: application/xml\r\n"
                        + "Content-Length: " + xml.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(xml);
                out.flush();
                return;
            }
            long cutAfter = -1;
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("GET") && !parts[1].contains("list-type") && cutGetBodiesAfter >= 0) {
                String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
                synchronized (cutOnce) {
                    if (cutOnce.add(path)) {
                        cutAfter = cutGetBodiesAfter;
                    }
                }
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                OutputStream up = upstream.getOutputStream();
                up.write((String.join("\r\n", forwarded) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                up.write(body);
                up.flush();
                InputStream down = upstream.getInputStream();
                byte[] responseHead = readHead(down);
                if (responseHead == null) {
                    return;
                }
                out.write(responseHead);
                byte[] buf = new byte[8192];
                long sent = 0;
                int r;
                while ((r = down.read(buf)) >= 0) {
                    if (cutAfter >= 0 && sent + r > cutAfter) {
                        out.write(buf, 0, (int) (cutAfter - sent));
                        out.flush();
                        cut.incrementAndGet();
                        return;
                    }
                    out.write(buf, 0, r);
                    sent += r;
                }
                out.flush();
            }
        } catch (IOException e) {
            // a client that went away: nothing to do
        }
    }

    /** Reads up to and including the blank line that ends an HTTP head; null if the stream ends first. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                case 3 -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }

    /** @return the proxy's address, for messages */
    @Override
    public String toString() {
        return "FaultProxy[" + new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()) + "]";
    }
}
