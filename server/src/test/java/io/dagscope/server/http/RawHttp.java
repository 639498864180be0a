package io.dagscope.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not send: any {@code Host} header (or
 * none), any {@code Sec-WebSocket-Protocol}, a WebSocket handshake whose response headers the test reads, and
 * WebSocket frames written by hand.
 */
final class RawHttp implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A response: status, headers (names in lower case, in order) and body. */
    record Response(int status, List<Map.Entry<String, String>> headers, String body) {
        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equals(name.toLowerCase(Locale.ROOT)))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        List<String> all(String name) {
            return headers.stream().filter(h -> h.getKey().equals(name.toLowerCase(Locale.ROOT)))
                    .map(Map.Entry::getValue).toList();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(15_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request on a new connection (with {@code Connection: close}) and reads the whole response.
     *
     * @param port the server's port
     * @param head the request line and headers, each line without its CRLF; no {@code Connection} header
     * @param body the body, or null
     * @return the response
     */
    static Response exchange(int port, List<String> head, String body) {
        try (RawHttp http = new RawHttp(port)) {
            List<String> lines = new ArrayList<>(head);
            lines.add("Connection: close");
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                lines.add("Content-Length: " + bytes.length);
            }
            http.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            http.write(bytes);
            Response head0 = http.readHead();
            String length = head0.header("content-length");
            boolean bodiless = head.get(0).startsWith("HEAD ") || head0.status() == 204 || head0.status() == 304;
            byte[] content = bodiless ? new byte[0]
                    : length != null ? http.in.readNBytes(Integer.parseInt(length.trim()))
                    : head0.header("transfer-encoding") != null ? http.chunked() : http.in.readAllBytes();
            return new Response(head0.status(), head0.headers(), new String(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of a path with the given headers, as {@link #exchange}. */
    static Response get(int port, String path, String... headers) {
        List<String> head = new ArrayList<>(List.of("GET " + path + " HTTP/1.1"));
        head.addAll(List.of(headers));
        return exchange(port, head, null);
    }

    /**
     * Opens a connection and sends a WebSocket upgrade request; the response's head is read, the connection stays
     * open (for frames after a 101).
     *
     * @param port the server's port
     * @param path the path, e.g. {@code /graphql}
     * @param headers extra header lines, e.g. {@code Origin: ...} or {@code Sec-WebSocket-Protocol: ...}; a
     *     {@code Host} line is added unless one is given
     * @return the open connection; {@link #handshake()} is the response
     */
    static RawHttp upgrade(int port, String path, String... headers) {
        RawHttp http = new RawHttp(port);
        List<String> lines = new ArrayList<>(List.of("GET " + path + " HTTP/1.1", "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + key()));
        if (List.of(headers).stream().noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("host:"))) {
            lines.add("Host: 127.0.0.1:" + port);
        }
        lines.addAll(List.of(headers));
        http.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        http.handshake = http.readHead();
        return http;
    }

    private Response handshake;

    /** @return the response to the upgrade request (its head; a refusal's body is not read) */
    Response handshake() {
        return handshake;
    }

    /** @return the response to a refused upgrade request, with its body */
    Response response() {
        String length = handshake.header("content-length");
        try {
            byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
            return new Response(handshake.status(), handshake.headers(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a masked text frame, as a client must.
     *
     * @param text the message
     */
    void sendText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        write(frame.toByteArray());
    }

    /**
     * Reads the next frame the server sends.
     *
     * @return its opcode (1 text, 8 close, 9 ping) and payload; for a close, the payload starts with the code
     */
    Map.Entry<Integer, byte[]> readFrame() {
        try {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new IOException("the connection closed");
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            return Map.entry(b0 & 0x0f, in.readNBytes((int) length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads frames until a close frame.
     *
     * @return the close code
     */
    int awaitCloseCode() {
        while (true) {
            Map.Entry<Integer, byte[]> frame = readFrame();
            if (frame.getKey() == 8) {
                byte[] p = frame.getValue();
                return p.length < 2 ? 1005 : ((p[0] & 0xff) << 8) | (p[1] & 0xff);
            }
        }
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response readHead() {
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed before the response's head ended: " + head);
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(Map.entry(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim()));
                }
            }
            return new Response(status, headers, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] chunked() {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                StringBuilder line = new StringBuilder();
                for (int b = in.read(); b != '\n'; b = in.read()) {
                    if (b < 0) {
                        return body.toByteArray();
                    }
                    if (b != '\r') {
                        line.append((char) b);
                    }
                }
                int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
                if (size == 0) {
                    return body.toByteArray();
                }
                body.writeBytes(in.readNBytes(size));
                in.readNBytes(2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
